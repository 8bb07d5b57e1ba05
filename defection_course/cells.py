"""The cell vocabulary: the tags and metadata keys the course's notebooks use, and predicates on them.

Every tool that reads a notebook's structure (the exercise builder, the question builder, the
nbgrader export, the grader's assembly and reports, the tests) asks this module, so a tag is
spelled once. ``tests/notebooks/test_exercises.py`` fails when a notebook uses a tag that is not
listed in :data:`TAGS`.

Cells are tagged in their MyST source (``tags: [answer]``); the course's own metadata sits under
one key, ``defection_course`` (``defection_course: {question: q1_1}`` on a cell; ``lesson``,
``assignment``, ``role`` and ``tables`` on a notebook).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# ----------------------------------------------------------------------------- tags
ANSWER = "answer"  #: a code cell where the learner writes an answer (its metadata names the question)
CHECK = "check"  #: the cell right after an answer, calling ``check("qN_M", answer)``
CHECK_ALL = "check-all"  #: the summary cell calling ``check_all()``
SOLUTION_ONLY = "solution-only"  #: dropped from exercises (model answers, rubrics, definitions)
QUESTION_DEFINITION = "question-definition"  #: a question's YAML definition (also solution-only)
RUBRIC = "rubric"  #: a written question's rubric (solution-only; copied into review files)
WIDGET = "widget"  #: shows an interactive; the grader does not run it
SOURCES = "sources"  #: a lesson's generated Sources cell
RAISES_EXCEPTION = "raises-exception"  #: a cell meant to raise (nbval and nbclient honour it)
NBVAL_IGNORE_OUTPUT = "nbval-ignore-output"  #: outputs nbval does not compare
REMOVE_INPUT = "remove-input"  #: the website shows only the output

#: Every tag a course notebook may carry.
TAGS: frozenset[str] = frozenset(
    {
        ANSWER,
        CHECK,
        CHECK_ALL,
        SOLUTION_ONLY,
        QUESTION_DEFINITION,
        RUBRIC,
        WIDGET,
        SOURCES,
        RAISES_EXCEPTION,
        NBVAL_IGNORE_OUTPUT,
        REMOVE_INPUT,
    }
)

# ----------------------------------------------------------------------------- metadata
#: The course's key in cell and notebook metadata.
META = "defection_course"
#: Cell metadata: the question an answer, check or rubric cell belongs to (``q1_1``).
QUESTION = "question"
#: Cell metadata the grader adds to the cells that capture answers.
CAPTURE = "capture"
#: Notebook metadata: the lesson number, the assignment name (the file stem) and what the notebook is.
#: The tables a lesson loads are not repeated here: ``course.yml`` lists them (``course.notebook_tables``).
LESSON, ASSIGNMENT, ROLE = "lesson", "assignment", "role"


def tags(cell: Mapping[str, Any]) -> set[str]:
    """The cell's tags."""
    return set(cell.get("metadata", {}).get("tags", []))


def course_meta(item: Mapping[str, Any]) -> dict[str, Any]:
    """The course's metadata of a cell or notebook (``{}`` when absent or not a mapping)."""
    meta = item.get("metadata", {}).get(META, {})
    return dict(meta) if isinstance(meta, Mapping) else {}


def question_of(cell: Mapping[str, Any]) -> str | None:
    """The question a cell belongs to (its ``defection_course.question``), if any."""
    qid = course_meta(cell).get(QUESTION)
    return qid if isinstance(qid, str) else None


def is_code(cell: Mapping[str, Any]) -> bool:
    return cell.get("cell_type") == "code"


def is_answer_cell(cell: Mapping[str, Any]) -> bool:
    """A code cell where the learner answers a question."""
    return is_code(cell) and ANSWER in tags(cell)


def is_check_cell(cell: Mapping[str, Any]) -> bool:
    """A cell that checks one answer."""
    return CHECK in tags(cell)


def is_solution_only(cell: Mapping[str, Any]) -> bool:
    """A cell the exercise (and the nbgrader source) leaves out."""
    return SOLUTION_ONLY in tags(cell)


def is_definition_cell(cell: Mapping[str, Any]) -> bool:
    """A Markdown cell holding a question's definition."""
    return cell.get("cell_type") == "markdown" and QUESTION_DEFINITION in tags(cell)


def is_rubric_cell(cell: Mapping[str, Any]) -> bool:
    """A written question's rubric."""
    return RUBRIC in tags(cell)


def is_widget_cell(cell: Mapping[str, Any]) -> bool:
    """A cell that shows an interactive."""
    return WIDGET in tags(cell)
