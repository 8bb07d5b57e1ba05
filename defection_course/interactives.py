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
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from . import charts, history, origins
from .errors import CourseError


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


# ----------------------------------------------------------------------------- lesson 1
SEX_OPTIONS: dict[str, str] = {"everyone": "total", "women and men": "both", "women": "female", "men": "male"}


def arrivals_view(year_range: tuple[int, int] = (1994, 2025), sex: str = "everyone") -> View:
    """Arrivals per year for a range of years and a choice of sex (lesson 1)."""
    params = {"year_range": year_range, "sex": sex}
    try:
        first, last = (int(v) for v in year_range)
    except (TypeError, ValueError):
        return _problem("Choose a range of two years, e.g. (1998, 2016).", **params)
    if first > last:
        first, last = last, first
    if sex not in SEX_OPTIONS:
        return _problem(f"Choose one of: {', '.join(SEX_OPTIONS)}.", **params)
    mode = SEX_OPTIONS[sex]
    df = history.annual_arrivals()
    part = df[df["year"].between(first, last)]
    if part.empty:
        return _problem(
            f"There are no yearly figures for {first}-{last}; yearly counts start in "
            "1994 (and 1995 is missing).",
            **params,
        )
    col = "total" if mode in ("total", "both") else mode
    counted = part.dropna(subset=[col])
    if counted.empty:
        return _problem(
            f"The split by sex starts in 2002; {first}-{last} has totals only. "
            "Choose 'everyone' or move the range.",
            **params,
        )
    n = int(counted[col].sum())
    who = {"total": "people", "both": "people", "female": "women", "male": "men"}[mode]
    missing = sorted(set(range(first, last + 1)) - set(counted["year"]))
    gap = (
        f" (no figure for {', '.join(map(str, missing[:3]))}{'...' if len(missing) > 3 else ''})"
        if missing
        else ""
    )
    peak = counted.loc[counted[col].idxmax()]
    summary = (
        f"{first}-{last}: {n:,} {who} arrived{gap}; the busiest year was "
        f"{int(peak['year'])} with {int(peak[col]):,}."
    )
    with_sex = counted.dropna(subset=["female"])
    if mode in ("total", "both") and len(with_sex):
        share = 100 * with_sex["female"].sum() / with_sex["total"].sum()
        summary += f" Women were {share:.0f}% of arrivals in the years with a split by sex."
    kind = "Line chart of women and men" if mode == "both" else f"Bar chart of {who}"
    alt = (
        f"{kind} arriving in South Korea per year from {first} to {last}. The highest year is "
        f"{int(peak['year'])} with {int(peak[col]):,}; the lowest is "
        f"{int(counted.loc[counted[col].idxmin(), 'year'])} with {int(counted[col].min()):,}."
    )
    table = counted[["year", "male", "female", "total", "era"]].reset_index(drop=True)
    return View(table, summary, alt, lambda: charts.arrivals_chart(part, sex=mode), params=params)


# ----------------------------------------------------------------------------- lesson 2
DIMENSION_TITLES = {
    "occupation": "Occupation in North Korea",
    "province": "Home province",
    "age": "Age at arrival",
    "education": "Education in North Korea",
}
SEX_CHOICES = {"everyone": "total", "women": "female", "men": "male"}


def origins_view(
    dimension: str = "occupation", snapshot: str = "github_c2024", sex: str = "everyone"
) -> View:
    """One breakdown of the defector population (lesson 2)."""
    params = {"dimension": dimension, "snapshot": snapshot, "sex": sex}
    if dimension not in origins.BREAKDOWNS:
        return _problem(f"Choose a breakdown: {', '.join(origins.BREAKDOWNS)}.", **params)
    if sex not in SEX_CHOICES:
        return _problem(f"Choose one of: {', '.join(SEX_CHOICES)}.", **params)
    try:
        df = origins.breakdown(dimension, snapshot, SEX_CHOICES[sex])
    except CourseError as exc:
        return _problem(str(exc), **params)
    snaps = origins.snapshots().set_index("snapshot")
    as_of = snaps.loc[snapshot, "as_of"] if snapshot in snaps.index else snapshot
    top = df.sort_values("share_pct", ascending=False).iloc[0]
    who = {"everyone": "defectors", "women": "women defectors", "men": "men defectors"}[sex]
    summary = (
        f"{DIMENSION_TITLES[dimension]} of {df['count'].sum():,} {who} (as of {as_of}): "
        f"the largest group is '{top['category']}' with {top['share_pct']:.1f}%."
    )
    alt = (
        f"Horizontal bar chart of {who} by {dimension.replace('_', ' ')}, as of {as_of}. "
        + "; ".join(
            f"{r.category} {r.share_pct:.1f}%"
            for r in df.sort_values("share_pct", ascending=False).head(4).itertuples()
        )
        + "."
    )
    title = f"{DIMENSION_TITLES[dimension]} ({who}, {as_of})"
    return View(df, summary, alt, lambda: charts.breakdown_chart(df, title), params=params)


# ----------------------------------------------------------------------------- lessons 3-5
#: Views that moved to :mod:`defection_course.lessons`; the names still resolve here (lazily, to
#: avoid an import cycle) because exercises and answer keys import them from this module.
_MOVED = {
    "purge_view": "purges",
    "eastbloc_view": "eastbloc",
    "eastbloc_countries": "eastbloc",
    "ALL_COUNTRIES": "eastbloc",
    "verdict_view": "evidence",
}


def __getattr__(name: str) -> Any:
    if name in _MOVED:
        import importlib

        return getattr(importlib.import_module(f".lessons.{_MOVED[name]}", __package__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
