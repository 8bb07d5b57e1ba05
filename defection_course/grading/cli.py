"""The ``grade``, ``verify`` and ``merge-marks`` jobs: their arguments and what they run.

Registered in :data:`defection_course.cli.JOBS`; the grade command's limit flags are built from
the declaration in :mod:`.limits`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import CourseError
from ..paths import course_command
from . import limits
from .layout import KEEP_POLICIES, parse_time


def configure_grade(parser: argparse.ArgumentParser) -> None:
    """The ``grade`` job's arguments."""
    parser.add_argument(
        "exercise", help="the exercise notebook that was handed out, e.g. exercises/02_social_origins.ipynb"
    )
    parser.add_argument(
        "submissions",
        help="the folder of submissions, in any of the three layouts (mixed is fine): one .ipynb per "
        "student (alice.ipynb); an nbgrader course or its submitted/ folder "
        "(submitted/<student>/<assignment>/<notebook>.ipynb, with nbgrader's timestamp.txt); a "
        "learning platform's bulk download: Canvas (lastfirst_[LATE_]<user id>_<attachment id>_<file>) "
        "or Moodle, flat or in folders (<Full Name>_<number>_assignsubmission_file_...)",
    )
    parser.add_argument("--out", default="results", help="output folder (default: results)")
    parser.add_argument("--workers", type=int, default=0, help="parallel gradings (default: one per core)")
    limits.add_arguments(parser)
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument(
        "--keep",
        choices=KEEP_POLICIES,
        default="reject",
        help="two files for one student (a resubmission: 'alice (1).ipynb', nbgrader's '-Copy1', "
        "Canvas's '-1' re-upload or a LATE_ file): grade neither and say why (reject, the default), "
        "or grade the latest and list the others in the student's row (latest)",
    )
    parser.add_argument(
        "--due",
        help="the deadline, e.g. '2026-12-04 23:59' (UTC unless a zone is given, e.g. +09:00): the "
        "late column says yes when nbgrader's timestamp.txt is after it (Canvas's LATE_ flag is "
        "used as it is; other layouts carry no time, so late stays empty)",
    )
    parser.add_argument(
        "--shard",
        metavar="i/N",
        help="grade only shard i (0..N-1) of the class, by student identity; merge with merge-shards",
    )
    parser.add_argument(
        "--no-isolation",
        action="store_true",
        help="grade even where the operating system cannot isolate submissions (trusted notebooks only)",
    )
    parser.set_defaults(run=grade_command)


def configure_verify(parser: argparse.ArgumentParser) -> None:
    """The ``verify`` job's arguments."""
    parser.add_argument("results", help="the --out folder of a grade run")
    parser.add_argument("--sha256", help="the manifest SHA-256 the grade command printed")
    parser.set_defaults(run=verify_command)


def configure_merge(parser: argparse.ArgumentParser) -> None:
    """The ``merge-marks`` job's arguments."""
    parser.add_argument("results", help="the --out folder of a grade run")
    parser.add_argument(
        "--sha256", help="the manifest SHA-256 printed by the grade command (or the last merge-marks)"
    )
    parser.set_defaults(run=merge_command)


def grade_command(args: argparse.Namespace) -> int:
    from .batch import grade_folder

    chosen = limits.from_arguments(args, isolate=not getattr(args, "no_isolation", False))
    if not Path(args.exercise).is_file():
        raise CourseError(f"{args.exercise}: no such exercise notebook (give the one that was handed out).")
    if not Path(args.submissions).is_dir():
        raise CourseError(f"{args.submissions}: no such folder of submissions.")
    args.due_time = None
    if getattr(args, "due", None):
        args.due_time = parse_time(args.due)
        if args.due_time is None:
            raise CourseError(f"--due {args.due!r} is not a date and time such as '2026-12-04 23:59'.")
    if getattr(args, "shard", None):
        from .shards import shard_command

        return shard_command(args, chosen)
    summary = grade_folder(
        Path(args.exercise),
        Path(args.submissions),
        Path(args.out),
        chosen,
        workers=args.workers,
        quiet=args.quiet,
        keep=args.keep,
        due=args.due_time,
    )
    print(
        f"Graded {summary['graded']} of {summary['submissions']} submissions "
        f"({summary['rejected']} rejected, {summary['errors']} grader errors) in "
        f"{summary['seconds']} s with {summary['workers']} workers."
    )
    print(
        f"Gradebook: {Path(args.out) / 'gradebook.csv'}; feedback in {Path(args.out) / 'feedback'}; "
        f"written answers to mark in {Path(args.out) / 'review'}."
    )
    print(f"Isolation: {summary['isolation']}.")
    print(
        f"Manifest: {Path(args.out) / 'manifest.json'} (SHA-256 {summary['manifest_sha256']}); "
        f"check the results later with: {course_command('verify')} {args.out} "
        f"--sha256 {summary['manifest_sha256']}"
    )
    return 0


def verify_command(args: argparse.Namespace) -> int:
    """``verify RESULTS``: is the results folder exactly as the grader (or merge-marks) wrote it?"""
    from .manifest import verify

    if not Path(args.results).is_dir():
        raise CourseError(f"{args.results}: no such results folder.")
    problems = verify(Path(args.results), args.sha256)
    if problems:
        print("The results folder does not match its manifest:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    print(f"{args.results}: every file matches manifest.json.")
    return 0


def merge_command(args: argparse.Namespace) -> int:
    from .marks import merge_marks

    try:
        counts, digest = merge_marks(Path(args.results), getattr(args, "sha256", None))
    except CourseError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    for qid, n in counts.items():
        print(f"{qid}: {n} mark(s) merged")
    print(
        f"Updated {Path(args.results) / 'gradebook.csv'} and the feedback in "
        f"{Path(args.results) / 'feedback'} (a .md and a self-contained .html page per student)."
    )
    print(
        f"Manifest rewritten (SHA-256 {digest}); check the results later with: "
        f"{course_command('verify')} {args.results} --sha256 {digest}"
    )
    return 0
