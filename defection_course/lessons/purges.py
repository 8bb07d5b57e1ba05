"""Lesson 3 (the purge shift): leader eras, report statuses, the purge explorer and its chart."""

from __future__ import annotations

import ipywidgets as ipw
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..charts import empty_figure, new_figure, set_title
from ..errors import CourseError
from ..interactives import Interactive, View, problem
from ..loading import load
from ..style import OKABE_ITO, annotation_size

#: North Korea's leaders and the years the course assigns to each (Kim Il-sung died in
#: July 1994, Kim Jong-il in December 2011; a year is given to whoever ruled most of it).
LEADERS: tuple[tuple[str, int, int], ...] = (
    ("Kim Il-sung", 1948, 1993),
    ("Kim Jong-il", 1994, 2011),
    ("Kim Jong-un", 2012, 2100),
)
LEADER_NAMES = tuple(name for name, _, _ in LEADERS)

#: What became of a purge report (``purges.later_status``), in the order the course shows them.
REPORT_STATUSES: tuple[str, ...] = (
    "announced by North Korea",
    "not contradicted",
    "disputed",
    "contradicted: reappeared",
)
CONTRADICTED = "contradicted: reappeared"

#: Who a purge report rests on, read from the first reporter named in ``purges.reported_by`` (the
#: text before any ";", which adds what others said later), case-insensitively: the first basis
#: whose words appear wins. Lessons 3 and 5 and their facts all use :func:`report_basis`.
REPORT_BASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("North Korean state media", ("kcna",)),
    ("South Korean intelligence", ("intelligence", "national security strategy")),
    ("unnamed sources", ("unnamed", "one source")),
    ("defectors' accounts", ("defector",)),
)
OTHER_BASIS = "other named sources"
#: The bases no outsider can check: intelligence briefings, unnamed sources, defectors' accounts.
UNVERIFIABLE_BASES: tuple[str, ...] = (
    "South Korean intelligence",
    "unnamed sources",
    "defectors' accounts",
)

#: The reported fates (``purges.reported_fate``), from the harshest.
FATES: tuple[str, ...] = (
    "executed",
    "killed",
    "purged",
    "dismissed or demoted",
    "sent to re-education or labour",
)


def leader_in(year: int) -> str:
    """The leader the course assigns to a year."""
    for name, start, end in LEADERS:
        if start <= year <= end:
            return name
    raise CourseError(f"{year} is before the founding of North Korea (1948).")


def report_basis(reported_by: pd.Series) -> pd.Series:
    """Who each report rests on (one of :data:`REPORT_BASES` or :data:`OTHER_BASIS`).

    Only the first reporter counts: "Chosun Ilbo and Asahi Shimbun; the intelligence chief told
    lawmakers ..." is a press report that intelligence later commented on, not an intelligence report.
    """
    first = reported_by.astype("string").fillna("").str.split(";", n=1).str[0].str.lower()

    def basis(text: str) -> str:
        for name, words in REPORT_BASES:
            if any(word in text for word in words):
                return name
        return OTHER_BASIS

    return first.map(basis).astype(str).rename("basis")


