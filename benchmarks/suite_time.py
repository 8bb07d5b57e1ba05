#!/usr/bin/env python3
"""Where the test suite's time goes: each file's wall time beside the CPU the machine spent meanwhile.

``pytest --durations`` gives a test's wall time, but on this 2-core machine a test mostly waits for
other processes (grader kernels, nbgrader, Jupyter servers, Chromium) that it never reaps, so its
own CPU time says little. This script runs pytest (the whole suite, or the arguments given) with a
small plugin that records when each test ran and on which xdist worker, samples ``/proc/stat``
twice a second, and shares each sample's busy cores among the tests running then. It prints, side
by side, each file's wall time and the core-seconds spent while it ran, and the machine's average
load: if the cores were busy throughout, only less work shortens the suite; if not, better overlap
would. Usage: ``.venv/bin/python benchmarks/suite_time.py [pytest arguments]``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
RECORDS = "SUITE_TIME_RECORDS"  #: environment variable: the folder the plugin writes to


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    """(The plugin) one line per test: its id, worker, start and end."""
    start = time.time()
    yield
    folder = os.environ.get(RECORDS)
    if folder:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        line = {"id": item.nodeid, "worker": worker, "start": start, "end": time.time()}
        with open(Path(folder) / f"{worker}.jsonl", "a", encoding="utf-8") as fh:
            fh.write(json.dumps(line) + "\n")


def _busy_and_total() -> tuple[int, int]:
    with open("/proc/stat", encoding="ascii") as fh:
        ticks = [int(v) for v in fh.readline().split()[1:]]
    idle = ticks[3] + ticks[4]  # idle and iowait
    return sum(ticks) - idle, sum(ticks)


def sample(samples: list[tuple[float, float, float]], stop: threading.Event, every: float = 0.5) -> None:
    """Append (from, to, busy cores) for each interval until ``stop`` is set."""
    cores = os.cpu_count() or 1
    t0, (busy0, total0) = time.time(), _busy_and_total()
    while not stop.wait(every):
        t1, (busy1, total1) = time.time(), _busy_and_total()
        if total1 > total0:
            samples.append((t0, t1, cores * (busy1 - busy0) / (total1 - total0)))
        t0, busy0, total0 = t1, busy1, total1


def attribute(tests: list[dict[str, Any]], samples: list[tuple[float, float, float]]) -> Counter[str]:
    """Core-seconds per test file: each interval's busy cores shared among the tests running then."""
    spent: Counter[str] = Counter()
    for t0, t1, cores in samples:
        running = [t for t in tests if t["start"] < t1 and t["end"] > t0]
        for t in running:
            overlap = min(t1, t["end"]) - max(t0, t["start"])
            spent[t["id"].split("::")[0]] += cores * overlap / len(running)
    return spent


def report(tests: list[dict[str, Any]], samples: list[tuple[float, float, float]], top: int = 25) -> None:
    """Print the table: files by wall time, with core-seconds and worker."""
    wall: Counter[str] = Counter()
    workers: defaultdict[str, set[str]] = defaultdict(set)
    for t in tests:
        name = t["id"].split("::")[0]
        wall[name] += t["end"] - t["start"]
        workers[name].add(t["worker"])
    spent = attribute(tests, samples)
    span = max(t["end"] for t in tests) - min(t["start"] for t in tests)
    busy = sum(c * (t1 - t0) for t0, t1, c in samples)
    length = sum(t1 - t0 for t0, t1, _ in samples) or 1
    cores = busy / length
    print(f"\n{len(tests)} tests in {span:.0f} s; cores busy on average {cores:.2f} of {os.cpu_count()}")
    for worker in sorted({t["worker"] for t in tests}):
        mine = [t for t in tests if t["worker"] == worker]
        print(f"  {worker}: tests ran {sum(t['end'] - t['start'] for t in mine):.0f} s of the {span:.0f} s")
    print(f"\n{'wall s':>7}  {'core-s':>7}  worker  file")
    for name, seconds in wall.most_common(top):
        print(f"{seconds:7.1f}  {spent[name]:7.1f}  {','.join(sorted(workers[name])):6}  {name}")


def main(args: list[str]) -> int:
    """Run pytest with the plugin and the sampler; print the table."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.pathsep.join([str(ROOT / "benchmarks"), str(ROOT)])  # the plugin is this file
        env = {**os.environ, RECORDS: folder, "PYTHONPATH": path}
        samples: list[tuple[float, float, float]] = []
        stop = threading.Event()
        sampler = threading.Thread(target=sample, args=(samples, stop), daemon=True)
        sampler.start()
        command = [sys.executable, "-m", "pytest", "-p", "suite_time", "-q", *args]
        done = subprocess.run(command, cwd=ROOT, env=env)
        stop.set()
        sampler.join()
        lines = [line for f in Path(folder).glob("*.jsonl") for line in f.read_text().splitlines()]
        tests = [json.loads(line) for line in lines]
    if not tests:
        print("no test ran")
        return done.returncode or 1
    report(tests, samples)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
