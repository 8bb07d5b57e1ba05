"""The cell vocabulary (``defection_course.cells``) covers every tag and course key the notebooks use."""

from __future__ import annotations

import nbformat
import pytest
from support import ALL_NOTEBOOKS, ROOT

from defection_course import cells


def _name(path):
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=_name)
def test_every_tag_and_course_key_is_in_the_vocabulary(path):
    nb = nbformat.read(path, as_version=4)
    notebook_keys = {cells.LESSON, cells.ASSIGNMENT, cells.ROLE}
    assert set(cells.course_meta(nb)) <= notebook_keys
    for i, cell in enumerate(nb.cells):
        assert cells.tags(cell) <= cells.TAGS, f"cell {i}: unknown tag(s) {cells.tags(cell) - cells.TAGS}"
        assert set(cells.course_meta(cell)) <= {cells.QUESTION}, f"cell {i}"


def test_the_predicates_read_the_tags_and_metadata():
    answer = nbformat.v4.new_code_cell(
        "x = 1", metadata={"tags": ["answer"], "defection_course": {"question": "q1_1"}}
    )
    assert cells.is_answer_cell(answer) and cells.question_of(answer) == "q1_1"
    as_markdown = nbformat.v4.new_markdown_cell("x", metadata={"tags": ["answer"]})
    assert not cells.is_answer_cell(as_markdown)  # an answer is code
    definition = nbformat.v4.new_markdown_cell(
        "x", metadata={"tags": ["question-definition", "solution-only"]}
    )
    assert cells.is_definition_cell(definition) and cells.is_solution_only(definition)
    odd = nbformat.v4.new_code_cell("", metadata={"defection_course": "not a mapping"})
    assert cells.question_of(odd) is None and cells.course_meta(odd) == {}
