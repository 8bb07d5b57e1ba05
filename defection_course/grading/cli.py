"""The ``grade`` and ``merge-marks`` commands (argument parsing is in defection_course.cli)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import CourseError
from .batch import grade_folder
from .marks import merge_marks
from .runner import Limits


def grade_command(args: argparse.Namespace) -> int:
    limits = Limits(
        cell_timeout=args.cell_timeout,
        notebook_timeout=args.notebook_timeout,
        memory_mb=args.memory_mb,
        isolate=not getattr(args, "no_isolation", False),
    )
    try:
        summary = grade_folder(
            Path(args.exercise),
            Path(args.submissions),
            Path(args.out),
            limits,
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

    problems = verify(Path(args.results), args.sha256)
    if problems:
        print("The results folder does not match its manifest:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    print(f"{args.results}: every file matches manifest.json.")
    return 0


def merge_command(args: argparse.Namespace) -> int:
    try:
        counts = merge_marks(Path(args.results))
    except CourseError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    for qid, n in counts.items():
        print(f"{qid}: {n} mark(s) merged")
    print(f"Updated {Path(args.results) / 'gradebook.csv'}")
    return 0
