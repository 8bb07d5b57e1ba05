"""Every authored notebook has a MyST source that matches it, and outputs do not depend on timing."""

from __future__ import annotations

import shutil

import nbformat
import pytest
from support import LESSONS, ROOT, SOLUTIONS

from defection_course.authoring import sync
from defection_course.authoring.execute import merge_streams, outputs_of

PAIRS = sync.pairs()


def test_every_lesson_and_solution_has_a_myst_source():
    paired = {p.ipynb for p in PAIRS}
    assert set(LESSONS + SOLUTIONS) <= paired
    for pair in PAIRS:
        assert pair.md.read_text(encoding="utf-8").startswith("---\n"), pair.md


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: p.name)
def test_the_ipynb_is_in_step_with_its_md_source(pair):
    assert sync.differences(pair) == [], "run: python -m defection_course sync"


def test_an_edited_heading_is_reported_as_out_of_step(tmp_path, monkeypatch):
    """The sync test is not blind: a one-line edit of a .md makes its pair differ."""
    for folder in ("notebooks", "solutions"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copy(ROOT / "course.yml", tmp_path)  # the lessons' tables
    monkeypatch.setenv("DEFECTION_COURSE_ROOT", str(tmp_path))
    pair = next(p for p in sync.pairs() if p.md.name == "01_defection_history.md")
    text = pair.md.read_text(encoding="utf-8")
    heading = next(line for line in text.splitlines() if line.startswith("## "))
    pair.md.write_text(text.replace(heading, heading + " (typo)", 1), encoding="utf-8")
    problems = sync.differences(pair)
    assert problems and "differs" in problems[0]
    combined = sync.combine(pair)
    assert any(heading + " (typo)" in c.source for c in combined.cells)
    assert combined.metadata["jupytext"] == sync.PAIRING


def test_a_source_in_another_format_is_refused_by_the_check(tmp_path, monkeypatch):
    for folder in ("notebooks",):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copy(ROOT / "course.yml", tmp_path)  # the lessons' tables
    monkeypatch.setenv("DEFECTION_COURSE_ROOT", str(tmp_path))
    pair = sync.pairs()[0]
    text = pair.md.read_text(encoding="utf-8")
    assert "```{code-cell} ipython3" in text
    # a fence that plain Markdown renders as code but MyST does not run: the cells are lost
    pair.md.write_text(text.replace("```{code-cell} ipython3", "```python"), encoding="utf-8")
    assert any("cells in the .md" in p for p in sync.differences(pair))


def _stream(text: str, name: str = "stdout") -> nbformat.NotebookNode:
    return nbformat.v4.new_output("stream", name=name, text=text)


def test_consecutive_streams_are_merged_however_the_kernel_flushed():
    one = [_stream("a\nb\n")]
    two = [_stream("a\n"), _stream("b\n")]
    assert merge_streams(two) == merge_streams(one)
    mixed = [_stream("a\n"), _stream("oops\n", "stderr"), _stream("b\n")]
    assert [o["name"] for o in merge_streams(mixed)] == ["stdout", "stderr", "stdout"]
    cell_one = nbformat.v4.new_code_cell("print('a'); print('b')")
    cell_one.outputs = one
    cell_two = nbformat.v4.new_code_cell("print('a'); print('b')")
    cell_two.outputs = two
    nb1, nb2 = nbformat.v4.new_notebook(cells=[cell_one]), nbformat.v4.new_notebook(cells=[cell_two])
    assert outputs_of(nb1) == outputs_of(nb2)
    assert len(nb2.cells[0].outputs) == 2, "outputs_of must not change the notebook it reads"


def test_a_corrected_data_figure_puts_the_notebooks_that_use_it_out_of_step(tmp_path, monkeypatch):
    """Stored outputs cannot silently outlive the data they were computed from."""
    for folder in ("notebooks", "solutions", "data"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copy(ROOT / "course.yml", tmp_path)  # the lessons' tables
    monkeypatch.setenv("DEFECTION_COURSE_ROOT", str(tmp_path))
    csv = tmp_path / "data" / "arrivals_annual.csv"
    lines = csv.read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines) if line.startswith("2019,"))
    lines[row] = lines[row].replace("2019,202,", "2019,203,", 1)
    csv.write_text("".join(lines), encoding="utf-8")
    stale = {p.name for p in sync.pairs() if any("data it uses changed" in d for d in sync.differences(p))}
    assert "notebooks/01_defection_history.ipynb" in stale  # it lists arrivals_annual
    assert "solutions/01_defection_history.ipynb" in stale  # solutions depend on every table
    assert "notebooks/03_purge_shift.ipynb" not in stale  # it does not use that table
