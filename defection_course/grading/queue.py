"""Feedback on submit: ``serve`` watches an inbox folder and has each new submission graded at once.

The inbox is any folder the batch grader accepts (one file per student, nbgrader's
``submitted/`` exchange, Canvas or Moodle names); JupyterHub deployments and nbgrader's exchange
fill such folders. :class:`Server` scans it, and each file whose size and time have settled
(unchanged since the last scan; a writer that renames a hidden ``.name.tmp`` into place is taken
at once) is sent, with its bytes, to a backend behind one interface (:class:`Backend`):

* :class:`CeleryBackend`: a Celery queue on Redis, graded by ``worker`` processes on this or
  other machines (:mod:`.worker`);
* :class:`LocalPool`: the default with no broker, a pool of processes on this machine.

Both run :func:`.worker.grade_job`, the batch's isolated per-submission grader. When a result
comes back the server writes it once (a record in ``OUT/.queue/``, created with a hard link so a
second copy of the same result, from a task run twice, is dropped) and the student's feedback file
atomically. When nothing is left to grade it writes the gradebook, store, review files and
manifest with the batch's own writer, from the records of the files now in the inbox, so the
results folder is the one ``grade`` writes for the same files (timings apart). A restarted server
re-reads its records and grades only what has none: nothing is lost if it or the broker stops.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any, Protocol

import nbformat

from ..errors import CourseError
from ..questions import questions_for
from . import limits as limit_flags
from . import reports
from .batch import not_graded, source_of
from .identity import file_name_of, identity_key, key_of, safe_filename
from .layout import Entry, describe, discover
from .limits import Limits
from .runner import Graded
from .submission import Rejected, lesson_of, read_bounded
from .worker import ENV_BROKER, TASK, from_record, grade_job, make_job

RECORDS = ".queue"  #: inside the results folder: one record per (student, submitted bytes)


class Handle(Protocol):
    """A submitted job: done yet, and its result (or the exception it raised)."""

    def ready(self) -> bool: ...

    def get(self) -> dict[str, Any]: ...


class Backend(Protocol):
    """Where jobs are graded."""

    name: str

    def submit(self, job: dict[str, Any]) -> Handle: ...

    def close(self) -> None: ...


class _FutureHandle:
    def __init__(self, future: Future) -> None:
        self.future = future

    def ready(self) -> bool:
        return self.future.done()

    def get(self) -> dict[str, Any]:
        return self.future.result()


class LocalPool:
    """The default: ``workers`` processes on this machine (each grades one submission at a time)."""

    def __init__(self, workers: int = 0) -> None:
        self.workers = workers or os.cpu_count() or 1
        self.pool = ProcessPoolExecutor(max_workers=self.workers)
        self.name = f"local pool of {self.workers} processes"

    def submit(self, job: dict[str, Any]) -> Handle:
        return _FutureHandle(self.pool.submit(grade_job, job))

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class _CeleryHandle:
    def __init__(self, result: Any) -> None:
        self.result = result

    def ready(self) -> bool:
        return bool(self.result.ready())

    def get(self) -> dict[str, Any]:
        return self.result.get(timeout=10, propagate=True)


class CeleryBackend:
    """A Celery queue on Redis; ``worker`` processes (anywhere) do the grading."""

    def __init__(self, broker: str) -> None:
        from .worker import make_app

        self.app = make_app(broker)
        self.name = f"Celery on {broker.split('@')[-1]}"

    def submit(self, job: dict[str, Any]) -> Handle:
        return _CeleryHandle(self.app.send_task(TASK, args=[job]))

    def close(self) -> None:
        self.app.close()


def _content(path: Path, limits: Limits) -> tuple[bytes | str, str]:
    """A submission's bytes and their SHA-256, read as the batch reads them (no link followed,
    refused above the size limit); when it cannot be read, the reason and a digest of it."""
    try:
        data = read_bounded(path, int(limits.submission_mb * 2**20))
    except Rejected as exc:
        return str(exc), "rejected-" + hashlib.sha256(str(exc).encode()).hexdigest()
    return data, hashlib.sha256(data).hexdigest()


def _write_once(path: Path, text: str) -> bool:
    """Create ``path`` with ``text`` unless it exists (atomically: a hard link); True if written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.link(tmp, path)
        return True
    except FileExistsError:
        return False
    finally:
        os.unlink(tmp)