def purge_reports(
    leaders: list[str] | tuple[str, ...] | None = None,
    later_statuses: list[str] | tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Reported purges and executions, optionally filtered by leader and later status.

    An empty selection (``[]``) is allowed and returns an empty table; ``None`` means all.
    """
    df = load("purges")
    for column, chosen, valid in (
        ("leader", leaders, LEADER_NAMES),
        ("later_status", later_statuses, REPORT_STATUSES),
    ):
        if chosen is None:
            continue
        chosen = list(chosen)
        unknown = [c for c in chosen if c not in valid]
        if unknown:
            raise CourseError(f"Unknown {column} {unknown}; choose from {sorted(valid)}.")
        df = df[df[column].isin(chosen)]
    return df.sort_values(["year", "case_id"], ignore_index=True)


def contradicted_share(
    leader: str | None = "Kim Jong-un",
    statuses: tuple[str, ...] = (CONTRADICTED,),
    decimals: int = 1,
) -> float:
    """Percentage of the reports of one leader's era (``None``: all eras) with these later statuses.

    Kept for the exercises' answer keys; the lesson computes the same share in the open.
    """
    df = purge_reports(leaders=None if leader is None else [leader])
    if df.empty:
        raise CourseError(f"No purge reports for {leader!r} in the course data.")
    return round(100 * float(df["later_status"].isin(statuses).mean()), decimals)


def elite_cases_per_year(first: int = 1990, last: int = 2023) -> pd.DataFrame:
    """Listed elite defections per year and confirmation status, with 0 for years without a case.

    Long form (``year``, ``confirmation``, ``cases``). Kept for the exercises' answer keys.
    """
    if first > last:
        raise CourseError(f"first ({first}) must not be after last ({last}).")
    df = load("elite_defections")
    grid = pd.crosstab(df["year"], df["confirmation"]).reindex(
        index=range(first, last + 1), columns=["confirmed", "reported"], fill_value=0
    )
    grid.index.name = "year"
    grid.columns.name = None
    return (
        grid.reset_index()
        .melt(id_vars="year", var_name="confirmation", value_name="cases")
        .astype({"cases": int})
    )


# ----------------------------------------------------------------------------- chart
LATER_STATUS_STYLE = {
    "announced by North Korea": ("o", OKABE_ITO["black"]),
    "not contradicted": ("s", OKABE_ITO["blue"]),
    "disputed": ("^", OKABE_ITO["orange"]),
    CONTRADICTED: ("X", OKABE_ITO["vermillion"]),
}


def _stack_offsets(df: pd.DataFrame, keys: list[str], step: float) -> pd.Series:
    """Centred vertical offsets for rows that share the same values of ``keys``."""
    k = df.groupby(keys).cumcount()
    n = df.groupby(keys)[keys[0]].transform("size")
    return (k - (n - 1) / 2) * step


def _leader_eras(ax: Axes, first: int, last: int) -> None:
    """Dashed lines where a new leader's era starts, with the leaders' names above the axes."""
    lo_x, hi_x = ax.get_xlim()
    for name, start, end in LEADERS:
        lo, hi = max(start - 0.5, lo_x), min(min(end, last) + 0.5, hi_x)
        if lo >= hi:
            continue
        if start - 0.5 > lo_x:
            ax.axvline(start - 0.5, color="#777777", linestyle="--", lw=1)
        ax.text(
            (lo + hi) / 2,
            1.01,
            name,
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="bottom",
            fontsize=annotation_size(9),
            color="#333333",
        )


def purge_timeline_chart(df: pd.DataFrame) -> Figure:
    """Reported purges by year and reported fate; the marker shows what became of each report."""
    if df.empty:
        return empty_figure("No reports match this selection.")
    fig, ax = new_figure((9.5, 4.6))
    df = df.reset_index(drop=True)
    offsets = _stack_offsets(df, ["year", "reported_fate"], 0.22)  # no report hides another
    for status, (marker, color) in LATER_STATUS_STYLE.items():
        s = df[df["later_status"] == status]
        if s.empty:
            continue
        ax.scatter(
            s["year"],
            [FATES.index(f) + offsets[i] for f, i in zip(s["reported_fate"], s.index)],
            marker=marker,
            s=80,
            color=color,
            label=status,
        )
    ax.set_yticks(range(len(FATES)), FATES)
    ax.set_ylim(-0.6, len(FATES) - 0.4)
    ax.set_xlim(min(1995, int(df["year"].min()) - 1), 2026)
    ax.set_xlabel("year of the reported event")
    set_title(ax, "Reported purges of senior figures, and what became of each report", pad=22)
    _leader_eras(ax, *(int(v) for v in ax.get_xlim()))
    ax.legend(frameon=False, loc="upper left", fontsize=annotation_size(9))
    ax.grid(axis="y", visible=False)
    return fig


# ----------------------------------------------------------------------------- view and explorer
def purge_view(leaders: tuple[str, ...] = LEADER_NAMES, statuses: tuple[str, ...] = REPORT_STATUSES) -> View:
    """Reported purges filtered by leader era and by what became of the report."""
    params = {"leaders": tuple(leaders), "statuses": tuple(statuses)}
    if not leaders:
        return problem("Select at least one leader's era (hold Ctrl or Shift to pick several).", **params)
    if not statuses:
        return problem("Select at least one report status (hold Ctrl or Shift to pick several).", **params)
    try:
        df = purge_reports(list(leaders), list(statuses))
    except CourseError as exc:
        return problem(str(exc), **params)
    if df.empty:
        return problem("No reports match this selection: add an era or a status.", **params)
    counts = df["later_status"].value_counts()
    wrong, disputed, n = int(counts.get(CONTRADICTED, 0)), int(counts.get("disputed", 0)), len(df)
    summary = (
        f"{n} reported case{'s' if n != 1 else ''} selected; {wrong} of them "
        f"{'was' if wrong == 1 else 'were'} contradicted when the person reappeared, "
        f"{disputed} {'is' if disputed == 1 else 'are'} disputed."
    )
    alt = (
        f"Timeline of {n} reported purges from {int(df['year'].min())} to {int(df['year'].max())}, "
        "by reported fate; markers show whether each report was announced by North Korea, not "
        "contradicted, disputed or contradicted."
    )
    table = df[["year", "person", "role", "reported_fate", "reported_by", "later_status"]]
    drawn = tuple(df.itertuples(index=False, name=None))  # selections with the same rows share a chart
    return View(
        table.reset_index(drop=True),
        summary,
        alt,
        lambda: purge_timeline_chart(df),
        params=params,
        figure_key=drawn,
    )


def purge_explorer() -> Interactive:
    """Reported purges, filtered by leader era and by what became of each report."""
    leaders = ipw.SelectMultiple(
        options=list(LEADER_NAMES),
        value=list(LEADER_NAMES),
        description="Era",
        rows=3,
        style={"description_width": "initial"},
    )
    statuses = ipw.SelectMultiple(
        options=list(REPORT_STATUSES),
        value=list(REPORT_STATUSES),
        description="Report status",
        rows=4,
        style={"description_width": "initial"},
        layout=ipw.Layout(width="380px"),
    )
    return Interactive(
        "Reported purges: filter by era and by report status",
        {"leaders": leaders, "statuses": statuses},
        purge_view,
        convert=lambda v: {"leaders": tuple(v["leaders"]), "statuses": tuple(v["statuses"])},
    )
