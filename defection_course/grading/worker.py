"""The grading side of the submit queue: one job in, one graded record out.

:func:`grade_job` is what every backend runs (a Celery worker, or a process of the local pool):
it writes the submitted bytes into a fresh folder of its own scratch space, grades them with the
same isolated per-submission grader as the batch (:func:`.batch._safe_grade`, so a grader failure
becomes an ``error`` record, never a lost submission) and returns the record as JSON-ready data.
Each process makes its scratch folder once, runs the isolation self-test there (refusing, as the
batch does, where the machine cannot isolate) and removes it when the process ends.

:func:`make_app` is the Celery application: Redis as broker and result store, JSON only, one task
(:data:`TASK`) acknowledged only after it finished (``acks_late``) and put back on the queue when
the worker process dies under it (``reject_on_worker_lost``); a worker that vanishes with the
whole machine has its task handed to another worker after ``visibility_timeout`` seconds. A
task run twice returns the same record; the server writes it once (see :mod:`.queue`).

``python -m defection_course worker --broker redis://HOST:6379/0`` starts one worker that grades
one submission at a time (start one per core); it may run on another machine with the same course
checkout: the exercise is looked up under its own course folder and checked by SHA-256.
"""

from __future__ import annotations

import argparse
import base64
import dataclasses
import hashlib
import os
import shutil
import socket
import tempfile
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..checks.spec import Result
from ..errors import CourseError
from ..paths import course_root
from .limits import Limits
from .runner import Graded

TASK = "defection_course.grade_submission"
ENV_BROKER = "DEFECTION_COURSE_BROKER"
#: Seconds before a task taken by a worker that vanished is given to another worker. Longer than
#: the longest grading (the notebook time limit, 180 s by default), or a slow task is run twice
#: (harmless: the record is written once, but the work is done twice).
VISIBILITY_TIMEOUT = 600


def to_record(g: Graded) -> dict[str, Any]:
    """A graded result as JSON-ready data (the same shape as a student in ``graded.json``)."""
    return {**asdict(g), "results": {k: asdict(v) for k, v in g.results.items()}}


def from_record(s: dict[str, Any]) -> Graded:
    """The :class:`Graded` a record stands for."""
    results = {k: Result(**v) for k, v in s["results"].items()}
    return Graded(s["student"], s["status"], results, s["answers"], s["notes"], s["seconds"], s["source"])


def make_job(exercise: Path, data: bytes, student: str, source: str, limits: Limits) -> dict[str, Any]:
    """The message for one submission: its bytes (read by the server without following a link,
    within the size limit), who it is, and what to grade it against."""
    return {
        "student": student,
        "source": source,
        "filename": "submission.ipynb",  # never the student's file name: it may be any bytes
        "content": base64.b64encode(data).decode("ascii"),
        "sha256": hashlib.sha256(data).hexdigest(),
        "exercise": exercise.name,
        "exercise_sha256": hashlib.sha256(exercise.read_bytes()).hexdigest(),
        "limits": {k: v for k, v in asdict(limits).items() if k != "workdir"},
    }


_STATE: dict[str, str] = {}


def _cleanup(workdir: str) -> None:
    from .batch import end_every_kernel

    try:
        end_every_kernel(Path(workdir))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _scratch(isolate: bool) -> tuple[Path, str]:
    """This process's scratch folder and what protects it (made and self-tested once)."""
    key = f"isolate={isolate}"
    if key not in _STATE:
        import atexit
        import multiprocessing.util

        from ..paths import socket_temp_base
        from .batch import isolation_status
        from .runner import warm_font_cache

        workdir = Path(tempfile.mkdtemp(prefix="dqueue-", dir=socket_temp_base())).resolve()
        protection = isolation_status(isolate, workdir)
        warm_font_cache(workdir)
        _STATE[key], _STATE[key + ":protection"] = str(workdir), protection
        atexit.register(_cleanup, str(workdir))  # a Celery worker
        multiprocessing.util.Finalize(None, _cleanup, args=(str(workdir),), exitpriority=10)  # a pool child
    return Path(_STATE[key]), _STATE[key + ":protection"]


