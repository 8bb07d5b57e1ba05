"""Submissions built from the lesson 1 solution, for the grader's attack tests."""

from __future__ import annotations

import copy

import nbformat

from defection_course.cells import is_answer_cell, question_of

from . import ROOT

EXERCISE = ROOT / "exercises" / "01_defection_history.ipynb"
SOLUTION = ROOT / "solutions" / "01_defection_history.ipynb"


def solution(
    extra: str = "", q17: str | None = None, after_q1_1: str = "", after: dict[str, str] | None = None
) -> str:
    """The solution, outputs cleared, with an extra first code cell / a replaced written answer /
    code appended to the answer cell of q1_1 (or of each question in ``after``)."""
    appended = {"q1_1": after_q1_1, **(after or {})}
    nb = copy.deepcopy(nbformat.read(SOLUTION, as_version=4))
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        if is_answer_cell(cell) and question_of(cell) == "q1_7" and q17 is not None:
            cell.source = q17
        if is_answer_cell(cell) and appended.get(question_of(cell) or ""):
            cell.source += "\n" + appended[question_of(cell) or ""]
    if extra:
        nb.cells.insert(2, nbformat.v4.new_code_cell(extra))  # after the imports and data
    return nbformat.writes(nb)
