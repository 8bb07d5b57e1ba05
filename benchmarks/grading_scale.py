#!/usr/bin/env python3
"""Grading at scale, in one run on this machine: batch throughput, 3 shards run one after another
then merged (the overhead of sharding), and the submit queue's latency (file dropped into the
inbox -> feedback file written) at 1 and 3 submissions per second, with two Celery workers on a
loopback Redis (Debian's redis-server) or, without it, the local pool.

The submissions are lesson 1's (benchmarks/grading_throughput.py makes them: 60% correct, 30% partly
wrong, 10% broken). The machine's load averages are printed beside the figures (it may be shared).
Usage: ``.venv/bin/python benchmarks/grading_scale.py [-n 12] [--per-rate 9]``.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from grading_throughput import make_submissions  # noqa: E402

from defection_course.grading import queue, shards  # noqa: E402
from defection_course.grading.batch import grade_folder  # noqa: E402
from defection_course.grading.broker import local_redis  # noqa: E402


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _latency(exercise: Path, source: Path, base: Path, rate: float, count: int, backend) -> list[float]:
    inbox, out = base / f"inbox-{rate:g}", base / f"queue-{rate:g}"
    inbox.mkdir()
    dropped: dict[str, float] = {}
    written: dict[str, float] = {}
    server = queue.Server(
        exercise, inbox, out, backend, on_feedback=lambda s, p: written.setdefault(s, time.monotonic())
    )
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            server.scan()
            server.collect()
            time.sleep(0.1)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    files = sorted(source.glob("*.ipynb"))
    warm = [f"warm_{i}" for i in range(os.cpu_count() or 1)]  # workers start up before the clock does
    for name in warm:
        shutil.copy(files[0], inbox / f".{name}.tmp")
        os.replace(inbox / f".{name}.tmp", inbox / f"{name}.ipynb")
    deadline = time.monotonic() + 600
    while not all(w in written for w in warm) and time.monotonic() < deadline:
        time.sleep(0.1)
    start = time.monotonic()
    for i in range(count):
        src = files[i % len(files)]
        name = f"r{rate:g}_{i:03d}"
        time.sleep(max(0.0, start + i / rate - time.monotonic()))
        shutil.copy(src, inbox / f".{name}.tmp")
        os.replace(inbox / f".{name}.tmp", inbox / f"{name}.ipynb")  # a complete file, at once
        dropped[name] = time.monotonic()
    deadline = time.monotonic() + 600
    while len(written) < count + len(warm) and time.monotonic() < deadline:
        time.sleep(0.1)
    stop.set()
    thread.join()
    return [written[s] - dropped[s] for s in dropped if s in written]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=12, help="submissions for the batch and shard runs")
    ap.add_argument("--per-rate", type=int, default=9, help="submissions dropped at each rate")
    ap.add_argument("--lesson", default="01")
    ap.add_argument("--queue-only", action="store_true", help="measure only the queue's latency")
    args = ap.parse_args()
    exercise = next((ROOT / "exercises").glob(f"{args.lesson}_*.ipynb"))
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="scale-bench-") as tmp:
        base = Path(tmp)
        subs = base / "subs"
        subs.mkdir()
        make_submissions(subs, args.n, args.lesson)
        print(f"machine: {cores} cores, load averages {os.getloadavg()}")
        if not args.queue_only:
            t0 = time.perf_counter()
            grade_folder(exercise, subs, base / "batch", workers=cores, quiet=True)
            batch = time.perf_counter() - t0
            t0 = time.perf_counter()
            parts = []
            for i in range(3):
                part = base / f"shard{i}"
                shards.grade_shard(exercise, subs, part, shards.Shard(i, 3), workers=cores, quiet=True)
                parts.append(part)
            graded = time.perf_counter() - t0
            t1 = time.perf_counter()
            shards.merge_shards(parts, base / "merged", exercise)
            merge = time.perf_counter() - t1
            same = shards.timing_free(base / "merged") == shards.timing_free(base / "batch")
            print(
                f"batch: {args.n} submissions in {batch:.1f} s = {args.n / batch * 60:.0f}/min, "
                f"{batch * cores / args.n:.2f} core-seconds per submission"
            )
            print(
                f"3 shards one after another: {graded:.1f} s + merge {merge:.2f} s = {graded + merge:.1f} s; "
                f"overhead vs batch {100 * ((graded + merge) / batch - 1):+.0f}% "
                f"(merge alone {100 * merge / batch:.1f}%); merged == batch (timings apart): {same}"
            )
        have_redis = shutil.which("redis-server") is not None
        for rate in (1.0, 3.0):
            if have_redis:
                with local_redis() as url:
                    env = {**os.environ, "PYTHONPATH": str(ROOT)}
                    workers = [
                        subprocess.Popen(
                            [sys.executable, "-m", "defection_course", "worker", "--broker", url],
                            cwd=ROOT,
                            env=env,
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL,
                        )
                        for _ in range(cores)
                    ]
                    backend = queue.CeleryBackend(url)
                    try:
                        lat = _latency(exercise, subs, base, rate, args.per_rate, backend)
                    finally:
                        gc.collect()  # Celery's results unsubscribe when collected: while Redis runs
                        backend.close()
                        for w in workers:
                            w.terminate()
                        for w in workers:
                            w.wait(timeout=30)
                    kind = f"Celery, {cores} workers, loopback Redis"
            else:
                pool = queue.LocalPool(cores)
                try:
                    lat = _latency(exercise, subs, base, rate, args.per_rate, pool)
                finally:
                    pool.close()
                kind = f"local pool of {cores}"
            print(
                f"queue at {rate:g}/s ({kind}): {len(lat)}/{args.per_rate} fed back; latency "
                f"p50 {statistics.median(lat):.1f} s, p95 {_pct(lat, 0.95):.1f} s, max {max(lat):.1f} s"
            )


if __name__ == "__main__":
    main()
