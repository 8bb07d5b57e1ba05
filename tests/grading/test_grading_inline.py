"""The grade equals the verdict the student saw in the notebook, even with check() in an answer cell."""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat
import pytest
from support import ROOT
from support.grader import grade

EXERCISE = ROOT / "exercises" / "01_defection_history.ipynb"
SOLUTION = ROOT / "solutions" / "01_defection_history.ipynb"
pytestmark = pytest.mark.slow


def _submission(join_check: bool = False, search: bool = False, lorem: bool = False) -> str:
    nb = copy.deepcopy(nbformat.read(SOLUTION, as_version=4))
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        tags = cell.metadata.get("tags", [])
        qid = cell.metadata.get("defection_course", {}).get("question")
        if join_check and "check" in tags and qid == "q1_1" and cells:
            cells[-1].source += "\n" + cell.source  # answer and check in one cell, as students often do
            continue
        if lorem and "answer" in tags and qid == "q1_7":
            cell.source = 'answer_q1_7 = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 8'
        if search and "answer" in tags and qid == "q1_2":
            cell.source += "\nfor guess in range(900, 960):\n    check('q1_2', guess / 10)"
        cells.append(cell)
    nb.cells = cells
    return nbformat.writes(nb)


def test_answer_and_check_in_one_cell_is_graded_as_shown_and_searches_and_placeholders_are_flagged(
    tmp_path: Path,
):
    folder, out = tmp_path / "submitted", tmp_path / "results"
    folder.mkdir()
    (folder / "separate.ipynb").write_text(_submission(), encoding="utf-8")
    (folder / "together.ipynb").write_text(_submission(join_check=True), encoding="utf-8")
    (folder / "searching.ipynb").write_text(_submission(search=True), encoding="utf-8")
    (folder / "placeholder.ipynb").write_text(_submission(lorem=True), encoding="utf-8")
    rows = grade(EXERCISE, folder, out, "--workers", "2", "--quiet")
    assert rows["together"]["q1_1"] == rows["separate"]["q1_1"] == "1"
    assert rows["together"]["auto_score"] == rows["separate"]["auto_score"]
    feedback = (out / "feedback" / "together.md").read_text(encoding="utf-8")
    assert "also called check()" in feedback and "the rest of the cell was run" in feedback
    assert "check cell(s) edited" not in feedback
    searching = (out / "feedback" / "searching.md").read_text(encoding="utf-8")
    assert "flagged for the teacher" in searching
    assert rows["searching"]["q1_2"] == "1"  # its own answer still counts; the teacher decides
    review = (out / "review" / "q1_7.md").read_text(encoding="utf-8")
    flagged = review.split("## Student: placeholder", 1)[1].split("## Student:", 1)[0]
    assert "Flagged: this looks like placeholder text (lorem ipsum)" in flagged
    assert "Flagged" not in review.split("## Student: separate", 1)[1].split("## Student:", 1)[0]


def test_grading_works_inside_a_running_event_loop(tmp_path: Path):
    """As in a teacher's Jupyter notebook, or a test session driving a browser."""
    import asyncio
    import concurrent.futures

    from defection_course.grading import runner

    submission = tmp_path / "in_a_loop.ipynb"
    submission.write_text(_submission(), encoding="utf-8")

    async def inside() -> object:
        return runner.grade_submission(EXERCISE, submission, runner.Limits())

    # a thread of its own, so the test works whether or not this thread already runs a loop
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        graded = pool.submit(lambda: asyncio.run(inside())).result()
    assert graded.status == "graded", graded
    assert graded.results["q1_1"].status == "passed"