def grade_job(job: dict[str, Any]) -> dict[str, Any]:
    """Grade one job (see :func:`make_job`); return ``{"record", "sha256", "isolation", "worker"}``."""
    from .batch import _safe_grade

    limits = Limits(**job["limits"])
    workdir, protection = _scratch(limits.isolate)
    data = base64.b64decode(job["content"])
    if hashlib.sha256(data).hexdigest() != job["sha256"]:
        raise CourseError("the submission's bytes do not match their SHA-256 (damaged message)")
    exercise = course_root() / "exercises" / Path(job["exercise"]).name
    ex_ok = exercise.is_file() and hashlib.sha256(exercise.read_bytes()).hexdigest() == job["exercise_sha256"]
    if not ex_ok:
        g = Graded(
            job["student"],
            "error",
            notes=[
                f"this worker's copy of {job['exercise']} differs from the server's; update the course "
                "on the worker and submit again (the submission itself was not looked at)"
            ],
        )
    else:
        inbox = workdir / f"in-{uuid.uuid4().hex}"
        inbox.mkdir(mode=0o700)
        try:
            path = inbox / (Path(job["filename"]).name or "submission.ipynb")
            path.write_bytes(data)
            g = _safe_grade((str(exercise), str(path), dataclasses.replace(limits, workdir=str(workdir))))
        finally:
            shutil.rmtree(inbox, ignore_errors=True)
    g.student, g.source = job["student"], job["source"]
    return {
        "record": to_record(g),
        "sha256": job["sha256"],
        "isolation": protection,
        "worker": f"{socket.gethostname()}:{os.getpid()}",
    }


def make_app(broker: str, visibility_timeout: float = VISIBILITY_TIMEOUT) -> Any:
    """The Celery application on ``broker`` (a ``redis://`` URL), with the grading task."""
    try:
        from celery import Celery
    except ImportError:  # pragma: no cover - celery is pinned in requirements-test.txt
        raise CourseError(
            "the queue needs Celery and the Redis client: pip install -r requirements-test.txt"
        ) from None
    app = Celery("defection_course", broker=broker, backend=broker)
    app.conf.update(
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        broker_transport_options={
            "visibility_timeout": visibility_timeout,
            "unacked_restore_interval": max(1, min(10, int(visibility_timeout // 2))),
            "unacked_restore_throttle": 1,
        },
        result_expires=24 * 3600,
        worker_hijack_root_logger=False,
        task_track_started=True,
    )
    app.task(name=TASK, acks_late=True, reject_on_worker_lost=True)(grade_job)
    return app


def default_broker() -> str:
    return os.environ.get(ENV_BROKER, "redis://127.0.0.1:6379/0")


def configure_worker(parser: argparse.ArgumentParser) -> None:
    """The ``worker`` job's arguments."""
    parser.add_argument(
        "--broker", default=None, help=f"Redis URL (default: ${ENV_BROKER} or redis://127.0.0.1:6379/0)"
    )
    parser.add_argument("--name", default=None, help="this worker's name (default: worker-<host>-<pid>)")
    parser.add_argument(
        "--visibility-timeout",
        type=float,
        default=VISIBILITY_TIMEOUT,
        help=f"seconds before a vanished worker's task goes to another (default {VISIBILITY_TIMEOUT})",
    )
    parser.set_defaults(run=worker_command)


def worker_command(args: argparse.Namespace) -> int:
    """Run one Celery worker (solo pool: one submission at a time) until stopped."""
    app = make_app(args.broker or default_broker(), args.visibility_timeout)
    name = args.name or f"worker-{socket.gethostname()}-{os.getpid()}"
    app.worker_main(
        [
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            f"--hostname={name}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
    )
    return 0
