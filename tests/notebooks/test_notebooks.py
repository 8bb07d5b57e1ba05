"""The committed notebooks: lesson structure, stable outputs, alt text (their re-execution: nbval)."""

from __future__ import annotations

import re

import nbformat
import pytest
from support import ALL_NOTEBOOKS, LESSONS

from defection_course import cells
from defection_course.citations import sources_cell
from defection_course.course import notebook_tables

VOLATILE = [
    (re.compile(r"\b0x[0-9a-fA-F]{6,}\b"), "a memory address"),
    (re.compile(r"<(matplotlib\.)?[A-Za-z.]*Axes[^>]*>"), "an <Axes> repr"),
    (re.compile(r"<matplotlib\."), "a matplotlib object repr"),
    (re.compile(r"\b20\d\d-\d\d-\d\d[ T]\d\d:\d\d:\d\d"), "a timestamp"),
    (re.compile(r"ipykernel_\d+"), "an ipykernel temp path"),
]


def _read(path):
    return nbformat.read(path, as_version=4)


def _name(path):
    return f"{path.parent.name}/{path.name}"


def _text_outputs(nb):
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                yield out.text
            for mime, value in out.get("data", {}).items():
                if mime.startswith("text/"):
                    yield value if isinstance(value, str) else "".join(value)


def test_the_lessons_on_disk_are_the_registered_ones_in_order():
    on_disk = sorted(p.name for p in (LESSONS[0].parent).glob("[0-9][0-9]_*.ipynb"))
    assert [p.name for p in LESSONS] == on_disk, "course.yml and notebooks/ list different lessons"


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=_name)
def test_stored_outputs_have_no_volatile_text(path):
    for text in _text_outputs(_read(path)):
        for pattern, what in VOLATILE:
            assert not pattern.search(text), f"{_name(path)} stores {what}: {pattern.search(text).group(0)}"


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=_name)
def test_notebooks_are_fully_executed_without_errors_or_saved_widget_state(path):
    nb = _read(path)
    assert "widgets" not in nb.metadata, "saved widget state makes every run differ"
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        assert cell.execution_count is not None, f"cell {i} was not executed"
        assert all(
            o.output_type != "error" or cells.RAISES_EXCEPTION in cells.tags(cell) for o in cell.outputs
        ), f"cell {i} stores an error"


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=_name)
def test_every_image_output_has_alt_text(path):
    n = 0
    for i, cell in enumerate(_read(path).cells):
        for out in cell.get("outputs", []):
            if "image/png" in out.get("data", {}):
                n += 1
                alt = out.get("metadata", {}).get("image/png", {}).get("alt", "")
                assert len(alt) >= 20, f"{_name(path)} cell {i}: image without alt text"
                assert out["data"].get("text/plain", "").startswith("[Figure: "), (
                    f"{_name(path)} cell {i}: the text fallback should carry the alt text"
                )
    if path in LESSONS:
        assert n >= 2, f"{_name(path)} has {n} figures; a lesson needs at least two"


HEADER_PARTS = [
    "**Teaching:**",
    "**Exercises:**",
    "**Questions**",
    "**Learning objectives",
    "**Prerequisites",
]


@pytest.mark.parametrize("path", LESSONS, ids=_name)
def test_lesson_has_the_carpentries_shape(path):
    nb = _read(path)
    md = [c for c in nb.cells if c.cell_type == "markdown"]
    header = md[0].source
    for part in HEADER_PARTS:
        assert part in header, f"{_name(path)} header lacks {part}"
    objectives = re.findall(r"^\d\. \*\*(\w+)\*\*", header, flags=re.M)
    assert 3 <= len(objectives) <= 5, f"{_name(path)}: {len(objectives)} objectives"
    text = "\n".join(c.source for c in md)
    assert "## Key points" in text and "## Discussion" in text
    assert md[-1].source.startswith("## Sources")
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    statements = [h for h in headings if h not in ("Key points", "Discussion", "Sources")]
    assert len(statements) >= 4
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert ("widgets." in code and "_explorer()" in code) or "verdict_board()" in code, "no interactive"


@pytest.mark.parametrize("path", LESSONS, ids=_name)
def test_sources_cell_lists_every_dataset_the_lesson_uses(path):
    nb = _read(path)
    tables = notebook_tables(cells.course_meta(nb))
    assert tables, f"{_name(path)} has no tables in course.yml"
    assert nb.cells[-1].source == sources_cell(nb), "regenerate the Sources cell (the sync command)"
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    for name in re.findall(r'load\("(\w+)"\)', code):
        assert name in tables, f"{_name(path)} loads {name} but does not cite it"


# The fresh offline run of every notebook, compared with its stored outputs images included, is
# one item after each notebook's nbval cells: see tests/support/notebook_run.py.
