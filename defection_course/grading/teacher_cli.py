"""The teacher's jobs ``nbgrader-export``, ``report`` and ``lms-export`` (registered in ``cli.JOBS``).

Imports are done inside the commands, so building the parser stays fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import CourseError


def configure_nbgrader_export(parser: argparse.ArgumentParser) -> None:
    """The ``nbgrader-export`` job's arguments."""
    parser.add_argument("out", help="the nbgrader course folder to write, e.g. nbgrader-course")
    parser.add_argument("--only", help="only solutions whose file name starts with this, e.g. 02")
    parser.set_defaults(run=run, teacher="nbgrader-export")


def configure_report(parser: argparse.ArgumentParser) -> None:
    """The ``report`` job's arguments."""
    parser.add_argument("results", help="the --out folder of a grade run")
    parser.add_argument("--out", help="folder for report.html and report.ipynb (default: the results folder)")
    parser.add_argument("--sha256", help="the manifest SHA-256 the grade command (or merge-marks) printed")
    parser.set_defaults(run=run, teacher="report")


def configure_lms_export(parser: argparse.ArgumentParser) -> None:
    """The ``lms-export`` job's arguments."""
    parser.add_argument("results", nargs="+", help="one graded results folder per assignment")
    parser.add_argument("--lms", choices=("canvas", "moodle"), required=True)
    parser.add_argument("--out", required=True, help="the CSV file to write")
    parser.add_argument(
        "--roster",
        help="the LMS's own gradebook export, as downloaded (Canvas: Grades > Export; Moodle: Grades > "
        "Export > Plain text file): needed for Moodle, and for Canvas unless the submissions came from "
        "Canvas's bulk download (whose file names carry the Canvas user id)",
    )
    parser.add_argument(
        "--assignment",
        action="append",
        help="the LMS's column for the marks, one per results folder: Canvas 'Title (assignment id)' as "
        "in its gradebook export (found there by title if the roster is given); Moodle the grade "
        "item's name",
    )
    parser.add_argument(
        "--pending",
        choices=("leave-out", "auto"),
        default="leave-out",
        help="students whose written answers are not marked yet: leave them out of the file, so their "
        "grade in the LMS is not touched (default), or export the automatic points with a feedback "
        "saying the grade will change",
    )
    parser.set_defaults(run=run, teacher="lms-export")


def run(args: argparse.Namespace) -> int:
    """Run one of the teacher's commands; a :class:`CourseError` becomes a message and exit code 2."""
    try:
        if args.teacher == "nbgrader-export":
            from .nbgrader_export import export

            done = export(Path(args.out), only=args.only)
            for assignment, cells in done.items():
                points = sum(c.points for c in cells)
                print(f"{assignment}: {len(cells)} graded cells, {points:g} points")
            print(
                f"wrote {Path(args.out) / 'source'}; next: cd {args.out} && "
                "nbgrader generate_assignment <assignment>"
            )
        elif args.teacher == "report":
            from .class_report import write_report

            html, notebook = write_report(
                Path(args.results), Path(args.out) if args.out else None, getattr(args, "sha256", None)
            )
            print(f"wrote {html} and {notebook}")
        else:
            from .lms import export_lms

            summary, complete = export_lms(
                [Path(r) for r in args.results],
                args.lms,
                Path(args.out),
                roster=Path(args.roster) if args.roster else None,
                pending=args.pending,
                assignments=args.assignment,
            )
            print(summary, file=sys.stdout if complete else sys.stderr)
            return 0 if complete else 1
    except CourseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
