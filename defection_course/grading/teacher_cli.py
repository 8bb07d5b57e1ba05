"""The teacher's commands ``nbgrader-export``, ``report`` and ``lms-export`` (registered in ``cli``).

Imports are done inside the commands, so building the parser stays fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from ..errors import CourseError


def add_commands(sub: argparse._SubParsersAction, func: Callable[[argparse.Namespace], int]) -> None:
    """Add the three commands to the course's command-line parser."""
    nb = sub.add_parser(
        "nbgrader-export", help="write an nbgrader course folder (source/<assignment>/) from solutions/"
    )
    nb.add_argument("out", help="the nbgrader course folder to write, e.g. nbgrader-course")
    nb.add_argument("--only", help="only solutions whose file name starts with this, e.g. 02")
    nb.set_defaults(func=func, teacher="nbgrader-export")

    rp = sub.add_parser(
        "report", help="write a class report (HTML and notebook) from a graded results folder"
    )
    rp.add_argument("results", help="the --out folder of a grade run")
    rp.add_argument("--out", help="folder for report.html and report.ipynb (default: the results folder)")
    rp.set_defaults(func=func, teacher="report")

    lm = sub.add_parser("lms-export", help="write the marks as a Canvas or Moodle grade-import CSV")
    lm.add_argument("results", nargs="+", help="one graded results folder per assignment")
    lm.add_argument("--lms", choices=("canvas", "moodle"), required=True)
    lm.add_argument("--out", required=True, help="the CSV file to write")
    lm.add_argument(
        "--roster", help="CSV with a 'student' column (the submission file name) and the LMS's own columns"
    )
    lm.add_argument(
        "--pending",
        choices=("blank", "auto"),
        default="blank",
        help="students whose written answers are not marked yet: leave the score blank (default) "
        "or export the automatically checked points only",
    )
    lm.set_defaults(func=func, teacher="lms-export")


def run(args: argparse.Namespace) -> int:
    """Run one of the teacher's commands; a :class:`CourseError` becomes a message and exit code 1."""
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

            html, notebook = write_report(Path(args.results), Path(args.out) if args.out else None)
            print(f"wrote {html} and {notebook}")
        else:
            from .lms import export_lms

            summary = export_lms(
                [Path(r) for r in args.results],
                args.lms,
                Path(args.out),
                roster=Path(args.roster) if args.roster else None,
                pending=args.pending,
            )
            print(summary)
    except CourseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