class Server:
    """The inbox watcher: scan, submit, write each result once, then the gradebook."""

    def __init__(
        self,
        exercise: Path,
        inbox: Path,
        out: Path,
        backend: Backend,
        limits: Limits | None = None,
        on_feedback: Callable[[str, Path], object] | None = None,
    ) -> None:
        nb = nbformat.read(exercise, as_version=4)
        lesson = lesson_of(nb)
        if lesson is None:
            raise CourseError(f"{exercise} is not one of the course's exercise notebooks.")
        self.exercise, self.inbox, self.out, self.backend = exercise, inbox, out, backend
        self.limits = limits or Limits()
        self.questions = questions_for(lesson)
        self.title = exercise.stem.replace("_", " ")
        self.on_feedback = on_feedback
        self.pending: dict[tuple[str, str], Handle] = {}
        self.seen: dict[Path, tuple[int, int]] = {}
        self.isolation: set[str] = set()
        self.dirty = False
        self.ungraded: set[tuple[str, ...]] = set()
        self.records = out / RECORDS
        for path in sorted(self.records.glob("*.json")) if self.records.is_dir() else []:
            self.isolation.add(json.loads(path.read_text(encoding="utf-8")).get("isolation", ""))

    def record_path(self, student: str, digest: str) -> Path:
        return self.records / f"{safe_filename(identity_key(student))}-{digest[:16]}.json"

    def _settled(self, entries: list[Entry]) -> list[Entry]:
        """Entries none of whose files changed since the last scan."""
        now: dict[Path, tuple[int, int]] = {}
        ready = []
        for e in entries:
            stats = []
            for p in e.paths:
                try:
                    st = p.stat()
                except OSError:
                    continue
                now[p] = (st.st_size, st.st_mtime_ns)
                stats.append(self.seen.get(p) == now[p])
            if stats and all(stats):
                ready.append(e)
        self.seen = now
        return ready

    def scan(self) -> int:
        """Submit every settled submission that has neither a record nor a job; return how many.

        What the batch never runs (a bad name, a link, several files: :func:`.batch.not_graded`) is
        not sent; its row is written with the gradebook. A file that cannot be read (too large, a
        link, unreadable) gets its rejected record at once, with the reason the batch gives.
        """
        submitted = 0
        ungraded = set()
        for e in self._settled(discover(self.inbox, self.exercise.name)):
            if not_graded(e, self.inbox) is not None:
                ungraded.add((e.identity_key, *(str(p) for p in e.paths)))
                continue
            data, digest = _content(e.paths[0], self.limits)
            key = (e.student, digest)
            if key in self.pending or self.record_path(e.student, digest).exists():
                continue
            source = source_of(e.paths[0], self.inbox)
            if isinstance(data, str):  # not read: rejected with the batch's reason, no job
                g = Graded(e.student, "rejected", notes=[data], source=source)
                self._store(
                    e.student, {"record": _record_of(g), "sha256": digest, "isolation": "", "worker": "none"}
                )
                continue
            self.pending[key] = self.backend.submit(
                make_job(self.exercise, data, e.student, source, self.limits)
            )
            submitted += 1
        if ungraded != self.ungraded:
            self.ungraded, self.dirty = ungraded, True
        return submitted

    def collect(self) -> int:
        """Write every finished job's record (once) and feedback; return how many finished."""
        finished = 0
        for key, handle in list(self.pending.items()):
            if not handle.ready():
                continue
            student, digest = key
            try:
                result = handle.get()
            except Exception as exc:  # the worker could not grade it (not the student's doing)
                g = Graded(
                    student,
                    "error",
                    notes=[
                        f"the grading worker failed on this file ({type(exc).__name__}: {exc}); "
                        "grade it by hand or report the problem"
                    ],
                )
                result = {"record": {**_record_of(g)}, "sha256": digest, "isolation": "", "worker": "none"}
            del self.pending[key]
            finished += 1
            self._store(student, {**result, "sha256": digest})
        return finished

    def _store(self, student: str, result: dict[str, Any]) -> None:
        """Write a result's record once, then the student's feedback file, and tell the caller."""
        path = self.record_path(student, result["sha256"])
        if not _write_once(path, json.dumps(result, ensure_ascii=False, indent=1) + "\n"):
            return  # a second copy of the same result (a task run twice)
        g = from_record(result["record"])
        g.student = student
        feedback = self.out / "feedback" / f"{file_name_of(student)}.md"  # never the raw name
        reports.atomic_write(feedback, reports.feedback_markdown(g, self.questions, self.title))
        if result.get("isolation"):
            self.isolation.add(result["isolation"])
        self.dirty = True
        if self.on_feedback:
            self.on_feedback(student, feedback)

    def write_gradebook(self) -> str | None:
        """The batch's results folder for the files now in the inbox; None while some are ungraded."""
        from .batch import write_reports

        entries = discover(self.inbox, self.exercise.name)
        graded: list[Graded] = []
        for e in entries:
            row = not_graded(e, self.inbox)
            if row is not None:
                graded.append(row)
                continue
            path = self.record_path(e.student, _content(e.paths[0], self.limits)[1])
            if not path.exists():
                return None
            g = from_record(json.loads(path.read_text(encoding="utf-8"))["record"])
            g.student, g.source = e.student, source_of(e.paths[0], self.inbox)
            graded.append(g)
        isolation = " | ".join(sorted(i for i in self.isolation if i))
        info = {"exercise": self.exercise.name, "isolation": isolation, "submissions": len(entries)}
        self.dirty = False
        about = {key_of(e.student): describe(e, self.inbox) for e in entries}  # as the batch keeps it
        return write_reports(graded, self.questions, self.out, self.exercise, None, info, about)

    def run(
        self, poll: float = 0.2, until_idle: float | None = None, timeout: float | None = None
    ) -> str | None:
        """Scan and collect every ``poll`` seconds; write the gradebook whenever all is graded.

        With ``until_idle``, return (the manifest's SHA-256) once nothing was pending or new for
        that many seconds; with ``timeout``, raise a CourseError after that many seconds.
        """
        start = idle_since = time.monotonic()
        digest = None
        while True:
            busy = self.scan() + self.collect()
            if busy or self.pending:
                idle_since = time.monotonic()
            elif self.dirty:
                digest = self.write_gradebook() or digest
            quiet = not self.pending and not self.dirty
            if until_idle is not None and quiet and time.monotonic() - idle_since >= until_idle:
                return digest
            if timeout is not None and time.monotonic() - start > timeout:
                raise CourseError(f"{len(self.pending)} submission(s) still ungraded after {timeout:g} s")
            time.sleep(poll)


