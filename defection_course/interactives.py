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

from . import charts, claims, eastbloc, purges
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


# ----------------------------------------------------------------------------- lesson 3
def purge_view(
    leaders: tuple[str, ...] = purges.LEADER_NAMES,
    statuses: tuple[str, ...] = (
        "announced by North Korea",
        "not contradicted",
        "disputed",
        "contradicted: reappeared",
    ),
) -> View:
    """Reported purges filtered by leader era and by what became of the report (lesson 3)."""
    params = {"leaders": tuple(leaders), "statuses": tuple(statuses)}
    if not leaders:
        return _problem("Select at least one leader's era (hold Ctrl or Shift to pick several).", **params)
    if not statuses:
        return _problem("Select at least one report status (hold Ctrl or Shift to pick several).", **params)
    try:
        df = purges.purge_reports(list(leaders), list(statuses))
    except CourseError as exc:
        return _problem(str(exc), **params)
    if df.empty:
        return _problem("No reports match this selection: add an era or a status.", **params)
    counts = df["later_status"].value_counts()
    wrong = int(counts.get("contradicted: reappeared", 0))
    n = len(df)
    summary = (
        f"{n} reported case{'s' if n != 1 else ''} selected; {wrong} of them "
        f"{'was' if wrong == 1 else 'were'} contradicted when the person reappeared, "
        f"{int(counts.get('disputed', 0))} {'is' if counts.get('disputed', 0) == 1 else 'are'} disputed."
    )
    alt = (
        f"Timeline of {len(df)} reported purges from {int(df['year'].min())} to "
        f"{int(df['year'].max())}, by reported fate; markers show whether each report was "
        f"announced by North Korea, not contradicted, disputed or contradicted."
    )
    table = df[["year", "person", "role", "reported_fate", "reported_by", "later_status"]]
    return View(
        table.reset_index(drop=True), summary, alt, lambda: charts.purge_timeline_chart(df), params=params
    )


# ----------------------------------------------------------------------------- lesson 4
ALL_COUNTRIES = "all countries"


def eastbloc_view(country: str = ALL_COUNTRIES) -> View:
    """Soviet-bloc elite defectors of one country (or all) against their regime's end (lesson 4)."""
    params = {"country": country}
    try:
        df = eastbloc.elite_defectors(None if country == ALL_COUNTRIES else country)
    except CourseError as exc:
        return _problem(str(exc), **params)
    ended = df.dropna(subset=["years_before_regime_end"])
    if ended.empty:
        summary = (
            f"{country}: {len(df)} defector{'s' if len(df) != 1 else ''} listed; the regime "
            "did not end, so there is no 'years before the end' to show."
        )
        return View(
            df[["year", "person", "role"]],
            summary,
            summary,
            lambda: charts.eastbloc_elite_chart(df),
            params=params,
        )
    yrs = ended["years_before_regime_end"].astype(int)
    many = len(ended) != 1
    span = f"between {yrs.min()} and {yrs.max()} years" if many else f"{yrs.min()} years"
    summary = (
        f"{country}: {len(ended)} elite defector{'s' if many else ''} with a regime end; "
        f"they left {span} before the regime ended" + (f" (median {yrs.median():g})." if many else ".")
    )
    alt = (
        "Bar chart: for each defector, a bar from the year of defection to the year the regime "
        "ended. "
        + "; ".join(
            f"{r.person} {int(r.year)}, {int(r.years_before_regime_end)} years" for r in ended.itertuples()
        )
        + "."
    )
    table = df[["year", "person", "country", "role", "regime_end_year", "years_before_regime_end"]]
    return View(
        table.reset_index(drop=True), summary, alt, lambda: charts.eastbloc_elite_chart(df), params=params
    )


def eastbloc_countries() -> list[str]:
    """Options for the lesson 4 country selector."""
    return [ALL_COUNTRIES] + sorted(eastbloc.elite_defectors()["country"].unique())


# ----------------------------------------------------------------------------- lesson 5
def verdict_view(verdicts: dict[str, str] | None = None, strengths: dict[str, str] | None = None) -> View:
    """The learner's verdict board on the claims (lesson 5)."""
    verdicts = verdicts or {}
    params = {"verdicts": dict(verdicts), "strengths": dict(strengths or {})}
    try:
        summary_df = claims.verdict_summary(verdicts, strengths)
    except CourseError as exc:
        return _problem(str(exc), **params)
    decided = summary_df[summary_df["verdict"] != claims.VERDICTS[0]]
    counts = decided["verdict"].value_counts()
    summary = (
        f"{len(decided)} of {len(summary_df)} claims decided"
        + (": " + ", ".join(f"{v} {k}" for k, v in counts.items()) if len(decided) else "")
        + "."
    )
    alt = (
        "Chart of the claims C1 to C9 with your verdict on each: "
        + "; ".join(f"{r.id} {r.verdict}" for r in summary_df.itertuples())
        + "."
    )
    return View(summary_df, summary, alt, lambda: charts.verdict_chart(summary_df), params=params)
