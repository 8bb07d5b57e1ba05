"""The grader's limits are declared once (``grading/limits.py``) and what is declared is what is enforced.

The declaration is compared with the flags of ``grade`` in ``tests/tooling/test_cli.py`` and with
``docs/teaching.md`` through prose facts (``tests/support/prose_facts/settings.py``); here a real
submission is graded with a changed limit, to show that the value reaches the isolated kernel.
"""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat
import pytest
from support import ROOT

from defection_course.cells import is_answer_cell, question_of
from defection_course.grading import limits, runner

SOLUTION = ROOT / "solutions" / "01_defection_history.ipynb"
EXERCISE = ROOT / "exercises" / "01_defection_history.ipynb"

#: Writes a 3 MB file, then answers q1_1 rightly only if the operating system refused the write.
WRITES_3_MB = """
try:
    with open("big.bin", "wb") as fh:
        fh.write(b"x" * 3 * 2**20)
    refused = False
except OSError:
    refused = True
arrived_by_2016 = ANSWER if refused else -1
"""


def _submission(folder: Path) -> Path:
    nb = copy.deepcopy(nbformat.read(SOLUTION, as_version=4))
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        if is_answer_cell(cell) and question_of(cell) == "q1_1":
            cell.source = cell.source.replace("arrived_by_2016 = int(", "ANSWER = int(") + WRITES_3_MB
    path = folder / "writes_a_file.ipynb"
    nbformat.write(nb, path)
    return path


def test_every_limit_has_a_default_a_unit_and_help():
    declared = limits.declared()
    assert [f.name for f in declared][:4] == ["cell_timeout", "notebook_timeout", "memory_mb", "output_mb"]
    for f in declared:
        assert f.default > 0 and f.metadata["unit"] and f.metadata["help"]
        assert getattr(runner.Limits(), f.name) == f.default


@pytest.mark.slow
@pytest.mark.parametrize("file_mb, refused", [(1, True), (8, False)])
def test_the_file_size_limit_reaches_the_isolated_kernel(tmp_path, file_mb, refused):
    graded = runner.grade_submission(EXERCISE, _submission(tmp_path), runner.Limits(file_mb=file_mb))
    assert graded.status == "graded", graded.reason
    assert (graded.results["q1_1"].status == "passed") is refused


def test_the_teaching_guide_names_the_flag_of_every_limit():
    """Its figures are prose facts (tests/content/test_prose_facts.py); here, the options to change them."""
    guide = (ROOT / "docs" / "teaching.md").read_text(encoding="utf-8")
    assert [f.name for f in limits.declared() if f"`{limits.flag(f.name)}`" not in guide] == []
