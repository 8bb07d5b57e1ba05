"""Exercises: generated from the solutions, free of answers, and validated both ways.

The checks' outputs read here are the stored ones: the same run of the suite executes every
notebook afresh and offline and fails unless it reproduces them exactly (nbval, and the
comparison item of ``tests/support/notebook_run.py``).
"""

from __future__ import annotations

import re

import nbformat
import pytest
from support import EXERCISES, ROOT, SOLUTIONS

from defection_course import cells, course
from defection_course.authoring.exercise_builder import MARKERS, make_exercise
from defection_course.claims import CLAIMS
from defection_course.questions import QUESTIONS, questions_for


def _read(p):
    return nbformat.read(p, as_version=4)


def _structure(nb):
    return [(c.cell_type, c.source, sorted(c.metadata.get("tags", []))) for c in nb.cells]


def test_every_solution_has_an_exercise_and_vice_versa():
    assert [p.name for p in SOLUTIONS] == [p.name for p in EXERCISES]
    assert [p.name for p in SOLUTIONS] == sorted(
        p.name for p in (ROOT / "solutions").glob("[0-9][0-9]_*.ipynb")
    )
    assert [p.name for p in EXERCISES] == sorted(
        p.name for p in (ROOT / "exercises").glob("[0-9][0-9]_*.ipynb")
    )


@pytest.mark.parametrize("sol", SOLUTIONS, ids=lambda p: p.name)
def test_regenerating_the_exercise_gives_the_committed_one(sol):
    fresh = make_exercise(_read(sol), sol.name)
    committed = _read(ROOT / "exercises" / sol.name)
    assert _structure(fresh) == _structure(committed), "run `make exercises`"


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda p: p.name)
def test_exercise_contains_no_solution(ex):
    nb = _read(ex)
    raw = ex.read_text(encoding="utf-8")
    for marker in MARKERS:
        assert marker not in raw
    for cell in nb.cells:
        assert not cells.is_solution_only(cell) and not cells.is_rubric_cell(cell)
    # No answer literal: the values the solution computes must not appear in the exercise.
    sol = _read(ROOT / "solutions" / ex.name)
    lesson = cells.course_meta(nb)[cells.LESSON]
    literals = _answer_literals(sol, lesson)
    assert literals, "no answers found to look for"
    exercise_text = "\n".join(c.source for c in nb.cells)
    for lit in literals:
        assert lit not in exercise_text, f"{ex.name} gives away the answer {lit}"


def _answer_literals(executed_solution, lesson):
    """Numbers reported as right in the solution's check outputs (3+ significant digits)."""
    found = set()
    for cell in executed_solution.cells:
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                for m in re.finditer(r"PASSED\s+q\d+_\d+: accepted: (-?[\d,]+(?:\.\d+)?)", out.text):
                    value = m.group(1)
                    if len(value.replace(",", "").replace(".", "").lstrip("-0")) >= 3:
                        found |= {value, value.replace(",", "")}
    return found


def _check_outputs(nb):
    """(question id, first line of output) for every check cell."""
    out = []
    for cell in nb.cells:
        if cells.is_check_cell(cell):
            qid = cells.question_of(cell)
            text = "".join(o.text for o in cell.outputs if o.output_type == "stream")
            out.append((qid, text.strip().splitlines()[0] if text.strip() else ""))
    return out


@pytest.mark.parametrize("sol", SOLUTIONS, ids=lambda p: p.name)
def test_every_check_passes_on_the_solution(sol):
    lesson = cells.course_meta(_read(sol))[cells.LESSON]
    results = _check_outputs(_read(sol))
    assert [q for q, _ in results] == [q.qid for q in questions_for(lesson)], (
        "each question needs exactly one check cell, in order"
    )
    for qid, line in results:
        expected = "RECORDED" if QUESTIONS[qid].kind == "text" else "PASSED"
        assert expected in line, f"{qid} on the solution: {line}"


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda p: p.name)
def test_every_check_reports_not_answered_on_the_blank_exercise(ex):
    executed = _read(ex)
    results = _check_outputs(executed)
    assert results
    for qid, line in results:
        assert "NOT ANSWERED" in line, f"{qid} on the blank exercise: {line}"
    last = [c for c in executed.cells if c.cell_type == "code"][-1]
    assert "check_all(" in last.source
    summary = "".join(o.text for o in last.outputs if o.output_type == "stream")
    assert "0 passed" in summary and f"{len(results)} not answered" in summary


@pytest.mark.parametrize("sol", SOLUTIONS, ids=lambda p: p.name)
def test_answer_cells_are_followed_by_their_check_cell(sol):
    nb = _read(sol)
    for i, cell in enumerate(nb.cells):
        if cells.is_answer_cell(cell):
            qid = str(cells.question_of(cell))
            var = QUESTIONS[qid].variable
            assert cell.source.startswith(f"{var} = ...\n### BEGIN SOLUTION"), f"{qid} answer cell layout"
            nxt = nb.cells[i + 1]
            assert cells.is_check_cell(nxt)
            assert nxt.source.strip() == f'check("{qid}", {var})'
    assert cells.course_meta(nb)[cells.ASSIGNMENT] == sol.stem


@pytest.mark.parametrize("lesson", course.with_exercises(ROOT), ids=lambda x: x.id)
def test_every_lesson_has_enough_exercises(lesson):
    qs = questions_for(lesson.exercises.check_number)
    if set(lesson.claims) == {c.id for c in CLAIMS}:  # the capstone weighs every claim
        assert len(qs) >= 3, f"{lesson.id} has {len(qs)} questions"
        return
    assert len(qs) >= 5, f"{lesson.id} has {len(qs)} questions"
    kinds = {q.kind for q in qs}
    assert "text" in kinds and "figure" in kinds and kinds & {"number", "table"}, lesson.id
