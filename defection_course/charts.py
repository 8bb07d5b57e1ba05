"""The course's figures: functions that take a prepared table and return a matplotlib Figure.

Lessons, exercises and the interactive views all draw through these functions, so a
figure looks the same everywhere. Every chart double-encodes its groups (colour plus
marker, line style or hatch) and labels values directly where it can, so it reads in
greyscale and without a legend. Pair each figure with alt text via :func:`figures.show`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from .history import ERAS

GREY_BAND = "#EEEEEE"
THOUSANDS = FuncFormatter(lambda x, _pos: f"{x:,.0f}")


def _new(figsize: tuple[float, float] = (9.0, 4.8)) -> tuple[Figure, plt.Axes]:
    fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    return fig, ax


def _shade_eras(ax: plt.Axes, first: int, last: int, label: bool = True) -> None:
    """Alternate grey bands for the eras of lesson 1, labelled at the top."""
    for i, era in enumerate(ERAS):
        lo, hi = max(era.start, first), min(era.end, last)
        if lo > hi:
            continue
        if i % 2 == 0:
            ax.axvspan(lo - 0.5, hi + 0.5, color=GREY_BAND, zorder=0, lw=0)
        if label and hi >= lo:
            ax.text(
                (lo + hi) / 2,
                1.01 + 0.055 * (i % 2),
                era.label,
                transform=ax.get_xaxis_transform(),
                ha="center",
                va="bottom",
                fontsize=8.5,
                color="#333333",
            )


def empty_figure(message: str) -> Figure:
    """A small figure that only says why there is nothing to draw."""
    fig, ax = _new((7.0, 2.0))
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=12, wrap=True)
    return fig


    ax.legend(frameon=False, loc="upper left")
    return fig