def _record_of(g: Graded) -> dict[str, Any]:
    from .worker import to_record

    return to_record(g)


def configure_serve(parser: argparse.ArgumentParser) -> None:
    """The ``serve`` job's arguments."""
    parser.add_argument("exercise", help="the exercise notebook that was handed out")
    parser.add_argument("inbox", help="the folder submissions arrive in (any layout grade accepts)")
    parser.add_argument("--out", default="results", help="results folder (default: results)")
    parser.add_argument(
        "--broker",
        default=os.environ.get(ENV_BROKER),
        help=f"Redis URL of a Celery queue (default ${ENV_BROKER}); without one, a local pool grades",
    )
    parser.add_argument("--workers", type=int, default=0, help="local pool size (default: one per core)")
    parser.add_argument("--poll", type=float, default=0.2, help="seconds between inbox scans (default 0.2)")
    parser.add_argument(
        "--until-idle",
        type=float,
        default=None,
        metavar="SECONDS",
        help="stop once everything is graded and nothing new came for this long (default: run until stopped)",
    )
    limit_flags.add_arguments(parser)
    parser.add_argument("--no-isolation", action="store_true", help="trusted notebooks only (see grade)")
    parser.set_defaults(run=serve_command)


def serve_command(args: argparse.Namespace) -> int:
    chosen = limit_flags.from_arguments(args, isolate=not args.no_isolation)
    exercise, inbox = Path(args.exercise), Path(args.inbox)
    if not exercise.is_file():
        raise CourseError(f"{exercise}: no such exercise notebook.")
    if not inbox.is_dir():
        raise CourseError(f"{inbox}: no such inbox folder.")
    backend: Backend = CeleryBackend(args.broker) if args.broker else LocalPool(args.workers)

    def told(student: str, path: Path) -> None:
        print(f"{time.strftime('%H:%M:%S')} feedback for {student}: {path}", flush=True)

    server = Server(exercise, inbox, Path(args.out), backend, chosen, on_feedback=told)
    print(f"Watching {inbox} ({backend.name}); results in {args.out}. Stop with Ctrl-C.", flush=True)
    try:
        digest = server.run(poll=args.poll, until_idle=args.until_idle)
    except KeyboardInterrupt:
        digest = server.write_gradebook() if not server.pending else None
    finally:
        backend.close()
    if digest:
        print(f"Gradebook: {Path(args.out) / 'gradebook.csv'} (manifest SHA-256 {digest})")
    else:
        print("Stopped with submissions ungraded; start serve again to finish them.", file=sys.stderr)
    return 0
