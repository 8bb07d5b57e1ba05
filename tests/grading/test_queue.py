"""The submit queue (issue 22): the local pool and two Celery workers on a loopback Redis give the
batch's results folder; a worker killed mid-task loses nothing and its result is written once.

Redis is Debian's ``redis-server``, started here on a free loopback port and stopped after; CI
installs it (.ci/run). Without the binary the Celery tests are skipped, except in CI.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import ROOT
from support.classes import EXERCISE2, write_class

from defection_course.grading import queue, shards
from defection_course.grading.batch import grade_folder, not_graded
from defection_course.grading.broker import local_redis
from defection_course.grading.layout import discover
from defection_course.grading.limits import Limits

pytestmark = pytest.mark.slow


#: File names the queue must treat as the batch does (raw bytes: some are not valid UTF-8).
HOSTILE_NAMES = [
    b"zed\nbob",  # a line break: not an identity
    b"esc\x1b[31mred",  # a terminal escape: not an identity, never printed raw
    b"bad\xff",  # not UTF-8
    b"a" * 240,  # longer than any platform's name
    "é".encode() * 120,  # 240 bytes, a valid name: graded, its feedback under a short safe name
    b"Alice",
    b"alice",  # the same student twice
]


def _hostile_files(folder: Path, outside: Path) -> None:
    """Hostile names, a link to a file outside the class, and a 30 MB file (sparse)."""
    text = (folder / "student01.ipynb").read_text(encoding="utf-8")
    for raw in HOSTILE_NAMES:
        with open(os.path.join(bytes(folder), raw + b".ipynb"), "w", encoding="utf-8") as fh:
            fh.write(text)
    (outside / "teacher_solution.ipynb").write_text(text, encoding="utf-8")
    (folder / "linked.ipynb").symlink_to(outside / "teacher_solution.ipynb")
    with open(folder / "huge.ipynb", "wb") as fh:
        fh.truncate(30 * 2**20)


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("queue")
    folder = base / "class"
    write_class(folder, 2)
    _hostile_files(folder, base)
    out = base / "batch"
    grade_folder(EXERCISE2, folder, out, Limits(), workers=2, quiet=True)
    return {"base": base, "class": folder, "batch": out}


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    if shutil.which("redis-server") is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing in CI: .ci/run must install it")
        pytest.skip("redis-server is not installed (Debian: apt-get install redis-server)")
    with local_redis() as url:
        yield url


def _same_as_batch(out: Path, batch: Path) -> None:
    names = sorted(p.relative_to(batch).as_posix() for p in batch.rglob("*") if p.is_file())
    got = sorted(
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and not p.relative_to(out).as_posix().startswith(queue.RECORDS)
    )
    assert got == names
    for name in names:
        if name not in ("graded.json", "manifest.json"):
            assert (out / name).read_bytes() == (batch / name).read_bytes(), name
    assert shards.timing_free(out) == shards.timing_free(batch)


@contextlib.contextmanager
def _worker(url: str, name: str, visibility: float = 600) -> Iterator[subprocess.Popen]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "defection_course", "worker", "--broker", url, "--name", name]
        + ["--visibility-timeout", str(visibility)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kernels it starts go with it
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def test_local_pool_without_broker_equals_batch(batch_run: dict[str, Path]) -> None:
    out = batch_run["base"] / "pool"
    told: list[str] = []
    backend = queue.LocalPool(2)
    try:
        server = queue.Server(
            EXERCISE2, batch_run["class"], out, backend, on_feedback=lambda s, p: told.append(s)
        )
        assert server.run(poll=0.1, until_idle=0.3, timeout=300)
    finally:
        backend.close()
    _same_as_batch(out, batch_run["batch"])
    # told once per file it read (graded, or rejected unread: too large); never a name it refused
    entries = discover(batch_run["class"], EXERCISE2.name)
    read = sorted(e.student for e in entries if not_graded(e, batch_run["class"]) is None)
    assert sorted(told) == read and "huge" in told and "linked" not in told
    assert all(ch.isprintable() for name in told for ch in name)
    with (out / "gradebook.csv").open(encoding="utf-8", newline="") as fh:
        rows = {r["student"]: r for r in csv.DictReader(fh)}
    assert rows["linked"]["status"] == rows["huge"]["status"] == "rejected"
    assert "symbolic link" in rows["linked"]["reason"] and "20 MB limit" in rows["huge"]["reason"]
    assert rows["é" * 120]["status"] == "graded"


def test_two_celery_workers_equal_batch(batch_run: dict[str, Path], redis_url: str) -> None:
    out = batch_run["base"] / "celery"
    backend = queue.CeleryBackend(redis_url)
    with _worker(redis_url, "a"), _worker(redis_url, "b"):
        try:
            server = queue.Server(EXERCISE2, batch_run["class"], out, backend)
            assert server.run(poll=0.1, until_idle=0.3, timeout=300)
            del server
            gc.collect()  # Celery's results unsubscribe when collected: while Redis is still there
        finally:
            backend.close()
    _same_as_batch(out, batch_run["batch"])
    workers = {
        json.loads(p.read_text())["worker"].split(":")[0] for p in (out / queue.RECORDS).glob("*.json")
    }
    assert workers  # every record says which worker graded it
    # a record for every file read (graded or rejected unread), none for the rows never run
    entries = discover(batch_run["class"], EXERCISE2.name)
    read = [e for e in entries if not_graded(e, batch_run["class"]) is None]
    assert len(list((out / queue.RECORDS).glob("*.json"))) == len(read) < len(entries)


def test_worker_killed_mid_task_loses_nothing(batch_run: dict[str, Path], redis_url: str) -> None:
    inbox = batch_run["base"] / "inbox-kill"
    inbox.mkdir()
    shutil.copy(batch_run["class"] / "student01.ipynb", inbox)
    out = batch_run["base"] / "kill"
    backend = queue.CeleryBackend(redis_url)
    try:
        server = queue.Server(EXERCISE2, inbox, out, backend)
        with _worker(redis_url, "doomed", visibility=6) as doomed:
            deadline = time.monotonic() + 120
            while not server.pending and time.monotonic() < deadline:
                server.scan()
                time.sleep(0.1)
            (handle,) = server.pending.values()
            while handle.result.state != "STARTED" and time.monotonic() < deadline:  # type: ignore[attr-defined]
                time.sleep(0.05)
            assert handle.result.state == "STARTED", "the worker never started the task"  # type: ignore[attr-defined]
            time.sleep(0.5)
            os.killpg(doomed.pid, signal.SIGKILL)  # the whole worker, its kernel with it
            doomed.wait()
            assert not handle.ready()
            assert not (out / "feedback").exists()
        with _worker(redis_url, "rescuer", visibility=6):
            assert server.run(poll=0.1, until_idle=0.3, timeout=180)
        del server, handle
        gc.collect()
    finally:
        backend.close()
    records = list((out / queue.RECORDS).glob("*.json"))
    assert len(records) == 1
    assert json.loads(records[0].read_text())["record"]["status"] == "graded"
    expected = batch_run["batch"] / "feedback" / "student01.md"
    assert (out / "feedback" / "student01.md").read_bytes() == expected.read_bytes()
    # the same result arriving again (a task run twice) is not written a second time
    assert not queue._write_once(records[0], "{}")
    assert json.loads(records[0].read_text())["record"]["status"] == "graded"
