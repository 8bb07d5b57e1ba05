"""Write environment.yml (conda / Binder) from the pip pins in requirements*.txt.

requirements.txt and requirements-test.txt are the single place where versions are
chosen; ``python -m defection_course sync-environment`` copies them into environment.yml so
conda users get exactly the same versions. ``tests/tooling/test_environment.py`` fails if the
two ever disagree.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..cli import CHECK_HELP
from ..errors import CourseError
from ..paths import course_root

PYTHON_VERSION = "3.11"


def pins(path: Path) -> list[str]:
    """The ``name==version`` lines of a requirements file, following ``-r`` includes."""
    out: list[str] = []
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CourseError(f"{path.name} is missing (it holds the pinned versions).") from None
    for line in text.splitlines():
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
        "# requirements-test.txt by `python -m defection_course sync-environment`: edit those,",
        "# then re-run it.",
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
    for pin in pins(course_root() / "requirements-test.txt"):
        if pin not in seen:
            seen.add(pin)
            lines.append(f"      - {pin}")
    lines.append("      - -e .")
    return "\n".join(lines) + "\n"


def configure(parser: argparse.ArgumentParser) -> None:
    """The ``sync-environment`` job's arguments (see :mod:`defection_course.cli`)."""
    parser.add_argument("--check", action="store_true", help=CHECK_HELP)
    parser.set_defaults(run=run_job)


def run_job(args: argparse.Namespace) -> int:
    """Write (or, with ``--check``, compare) ``environment.yml``."""
    target = course_root() / "environment.yml"
    text = render()
    if args.check:
        ok = target.exists() and target.read_text(encoding="utf-8") == text
        print(
            "environment.yml is up to date"
            if ok
            else "environment.yml is out of date: run python -m defection_course sync-environment"
        )
        return 0 if ok else 1
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}")
    return 0
