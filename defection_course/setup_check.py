"""The setup check of the start page: which packages are installed, and what to do if not."""

from __future__ import annotations

import sys
from importlib.metadata import PackageNotFoundError, version

from .paths import course_root

KEY_PACKAGES = ("pandas", "numpy", "matplotlib", "seaborn", "ipywidgets", "jupyterlab", "ipykernel")


def pinned_versions() -> dict[str, str]:
    """The versions requirements.txt pins, by lower-case package name."""
    pins: dict[str, str] = {}
    req = course_root() / "requirements.txt"
    if req.exists():
        for line in req.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if "==" in line:
                name, ver = line.split("==", 1)
                pins[name.lower()] = ver
    return pins


def report() -> bool:
    """Print one line per key package (found version against the pinned one); True if all is well."""
    ok = sys.version_info >= (3, 11)
    mark = "✔" if ok else "✘"
    print(
        f"{mark} Python {sys.version_info.major}.{sys.version_info.minor}"
        + ("" if ok else " (the course needs 3.11 or newer)")
    )
    pins = pinned_versions()
    for name in KEY_PACKAGES:
        try:
            found = version(name)
        except PackageNotFoundError:
            ok = False
            print(f"✘ {name}: missing")
            continue
        pinned = pins.get(name)
        if pinned and found != pinned:
            print(
                f"~ {name} {found} (the course is tested with {pinned}; it will probably work, "
                "but figures and tables may look slightly different)"
            )
        else:
            print(f"✔ {name} {found}")
    if ok:
        print("Everything the course needs is installed.")
    else:
        print(
            "Something is missing. In a terminal, in the course folder, run `make lab` "
            "(or `conda env create -f environment.yml`), then restart this notebook."
        )
    return ok
