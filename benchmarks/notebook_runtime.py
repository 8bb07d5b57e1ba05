#!/usr/bin/env python3
"""Wall time to run each notebook top to bottom in a fresh kernel, and for the whole course.

Runs the lessons (and, with --all, the solutions and exercises) one after another, as a
learner would with "Restart Kernel and Run All", and prints a table in seconds.
Usage: ``.venv/bin/python benchmarks/notebook_runtime.py [--all]``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import nbformat

from defection_course.authoring.execute import execute

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="also solutions/ and exercises/")
    args = parser.parse_args()
    folders = ["notebooks"] + (["solutions", "exercises"] if args.all else [])
    paths = [p for f in folders for p in sorted((ROOT / f).glob("[0-9][0-9]_*.ipynb"))]
    total = 0.0
    print(f"{'notebook':<45} {'seconds':>8}")
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        t0 = time.perf_counter()
        execute(nb, cwd=path.parent)
        dt = time.perf_counter() - t0
        total += dt
        print(f"{path.parent.name + '/' + path.name:<45} {dt:8.1f}")
    print(f"{'total (one after another)':<45} {total:8.1f}")


if __name__ == "__main__":
    main()
