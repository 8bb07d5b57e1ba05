"""Generate exercise notebooks from solution notebooks (authors edit only the solutions).

Solution regions use the nbgrader convention, so instructors who use nbgrader can reuse the
solution notebooks as they are::

    share_last_15 = ...
    ### BEGIN SOLUTION
    share_last_15 = round(100 * recent / total, 1)
    ### END SOLUTION

becomes ``share_last_15 = ...`` followed by ``# YOUR CODE HERE``. Cells tagged
``solution-only`` (model answers, rubrics, instructor notes) are dropped. Outputs are
cleared; :func:`build_all` then executes each exercise so that its stored outputs show
every check as "not answered yet".
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import nbformat

from .. import cells
from ..errors import CourseError
from ..paths import course_root
from .execute import normalize

BEGIN = re.compile(r"^(\s*)(#+|<!--)\s*BEGIN SOLUTION\s*(-->)?\s*$")
END = re.compile(r"^\s*(#+|<!--)\s*END SOLUTION\s*(-->)?\s*$")
PLACEHOLDER_CODE = "# YOUR CODE HERE"
PLACEHOLDER_TEXT = "*Write your answer here.*"
MARKERS = ("BEGIN SOLUTION", "END SOLUTION")


class SolutionMarkerError(CourseError, ValueError):
    """A solution region is not closed, or is nested."""


def strip_solution(source: str, placeholder: str, where: str = "") -> str:
    """Replace every BEGIN/END SOLUTION region of a cell's source with a placeholder line."""
    out: list[str] = []
    inside = False
    for line in source.splitlines():
        start = BEGIN.match(line)
        if start:
            if inside:
                raise SolutionMarkerError(f"nested BEGIN SOLUTION {where}")
            inside = True
            out.append(start.group(1) + placeholder)
            continue
        if END.match(line):
            if not inside:
                raise SolutionMarkerError(f"END SOLUTION without BEGIN {where}")
            inside = False
            continue
        if not inside:
            out.append(line)
    if inside:
        raise SolutionMarkerError(f"BEGIN SOLUTION without END {where}")
    return "\n".join(out)


def _is_written(qid: str | None) -> bool:
    from ..questions import QUESTIONS

    return qid is not None and qid in QUESTIONS and QUESTIONS[qid].kind == "text"


def written_answer_cell(source: str) -> str:
    """A written answer's cell: real triple quotes to type between, instead of ``...``."""
    first = source.splitlines()[0]
    variable = first.split("=")[0].strip()
    return f'{variable} = """\n\n"""  # write your answer between the triple quotes, then run this cell'


def like(
    cell: nbformat.NotebookNode, source: str, drop_metadata: tuple[str, ...] = ()
) -> nbformat.NotebookNode:
    """A new cell of the same type, id and metadata as ``cell`` (less ``drop_metadata``), with ``source``."""
    make = {"code": nbformat.v4.new_code_cell, "markdown": nbformat.v4.new_markdown_cell}
    new = make.get(cell.cell_type, nbformat.v4.new_raw_cell)(source)
    new.metadata = {k: v for k, v in cell.get("metadata", {}).items() if k not in drop_metadata}
    new.id = cell.get("id", new.id)
    return new


def make_exercise(solution: nbformat.NotebookNode, name: str = "") -> nbformat.NotebookNode:
    """Return the exercise version of a solution notebook (outputs cleared, not executed)."""
    nb = nbformat.v4.new_notebook()
    # exercises are not paired, and record no run of their own
    skipped = ("jupytext", "defection_course_run")
    nb.metadata = {k: v for k, v in solution.metadata.items() if k not in skipped}
    nb.metadata[cells.META] = {**cells.course_meta(nb), cells.ROLE: "exercise"}
    for i, cell in enumerate(solution.cells):
        if cells.is_solution_only(cell):
            continue
        placeholder = PLACEHOLDER_CODE if cell.cell_type == "code" else PLACEHOLDER_TEXT
        source = strip_solution(cell.source, placeholder, where=f"in {name} cell {i}")
        if cells.is_answer_cell(cell) and _is_written(cells.question_of(cell)):
            source = written_answer_cell(source)
        nb.cells.append(like(cell, source))
    return nb


def exercise_path(solution_path: Path) -> Path:
    """Where the exercise for a solution notebook lives."""
    return course_root() / "exercises" / solution_path.name


def build_all(execute_outputs: bool = True, timeout: int = 120, only: str | None = None) -> list[Path]:
    """Regenerate the exercise notebooks from ``solutions/`` (and store fresh outputs).

    ``only`` limits the build to solutions whose file name starts with it (e.g. ``"02"``).
    """
    from .execute import execute

    written = []
    for sol in sorted((course_root() / "solutions").glob("[0-9][0-9]_*.ipynb")):
        if only and not sol.name.startswith(only):
            continue
        ex = make_exercise(nbformat.read(sol, as_version=4), sol.name)
        target = exercise_path(sol)
        target.parent.mkdir(exist_ok=True)
        if execute_outputs:
            ex = normalize(execute(ex, cwd=target.parent, timeout=timeout))
        nbformat.write(ex, target)
        written.append(target)
    return written


def configure(parser: argparse.ArgumentParser) -> None:
    """The ``build-exercises`` job's arguments (see :mod:`defection_course.cli`)."""
    parser.add_argument("--no-execute", action="store_true", help="do not store fresh outputs")
    parser.add_argument("--timeout", type=int, default=120, help="seconds per cell (default %(default)s)")
    parser.add_argument("--only", help="only solutions whose file name starts with this, e.g. 02")
    parser.set_defaults(run=run_job)


def run_job(args: argparse.Namespace) -> int:
    """Write the exercises; naming no solution with ``--only`` is an input error."""
    written = build_all(execute_outputs=not args.no_execute, timeout=args.timeout, only=args.only)
    if not written:
        raise CourseError(f"no solution in solutions/ whose name starts with {args.only!r}.")
    for path in written:
        print(f"wrote {path}")
    return 0
