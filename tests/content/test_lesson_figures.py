"""The figures lessons 0-2 build in the open with seaborn: alt text from the data, groups not told apart
by colour alone.

The lesson's code cells are run here in order, with ``show`` replaced by a recorder, so the test
sees the very figures a learner draws (the charts that used to live in ``charts.py``).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import nbformat
import pytest
from support import ROOT
from test_accessibility import _non_colour_encodings

import defection_course
from defection_course import cells
from defection_course.figures import as_figure

LESSONS = ["00_start_here", "01_defection_history", "02_social_origins"]


def _figures(lesson: str, monkeypatch) -> list[tuple[dict, str, str | None]]:
    """(non-colour encodings per colour, alt, caption) of every figure the lesson shows."""
    shown: list[tuple[dict, str, str | None]] = []

    def record(obj, alt, caption=None):
        fig = as_figure(obj)
        shown.append((_non_colour_encodings(fig), alt, caption))
        plt.close(fig)  # as show() does: the next seaborn call must not draw on this figure

    monkeypatch.setattr(defection_course, "show", record)
    nb = nbformat.read(ROOT / "notebooks" / f"{lesson}.ipynb", as_version=4)
    namespace: dict = {}
    for cell in nb.cells:
        if cell.cell_type == "code" and cells.RAISES_EXCEPTION not in cells.tags(cell):
            exec(compile(cell.source, f"<{lesson}>", "exec"), namespace)
    return shown


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_figures_double_encode_their_groups_and_have_data_alt_text(lesson, monkeypatch):
    shown = _figures(lesson, monkeypatch)
    assert len(shown) >= 2
    for found, alt, _caption in shown:
        colours = sorted(found)
        for i, a in enumerate(colours):
            for b in colours[i + 1 :]:
                assert found[a] != found[b], f"{lesson}: '{alt[:60]}...': {a} and {b} differ only by colour"
        assert any(ch.isdigit() for ch in alt), f"{lesson}: alt text states no figure: {alt[:80]}"


def test_the_recorder_sees_a_colour_only_chart(monkeypatch):
    """The check is not blind: two bar series told apart by colour alone are caught."""
    fig, ax = plt.subplots()
    ax.bar([1, 2], [3, 4], color="#0072B2")
    ax.bar([3, 4], [3, 4], color="#E69F00")
    found = _non_colour_encodings(fig)
    assert len(found) == 2 and len(set(map(frozenset, found.values()))) == 1
    plt.close(fig)
