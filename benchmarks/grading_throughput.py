#!/usr/bin/env python3
"""Grading throughput: the course grader against serial `jupyter nbconvert --execute`.

Generates N submissions for one exercise (a fixed mix: 60% correct, 30% partly wrong,
10% broken: a syntax error, an empty file, malformed JSON), grades them with
``python -m defection_course grade`` (parallel, with reports) isolated by the operating system
and with ``--no-isolation`` (the cost of isolation), then executes the same files one after
another with ``jupyter nbconvert --to notebook --execute`` (no grading, no sandbox), and
finally grades ``--large`` submissions (default 200). Everything runs on this machine, in this
run, and the machine's load averages are printed beside the figures (it may be shared).
Usage: ``.venv/bin/python benchmarks/grading_throughput.py [-n 50] [--large 200] [--lesson 01]``.
"""

from __future__ import annotations

import argparse
import copy
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
WRONG_EDITS = {  # answer variable -> a wrong value (lesson 1)
    "share_last_15": "95.3",
    "arrived_by_2016": "28222",
    "arrivals_2012_2019": "10646",
    "revision_2006": "-450",
}


def _clean(nb):
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def make_submissions(folder: Path, n: int, lesson: str) -> dict[str, int]:
    """Write n submissions derived from the solution notebook; return the mix."""
    solution = next((ROOT / "solutions").glob(f"{lesson}_*.ipynb"))
    base = _clean(nbformat.read(solution, as_version=4))
    mix = {"correct": 0, "partly wrong": 0, "broken": 0}
    wrong = list(WRONG_EDITS.items())
    for i in range(n):
        path = folder / f"student_{i:03d}.ipynb"
        kind = i % 10
        if kind < 6:
            nbformat.write(base, path)
            mix["correct"] += 1
        elif kind < 9:
            nb = copy.deepcopy(base)
            var, value = wrong[i % len(wrong)]
            for cell in nb.cells:
                if cell.cell_type == "code" and cell.source.startswith(f"{var} = ...\n"):
                    cell.source += f"\n{var} = {value}\n"
            nbformat.write(nb, path)
            mix["partly wrong"] += 1
        else:
            broken = (i // 10) % 3
            if broken == 0:
                nb = copy.deepcopy(base)
                next(
                    c for c in nb.cells if c.cell_type == "code" and "answer" in c.metadata.get("tags", [])
                ).source += "\nthis is not python (\n"
                nbformat.write(nb, path)
            elif broken == 1:
                path.write_text("", encoding="utf-8")
            else:
                path.write_text('{"cells": [', encoding="utf-8")
            mix["broken"] += 1
    return mix


def time_grader(exercise: Path, folder: Path, out: Path, *extra: str) -> float:
    t0 = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "defection_course",
            "grade",
            str(exercise),
            str(folder),
            "--out",
            str(out),
            "--quiet",
            *extra,
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - t0


def load() -> str:
    """The machine's load averages (it may be shared), to print beside the figures."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def time_nbconvert(folder: Path, out: Path) -> tuple[float, int]:
    jupyter = Path(sys.executable).parent / "jupyter"
    failures = 0
    t0 = time.perf_counter()
    for path in sorted(folder.glob("*.ipynb")):
        r = subprocess.run(
            [
                str(jupyter),
                "nbconvert",
                "--to",
                "notebook",
                "--execute",
                "--allow-errors",
                "--ExecutePreprocessor.timeout=60",
                "--output-dir",
                str(out),
                str(path),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        failures += r.returncode != 0
    return time.perf_counter() - t0, failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=50, help="number of submissions (default 50)")
    parser.add_argument("--lesson", default="01", help="exercise to grade (default 01)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds of on/off/off/on runs (default 1)")
    parser.add_argument(
        "--large", type=int, default=200, help="also time this many submissions, isolated (0: skip)"
    )
    args = parser.parse_args()
    exercise = next((ROOT / "exercises").glob(f"{args.lesson}_*.ipynb"))
    cores = os.cpu_count()
    loads = [load()]
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        subs = tmp / "submissions"
        subs.mkdir()
        mix = make_submissions(subs, args.n, args.lesson)
        # Isolated and unisolated runs in the order on, off, off, on (repeated), so that a drift in
        # the machine's load (it may be shared) hits both alike; the best run of each is compared.
        isolated: list[float] = []
        plain_grader: list[float] = []
        for _round in range(args.repeat):
            for isolate in (True, False, False, True):
                if isolate:
                    isolated.append(time_grader(exercise, subs, tmp / f"results-{len(isolated)}"))
                else:
                    extra = "--no-isolation"
                    plain_grader.append(time_grader(exercise, subs, tmp / f"off-{len(plain_grader)}", extra))
        loads.append(load())
        plain, failures = time_nbconvert(subs, tmp / "executed")
        loads.append(load())
        large = 0.0
        if args.large:
            many = tmp / "many"
            many.mkdir()
            make_submissions(many, args.large, args.lesson)
            large = time_grader(exercise, many, tmp / "results-many")
            loads.append(load())
    on, off = min(isolated), min(plain_grader)
    med_on, med_off = statistics.median(isolated), statistics.median(plain_grader)
    print(f"{args.n} submissions of exercises/{exercise.name}: {mix}; {cores} cores")
    print(
        f"course grader, isolated (Landlock + seccomp):      {on:6.1f} s  "
        f"= {60 * args.n / on:5.1f} submissions/min  (runs: {', '.join(f'{t:.1f}' for t in isolated)})"
    )
    print(
        f"course grader, --no-isolation:                     {off:6.1f} s  "
        f"= {60 * args.n / off:5.1f} submissions/min  (runs: {', '.join(f'{t:.1f}' for t in plain_grader)})"
    )
    print(
        f"cost of isolation: {100 * (on - off) / off:+.1f}% (best run vs best run), "
        f"{100 * (med_on - med_off) / med_off:+.1f}% (median vs median)"
    )
    print(
        f"serial jupyter nbconvert --execute (run only):     {plain:6.1f} s  "
        f"= {60 * args.n / plain:5.1f} submissions/min  ({failures} files nbconvert could not run)"
    )
    print(f"ratio (isolated grader throughput / nbconvert throughput): {plain / on:.2f}x")
    if args.large:
        print(
            f"{args.large} submissions, isolated: {large:6.1f} s = {large / 60:.1f} min "
            f"= {60 * args.large / large:5.1f} submissions/min"
        )
    print("machine load during the run: " + "; ".join(loads))


if __name__ == "__main__":
    main()
