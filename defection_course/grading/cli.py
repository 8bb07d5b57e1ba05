"""The ``grade``, ``verify`` and ``merge-marks`` jobs: their arguments and what they run.

Registered in :data:`defection_course.cli.JOBS`; the grade command's limit flags are built from
the declaration in :mod:`.limits`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import CourseError
from . import limits


def configure_grade(parser: argparse.ArgumentParser) -> None:
    """The ``grade`` job's arguments."""
    parser.add_argument(
        "exercise", help="the exercise notebook that was handed out, e.g. exercises/02_social_origins.ipynb"
    )
    parser.add_argument("submissions", help="folder with one .ipynb per student")
    parser.add_argument("--out", default="results", help="output folder (default: results)")
    parser.add_argument("--workers", type=int, default=0, help="parallel gradings (default: one per core)")
    limits.add_arguments(parser)
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
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
    if getattr(args, "shard", None):
        from .shards import shard_command

        return shard_command(args, chosen)
    try:
        summary = grade_folder(
            Path(args.exercise),
            Path(args.submissions),
            Path(args.out),
            chosen,
            workers=args.workers,
            quiet=args.quiet,
        )
    except CourseError as exc:
        print(f"Cannot grade: {exc}", file=sys.stderr)
        return 2
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
        f"check the results later with: python -m defection_course verify {args.out} "
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
    print(f"Updated {Path(args.results) / 'gradebook.csv'}")
    print(
        f"Manifest rewritten (SHA-256 {digest}); check the results later with: python -m "
        f"defection_course verify {args.results} --sha256 {digest}"
    )
    return 0
