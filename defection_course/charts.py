"""Plot plumbing shared by the lessons' interactive charts.

Each lesson's chart functions live in its module in :mod:`defection_course.lessons`; they
start from :func:`new_figure` (a constrained-layout figure in the course style) and draw
:func:`empty_figure` when a selection has nothing to show. Every chart double-encodes its
groups (colour plus marker, line style or hatch) and labels values directly where it can, so
it reads in greyscale and without a legend. Pair each figure with alt text via
:func:`defection_course.figures.show`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from .style import annotation_size

GREY_BAND = "#EEEEEE"
THOUSANDS = FuncFormatter(lambda x, _pos: f"{x:,.0f}")


def new_figure(figsize: tuple[float, float] = (9.0, 4.8)) -> tuple[Figure, Axes]:
    """A figure with one axes, laid out so that titles and labels are never cut off."""
    fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    return fig, ax


def set_title(ax: Axes, title: str, pad: float | None = None) -> None:
    """Give a chart its title, wrapped onto more lines where it would run past the figure's edge.

    A title is centred over its axes, so wide tick labels on one side shift it towards the
    other edge: a title built from a selection (a snapshot's name, say) may not fit one line.
    The title sits at the top of the axes (``y=1``), where matplotlib's automatic placement puts
    it on charts with no tick labels above the axes (none of the course's has any); fixing it
    spares that search on every draw (a sixth of an interactive's redraw).
    """
    ax.set_title(title, pad=pad, wrap=True, y=1.0)


def label_right(ax: Axes, y: float, text: str, fontsize: float) -> None:
    """A direct label just right of the axes, level with ``y`` (in data units): a row's value or
    verdict, in a column of its own.

    Its place is fixed relative to the axes' edge, not to the data, so the layout engine makes room
    for it at any font size (the projector's included); a label placed in data units beside a bar
    moves as the layout shrinks the axes, and a large font pushed it past the figure's edge.
    """
    ax.annotate(
        text,
        xy=(1.0, y),
        xycoords=ax.get_yaxis_transform(),
        xytext=(6, 0),
        textcoords="offset points",
        va="center",
        fontsize=fontsize,
        clip_on=False,  # unclipped artists are what constrained layout makes room for
    )


def empty_figure(message: str) -> Figure:
    """A small figure that only says why there is nothing to draw."""
    fig, ax = new_figure((7.0, 2.0))
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=annotation_size(12), wrap=True)
    return fig
