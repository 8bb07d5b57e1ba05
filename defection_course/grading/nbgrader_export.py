"""Export the solution notebooks as an nbgrader course folder (``source/<assignment>/<nb>.ipynb``).

Everything is derived from the conventions the solution notebooks already follow:

* an **answer cell** (tag ``answer``, ``metadata.defection_course.question``, a ``### BEGIN/END
  SOLUTION`` region) becomes an nbgrader *solution* cell. For a written question (``kind ==
  "text"``) it is a *manually graded answer* worth the rubric's maximum mark, and the rubric is
  put inside the solution region (as comments), so it is in the instructor's version only;
* a **check cell** (tag ``check``) of an automatically checked question becomes an *autograder
  test* worth the question's ``points``. It still calls ``check()`` (the student sees the course's
  feedback), and a ``### BEGIN/END HIDDEN TESTS`` region adds :func:`require_passed`, which raises
  ``AssertionError`` unless the answer passed: under ``nbgrader autograde`` the error is what
  scores the cell 0. nbgrader removes the hidden region from the student version (and would then
  call every untouched check cell "changed": ``nbgrader_config.py`` drops exactly those warnings);
* the rubric cells (tags ``solution-only``, ``rubric``) are dropped, as in ``exercises/``;
* every other cell (prompts, the set-up cell, widget cells, the written question's check
  cell, the ``check-all`` cell) is a *read-only* (locked) cell, which nbgrader restores from
  the source when it autogrades.

The student version nbgrader generates is then the same, cell by cell, as ``exercises/``
(``tests/grading/test_nbgrader.py`` checks it, and that ``nbgrader autograde`` agrees with the course's
grader). ``require_passed`` lives here so that the hidden tests need only this package.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from .. import cells
from ..authoring.exercise_builder import like, written_answer_cell
from ..checks.spec import PASSED, Question
from ..errors import CourseError
from ..paths import course_root
from ..questions import QUESTIONS
from .reports import rubrics

SCHEMA_VERSION = 3
CODE_STUB = "# YOUR CODE HERE"  #: the placeholder exercises/ uses (exercise_builder.PLACEHOLDER_CODE)
TEXT_STUB = "*Write your answer here.*"
HIDDEN = (
    "### BEGIN HIDDEN TESTS\n"
    "from defection_course.grading.nbgrader_export import require_passed\n"
    "require_passed({qid!r}, {variable})\n"
    "### END HIDDEN TESTS"
)
CONFIG = '''\
"""nbgrader configuration for the course 'Leaving North Korea' (written by nbgrader-export)."""

import os

c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "defection-course"
# The folder this file is in (traitlets sets __file__): the course folder can be moved or copied.
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
# The exercises keep the course's placeholder instead of nbgrader's `raise NotImplementedError()`:
c.ClearSolutions.code_stub = {{"python": {code_stub!r}}}
c.ClearSolutions.text_stub = {text_stub!r}
# Always a timeout (see the course's stack notes: widget cells can stall nbclient).
c.ExecutePreprocessor.timeout = 60
c.Execute.timeout = 60

# nbgrader stores an autograder test's checksum before it removes the hidden tests, then compares
# the student's cell (which never had them) with it, so it would report every untouched check cell
# as changed (jupyter/nbgrader#1961). A warning whose "got" checksum is that of the released,
# untouched cell is dropped; any other change to a locked cell is still reported.
import logging  # noqa: E402

_RELEASED = {released!r}


class _UntouchedCheckCells(logging.Filter):
    def filter(self, record):
        args = record.args if isinstance(record.args, tuple) else ()
        return not (len(args) == 4 and args[0] == "checksum" and _RELEASED.get(args[1]) == args[3])


logging.getLogger("AutogradeApp").addFilter(_UntouchedCheckCells())

# A notebook with none of nbgrader's cells (the course's own exercises/ copy) stops with a reason
# instead of scoring 0 everywhere (defection_course/grading/nbgrader_guard.py).
from defection_course.grading.nbgrader_guard import RequireReleasedNotebook  # noqa: E402
from nbgrader.preprocessors import (  # noqa: E402
    CheckCellMetadata, ClearOutput, DeduplicateIds, OverwriteCells, OverwriteKernelspec,
)

c.Autograde.sanitize_preprocessors = [
    RequireReleasedNotebook, ClearOutput, DeduplicateIds, OverwriteKernelspec, OverwriteCells,
    CheckCellMetadata,
]  # nbgrader 0.9.6's own list, with the guard first
'''


def require_passed(qid: str, answer: Any = ...) -> None:
    """Raise ``AssertionError`` (with the course's message) unless the answer passes its check.

    Used in the hidden tests of the exported nbgrader notebooks; ``check()`` itself never raises.
    """
    from ..checks.runner import format_result, result_for

    result = result_for(qid, answer)
    if result.status != PASSED:
        raise AssertionError(format_result(result))


@dataclass(frozen=True)
class ExportedCell:
    """What one exported cell is, for the score comparison: grade id, question and points."""

    grade_id: str
    qid: str
    points: float
    manual: bool


def _nbgrader(
    grade_id: str, *, solution: bool, grade: bool, locked: bool, points: float | None = None
) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": SCHEMA_VERSION,
        "solution": solution,
        "task": False,
    }
    if grade:
        meta["points"] = points
    return meta


def released_checksum(source: str, meta: dict[str, Any]) -> str:
    """nbgrader's checksum (``nbgrader.utils.compute_checksum``) of a code cell as released.

    ``source`` is the source version; nbgrader's ``ClearHiddenTests`` keeps every line outside
    the ``### BEGIN/END HIDDEN TESTS`` region.
    """
    kept, hidden = [], False
    for line in source.split("\n"):
        if "BEGIN HIDDEN TESTS" in line:
            hidden = True
        elif "END HIDDEN TESTS" in line:
            hidden = False
        elif not hidden:
            kept.append(line)
    digest = hashlib.md5(usedforsecurity=False)
    for part in ("\n".join(kept), "code", str(meta["grade"]), str(meta["solution"]), str(meta["locked"])):
        digest.update(part.encode("utf-8"))
    digest.update(meta["grade_id"].encode("utf-8"))
    if meta["grade"]:
        digest.update(str(float(meta["points"])).encode("utf-8"))
    return digest.hexdigest()


def _with_rubric(source: str, rubric: str) -> str:
    """Put the rubric, as comments, at the top of the solution region of a written answer."""
    comment = "\n".join(("# " + line).rstrip() for line in rubric.strip().splitlines())
    return re.sub(
        r"^(\s*### BEGIN SOLUTION\s*)$", lambda m: m.group(1) + "\n" + comment, source, count=1, flags=re.M
    )


def export_notebook(
    solution: nbformat.NotebookNode, rubric_of: dict[str, tuple[str, float]], name: str = ""
) -> tuple[nbformat.NotebookNode, list[ExportedCell]]:
    """The nbgrader source version of one solution notebook, and its graded cells."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {k: v for k, v in solution.metadata.items() if k != "jupytext"}
    nb.metadata[cells.META] = {**cells.course_meta(nb), cells.ROLE: "nbgrader-source"}
    graded: list[ExportedCell] = []
    for index, cell in enumerate(solution.cells):
        if cells.is_solution_only(cell):
            continue  # rubrics and instructor notes: not in the student version (as in exercises/)
        qid = cells.question_of(cell)
        question: Question | None = QUESTIONS.get(qid) if qid else None
        source = cell.source
        new = like(cell, source, drop_metadata=("nbgrader", "execution"))
        if cells.is_answer_cell(cell) and question is not None:
            grade_id = f"{question.qid}-answer"
            if question.kind == "text":
                if question.qid not in rubric_of:
                    raise CourseError(f"{name}: no rubric cell for the written question {question.qid}")
                text, max_mark = rubric_of[question.qid]
                first, _, rest = source.partition("\n")
                # start as the exercise does, with triple quotes to type between
                new.source = _with_rubric(written_answer_cell(first) + "\n" + rest, text)
                new.metadata["nbgrader"] = _nbgrader(
                    grade_id, solution=True, grade=True, locked=False, points=max_mark
                )
                graded.append(ExportedCell(grade_id, question.qid, max_mark, True))
            else:
                new.metadata["nbgrader"] = _nbgrader(grade_id, solution=True, grade=False, locked=False)
        elif cells.is_check_cell(cell) and question is not None and question.kind != "text":
            grade_id = f"{question.qid}-check"
            new.source = source.rstrip() + "\n" + HIDDEN.format(qid=question.qid, variable=question.variable)
            new.metadata["nbgrader"] = _nbgrader(
                grade_id, solution=False, grade=True, locked=True, points=float(question.points)
            )
            graded.append(ExportedCell(grade_id, question.qid, float(question.points), False))
        else:
            if "BEGIN SOLUTION" in source:
                raise CourseError(
                    f"{name} cell {index}: a solution region outside an answer cell "
                    "(tag 'answer' and metadata defection_course.question)"
                )
            label = f"{qid}-{'check' if cells.is_check_cell(cell) else 'cell'}" if qid else "cell"
            new.metadata["nbgrader"] = _nbgrader(
                f"{label}-{index:02d}", solution=False, grade=False, locked=True
            )
        nb.cells.append(new)
    return nb, graded


def assignment_name(solution_path: Path) -> str:
    """The nbgrader assignment name of a solution notebook: ``02_social_origins`` -> ``ps02``."""
    return f"ps{solution_path.name[:2]}"


def export(out: Path, only: str | None = None) -> dict[str, list[ExportedCell]]:
    """Write ``out/nbgrader_config.py`` and ``out/source/<assignment>/<notebook>.ipynb``.

    Returns the graded cells of each assignment. ``only`` limits the export to solutions whose
    file name starts with it (e.g. ``"02"``).
    """
    out = out.resolve()
    solutions = sorted((course_root() / "solutions").glob("[0-9][0-9]_*.ipynb"))
    if not solutions:
        raise CourseError("no solution notebooks found in solutions/")
    done: dict[str, list[ExportedCell]] = {}
    released: dict[str, str] = {}  # grade id -> checksum of the untouched released check cell
    for path in solutions:
        if only and not path.name.startswith(only):
            continue
        nb, graded = export_notebook(nbformat.read(path, as_version=4), rubrics(path), path.name)
        target = out / "source" / assignment_name(path) / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, target)
        done[assignment_name(path)] = graded
        for cell in nb.cells:
            meta = cell.metadata["nbgrader"]
            if "BEGIN HIDDEN TESTS" in cell.source:
                released[meta["grade_id"]] = released_checksum(cell.source, meta)
    (out / "nbgrader_config.py").write_text(
        CONFIG.format(code_stub=CODE_STUB, text_stub=TEXT_STUB, released=released),
        encoding="utf-8",
    )
    return done
