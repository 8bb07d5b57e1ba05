"""Command line: ``python -m defection_course <command>`` (see ``--help``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _execute(args: argparse.Namespace) -> int:
    from .execute import run_in_place

    for path in args.notebooks:
        print(f"executing {path}", flush=True)
        run_in_place(Path(path), timeout=args.timeout)
    return 0


def _sync(args: argparse.Namespace) -> int:
    from .exercise_builder import build_all
    from .sync import sync

    done = sync(args.notebooks, timeout=args.timeout, check_only=args.check)
    for pair, why in done:
        print(f"{'out of date' if args.check else 'synced'}: {pair.name} ({'; '.join(why)})", flush=True)
    if args.check:
        return 1 if done else 0
    solutions = [pair for pair, _ in done if pair.ipynb.parent.name == "solutions"]
    if solutions:
        from .authoring import questions

        for path in questions.write(questions.build(timeout=args.timeout)):
            print(f"rebuilt {path}", flush=True)
        for pair in solutions:
            for path in build_all(timeout=args.timeout, only=pair.ipynb.name[:2]):
                print(f"rebuilt {path}", flush=True)
    if not done:
        print("every notebook is in step with its .md source")
    return 0


def _build_questions(args: argparse.Namespace) -> int:
    from .authoring import questions

    stale = questions.write(questions.build(timeout=args.timeout), check_only=args.check)
    for path in stale:
        print(f"{'out of date' if args.check else 'wrote'}: {path}")
    if not stale:
        print("questions.json, keys.json and tests/generated/answer_cases.json are up to date")
    return 1 if (args.check and stale) else 0


def _build_exercises(args: argparse.Namespace) -> int:
    from .exercise_builder import build_all

    for path in build_all(execute_outputs=not args.no_execute, timeout=args.timeout, only=args.only):
        print(f"wrote {path}")
    return 0


def _grade(args: argparse.Namespace) -> int:
    from .grading.cli import grade_command

    return grade_command(args)


def _merge(args: argparse.Namespace) -> int:
    from .grading.cli import merge_command

    return merge_command(args)


def _teacher(args: argparse.Namespace) -> int:
    from .grading.teacher_cli import run

    return run(args)


def _verify(args: argparse.Namespace) -> int:
    from .grading.cli import verify_command

    return verify_command(args)


def _demo(args: argparse.Namespace) -> int:
    from .demo import serve

    return serve(port=args.port, open_browser=not args.no_browser)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m defection_course", description="Tools for the course 'Leaving North Korea'."
    )
    sub = p.add_subparsers(dest="command", required=True)

    ex = sub.add_parser("execute", help="run notebooks in a fresh kernel and store their outputs")
    ex.add_argument("notebooks", nargs="+")
    ex.add_argument("--timeout", type=int, default=120, help="seconds per cell (default 120)")
    ex.set_defaults(func=_execute)

    sy = sub.add_parser(
        "sync",
        help="copy edited .md sources into their .ipynb, re-execute them and store normalised outputs "
        "(and rebuild the exercise of a changed solution)",
    )
    sy.add_argument("notebooks", nargs="*", help="only these (re-executed even if unchanged)")
    sy.add_argument("--check", action="store_true", help="only list what is out of date (exit 1 if any)")
    sy.add_argument("--timeout", type=int, default=120, help="seconds per cell (default 120)")
    sy.set_defaults(func=_sync)

    bq = sub.add_parser(
        "build-questions",
        help="run the solutions with their questions' cases; write questions.json, keys.json, test cases",
    )
    bq.add_argument("--check", action="store_true", help="write nothing; exit 1 if anything is out of date")
    bq.add_argument("--timeout", type=int, default=120, help="seconds per cell (default 120)")
    bq.set_defaults(func=_build_questions)

    be = sub.add_parser("build-exercises", help="regenerate exercises/ from solutions/")
    be.add_argument("--no-execute", action="store_true", help="do not store fresh outputs")
    be.add_argument("--timeout", type=int, default=120)
    be.add_argument("--only", help="only solutions whose file name starts with this, e.g. 02")
    be.set_defaults(func=_build_exercises)

    gr = sub.add_parser("grade", help="grade a folder of submitted exercise notebooks")
    gr.add_argument(
        "exercise", help="the exercise notebook that was handed out, e.g. exercises/02_social_origins.ipynb"
    )
    gr.add_argument("submissions", help="folder with one .ipynb per student")
    gr.add_argument("--out", default="results", help="output folder (default: results)")
    gr.add_argument("--workers", type=int, default=0, help="parallel gradings (default: one per core)")
    gr.add_argument("--cell-timeout", type=int, default=30, help="seconds per cell (default 30)")
    gr.add_argument("--notebook-timeout", type=int, default=180, help="seconds per submission (default 180)")
    gr.add_argument("--memory-mb", type=int, default=2048, help="memory limit per submission")
    gr.add_argument("--quiet", action="store_true", help="no progress bar")
    gr.add_argument(
        "--no-isolation",
        action="store_true",
        help="grade even where the operating system cannot isolate submissions (trusted notebooks only)",
    )
    gr.set_defaults(func=_grade)

    ve = sub.add_parser("verify", help="check a results folder against the manifest the grader wrote")
    ve.add_argument("results", help="the --out folder of a grade run")
    ve.add_argument("--sha256", help="the manifest SHA-256 the grade command printed")
    ve.set_defaults(func=_verify)

    mm = sub.add_parser("merge-marks", help="merge hand-marked written answers into the gradebook")
    mm.add_argument("results", help="the --out folder of a grade run")
    mm.set_defaults(func=_merge)

    from .grading.teacher_cli import add_commands

    add_commands(sub, _teacher)

    dm = sub.add_parser("demo", help="serve the interactives as a Voila dashboard for class")
    dm.add_argument("--port", type=int, default=8866)
    dm.add_argument("--no-browser", action="store_true")
    dm.set_defaults(func=_demo)
    return p


def main(argv: list[str] | None = None) -> int:
    from .authoring.questions import QuestionDefinitionError
    from .errors import CourseError

    args = parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (QuestionDefinitionError, CourseError) as exc:  # a maintainer's or user's fixable mistake
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
