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
        cell_timeout=args.cell_timeout, notebook_timeout=args.notebook_timeout, memory_mb=args.memory_mb
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
