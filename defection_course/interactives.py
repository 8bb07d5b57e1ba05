"""The logic behind each lesson's interactive, as pure functions of the control values.

A view function takes the values of the widgets' controls and returns a :class:`View`:
the table to show, a one-line summary, alt text for the figure and the function that
draws it. No widget code lives here, so every view can be unit-tested, benchmarked and
rendered statically (the lessons show each view's default as an ordinary figure).
Bad or empty selections never raise: they return a View whose ``message`` says what to do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
from matplotlib.figure import Figure

from . import charts
from .lessons import moved_names


@dataclass
class View:
    """What an interactive shows for one choice of control values."""

    table: pd.DataFrame
    summary: str
    alt: str
    draw: Callable[[], Figure] | None = None
    message: str = ""  #: set when the selection cannot be shown, saying why
    params: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True if there is something to draw."""
        return not self.message and self.draw is not None

    def figure(self) -> Figure:
        """Draw the figure (or a figure that carries the message)."""
        if not self.ok:
            return charts.empty_figure(self.message or "Nothing to show.")
        assert self.draw is not None
        return self.draw()


def _problem(message: str, **params: object) -> View:
    return View(table=pd.DataFrame(), summary=message, alt=message, message=message, params=params)


#: Views that moved to :mod:`defection_course.lessons`; the old names still resolve here (lazily,
#: to avoid an import cycle) for code that calls them from this module.
_MOVED = {
    "purge_view": "purges",
    "eastbloc_view": "eastbloc",
    "eastbloc_countries": "eastbloc",
    "ALL_COUNTRIES": "eastbloc",
    "verdict_view": "evidence",
}

__getattr__ = moved_names(__name__, _MOVED)
