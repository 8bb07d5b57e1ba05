#!/usr/bin/env python3
"""Write environment.yml (conda / Binder) from the pip pins in requirements*.txt.

requirements.txt and requirements-test.txt are the single place where versions are
chosen; this script copies them into environment.yml so conda users get exactly the same
versions.  tests/tooling/test_environment.py fails if the two ever disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON_VERSION = "3.11"


def pins(path: Path) -> list[str]:
    """The ``name==version`` lines of a requirements file, following ``-r`` includes."""
    out: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("-r "):
            out += pins(path.parent / line[3:].strip())
        else:
            out.append(line)
    return out


def render() -> str:
    lines = [
        "# Conda / Binder environment for the course. Generated from requirements.txt and",
        "# requirements-test.txt by tools/sync_environment.py: edit those, then re-run it.",
        "#   conda env create -f environment.yml && conda activate defection-course",
        "name: defection-course",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        f"  - python={PYTHON_VERSION}",
        "  - pip",
        "  - make",
        "  - pip:",
    ]
    seen: set[str] = set()
    for pin in pins(ROOT / "requirements-test.txt"):
        if pin not in seen:
            seen.add(pin)
            lines.append(f"      - {pin}")
    lines.append("      - -e .")
    return "\n".join(lines) + "\n"


def main() -> int:
    target = ROOT / "environment.yml"
    text = render()
    if "--check" in sys.argv[1:]:
        ok = target.exists() and target.read_text(encoding="utf-8") == text
        print(
            "environment.yml is up to date"
            if ok
            else "environment.yml is out of date: run python tools/sync_environment.py"
        )
        return 0 if ok else 1
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
