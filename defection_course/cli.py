"""The course's one command line: ``python -m defection_course <job>`` (or ``defection-course <job>``).

:data:`JOBS` is the registry: each job's name, its one-line help and the function, next to the
job's code, that adds the job's arguments and sets ``run`` (a function of the parsed arguments
returning the exit code). Only the chosen job's module is imported, so ``--help`` is quick.

Every job exits with the same codes (:data:`EXIT_CODES`): 0 when it did its work, 1 when a check
failed or something is out of date, 2 for a usage or input error (an unknown option, a missing
file, a damaged notebook or question definition), always with a message and never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from .errors import CourseError

OK, CHECK_FAILED, USAGE_ERROR = 0, 1, 2
#: The help of every job's ``--check`` option.
CHECK_HELP = "write nothing; exit 1 if anything is out of date"
EXIT_CODES = (
    "exit codes: 0 done; 1 a check failed or something is out of date; "
    "2 usage or input error (bad option, missing or damaged file)"
)


@dataclass(frozen=True)
class Job:
    """One job of the command line."""

    help: str
    #: ``"module:function"``; the function adds the job's arguments to its parser and sets ``run``.
    configure: str


JOBS: dict[str, Job] = {
    # ------------------------------------------------------------------ authoring (maintainers)
    "sync": Job(
        "after an edit: update each .ipynb from its .md (re-executed), "
        "and the questions and exercise of a changed solution",
        "defection_course.authoring.sync:configure",
    ),
    "execute": Job(
        "run notebooks in a fresh kernel and store their normalised outputs",
        "defection_course.authoring.execute:configure",
    ),
    "build-questions": Job(
        "run the solutions with their questions' cases; write each lesson's questions, keys and test cases",
        "defection_course.authoring.questions:configure",
    ),
    "build-exercises": Job(
        "regenerate exercises/ from solutions/", "defection_course.authoring.exercise_builder:configure"
    ),
    "build-data": Job(
        "rebuild data/datapackage.json and the column dictionary in data/README.md from the schemas",
        "defection_course.authoring.build_datapackage:configure",
    ),
    "sync-environment": Job(
        "write environment.yml (conda, Binder) from the pins in requirements*.txt",
        "defection_course.authoring.sync_environment:configure",
    ),
    "site": Job(
        "build the course website into build/site/html (warnings are errors)",
        "defection_course.authoring.site_build:configure",
    ),
    # ------------------------------------------------------------------ classroom (teachers)
    "grade": Job(
        "grade a folder of submitted exercise notebooks", "defection_course.grading.cli:configure_grade"
    ),
    "verify": Job(
        "check a results folder against the manifest the grader wrote",
        "defection_course.grading.cli:configure_verify",
    ),
    "merge-marks": Job(
        "merge hand-marked written answers into the gradebook",
        "defection_course.grading.cli:configure_merge",
    ),
    "merge-shards": Job(
        "combine the results of grade --shard i/N (every i) into one results folder",
        "defection_course.grading.shards:configure_merge_shards",
    ),
    "serve": Job(
        "grade submissions dropped into an inbox folder as they arrive (Celery or a local pool)",
        "defection_course.grading.queue:configure_serve",
    ),
    "worker": Job(
        "a Celery worker for serve: grades queued submissions, one at a time, isolated",
        "defection_course.grading.worker:configure_worker",
    ),
    "nbgrader-export": Job(
        "write an nbgrader course folder (source/<assignment>/) from solutions/",
        "defection_course.grading.teacher_cli:configure_nbgrader_export",
    ),
    "report": Job(
        "write a class report (HTML and notebook) from a graded results folder",
        "defection_course.grading.teacher_cli:configure_report",
    ),
    "lms-export": Job(
        "write the marks as a Canvas or Moodle grade-import CSV",
        "defection_course.grading.teacher_cli:configure_lms_export",
    ),
    "handout": Job(
        "write what students get for graded work (lessons, exercises, data, package; no answers)",
        "defection_course.handout:configure",
    ),
    "demo": Job("serve the interactives as a Voila dashboard for class", "defection_course.demo:configure"),
}


def configure(name: str, sub: argparse.ArgumentParser) -> None:
    """Add job ``name``'s arguments to its parser (imports the job's module)."""
    module, function = JOBS[name].configure.split(":")
    getattr(importlib.import_module(module), function)(sub)


def parser(configured: Sequence[str] = tuple(JOBS)) -> argparse.ArgumentParser:
    """The parser, with the arguments of the ``configured`` jobs (the others are listed only)."""
    p = argparse.ArgumentParser(
        prog="python -m defection_course",
        description="Tools for the course 'Leaving North Korea'.",
        epilog=EXIT_CODES,
    )
    sub = p.add_subparsers(dest="job", required=True, metavar="<job>")
    for name, job in JOBS.items():
        job_parser = sub.add_parser(name, help=job.help, description=job.help, epilog=EXIT_CODES)
        if name in configured:
            configure(name, job_parser)
    return p


def _chosen(argv: Sequence[str]) -> list[str]:
    """The job named on the command line (the first word that is not an option), if it is one."""
    first = next((a for a in argv if not a.startswith("-")), None)
    return [first] if first in JOBS else []


def main(argv: Sequence[str] | None = None) -> int:
    """Run one job and return its exit code (see :data:`EXIT_CODES`)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = parser(_chosen(argv)).parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2, argparse has printed why)
        return exc.code if isinstance(exc.code, int) else USAGE_ERROR
    try:
        return int(args.run(args))
    except CourseError as exc:  # a maintainer's or teacher's fixable mistake: say what, no traceback
        print(f"error: {exc}", file=sys.stderr)
    except OSError as exc:  # a file or folder named on the command line is missing or unreadable
        where = f": {exc.filename}" if exc.filename else ""
        print(f"error: {exc.strerror or exc}{where}", file=sys.stderr)
    return USAGE_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
