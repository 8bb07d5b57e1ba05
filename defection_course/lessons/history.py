"""Lesson 1 (defection history): the arrivals series and its eras, the arrivals chart, view and explorer.

The arrivals functions (:func:`annual_arrivals`, :func:`cumulative_at`,
:func:`share_in_last_years`, ...) are pure functions on the course tables, shared with lessons 4
and 5 and the exercises' answers. Lesson 1 computes its claims in the open with pandas and
draws its other figures with seaborn; the chart, view and explorer here serve the explorer
widget (in the lesson and on the projector dashboard).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .. import charts
from ..errors import CourseError
from ..interactives import Interactive, View, YearRange, dropdown, problem
from ..loading import load
from ..style import GROUP_STYLE, annotation_size

FIRST_MOU_YEAR = 2002  #: first year the Ministry of Unification's table gives on its own


@dataclass(frozen=True)
class Era:
    """A period of defection history, with the label the lessons use for it."""

    start: int
    end: int
    label: str


#: The eras of lesson 1. Boundaries follow the events in ``border_events`` and the series
#: itself: the rise after the famine of the mid-1990s, the 2009 peak, the fall after Kim
#: Jong-un took power, the COVID-19 closure and the low, steady level since.
ERAS: tuple[Era, ...] = (
    Era(1953, 1993, "Cold War trickle"),
    Era(1994, 2001, "Famine and the China route"),
    Era(2002, 2011, "The flow through China"),
    Era(2012, 2019, "Kim Jong-un's tighter border"),
    Era(2020, 2022, "COVID-19 closure"),
    Era(2023, 2025, "About 200 a year"),
)


def era_of(year: int) -> str:
    """The label of the era a year belongs to."""
    for era in ERAS:
        if era.start <= year <= era.end:
            return era.label
    raise CourseError(f"{year} is outside the eras the course covers ({ERAS[0].start}-{ERAS[-1].end}).")


def annual_arrivals() -> pd.DataFrame:
    """Arrivals per year with men, women, total, women's share (%) and the era.

    Years without a published figure (1995, and before 1994) are absent, not zero.
    """
    df = load("arrivals_annual")[["year", "male", "female", "total", "series"]].copy()
    df["female_share"] = (100 * df["female"] / df["total"]).astype("Float64").round(1)
    df["era"] = df["year"].map(era_of)
    return df.reset_index(drop=True)


def mou_cumulative() -> pd.Series:
    """Cumulative arrivals at the end of each year from 1998, from the MOU series.

    The MOU table starts with two aggregate columns (everyone up to 1998; 1999-2001),
    so the running total exists for 1998, 2001 and every year from 2002.
    """
    periods = load("arrivals_periods").set_index("period_id")["value"]
    annual = load("arrivals_annual").set_index("year")["total"]
    totals = {1998: int(periods["mou_up_to_1998"])}
    running = totals[1998] + int(periods["mou_1999_2001"])
    totals[2001] = running
    for year in range(FIRST_MOU_YEAR, int(annual.index.max()) + 1):
        running += int(annual[year])
        totals[year] = running
    return pd.Series(totals, name="cumulative").rename_axis("year")


def cumulative_at(year: int) -> int:
    """Everyone who had arrived by the end of ``year`` (1998, 2001, or 2002 onwards)."""
    return _cumulative_in(mou_cumulative(), year)


def _cumulative_in(cum: pd.Series, year: int) -> int:
    """:func:`cumulative_at` from an already loaded :func:`mou_cumulative`."""
    if year not in cum.index:
        raise CourseError(
            f"No end-of-year total for {year}: the MOU series gives 1998, 2001 and "
            f"{FIRST_MOU_YEAR}-{cum.index.max()}."
        )
    return int(cum[year])


def arrivals_between(first_year: int, last_year: int) -> int:
    """Arrivals from ``first_year`` to ``last_year`` inclusive (yearly figures from 1996)."""
    return _arrivals_in(_annual_totals(), first_year, last_year)


def _annual_totals() -> pd.Series:
    """The yearly totals of the MOU table, by year."""
    return load("arrivals_annual").set_index("year")["total"]


def _arrivals_in(annual: pd.Series, first_year: int, last_year: int) -> int:
    """:func:`arrivals_between` from already loaded yearly totals."""
    if first_year > last_year:
        raise CourseError(f"The first year ({first_year}) is after the last year ({last_year}).")
    missing = [y for y in range(first_year, last_year + 1) if y not in annual.index]
    if missing:
        raise CourseError(
            f"No yearly figure for {missing[0]}; yearly figures exist for 1994 and 1996-{annual.index.max()}."
        )
    return int(annual.loc[first_year:last_year].sum())


def share_in_last_years(as_of: int, years: int = 15) -> float:
    """Percent of everyone who had arrived by the end of ``as_of`` who came in its last ``years`` years.

    "The last 15 years" as of 2016 means 2002-2016 (15 calendar years, as_of included).
    """
    return shares_in_last_years([as_of], years)[0]


def shares_in_last_years(as_of: list[int], years: int = 15) -> list[float]:
    """:func:`share_in_last_years` for each year of ``as_of`` (the tables are read once)."""
    annual, cum = _annual_totals(), mou_cumulative()
    return [round(100 * _arrivals_in(annual, y - years + 1, y) / _cumulative_in(cum, y), 1) for y in as_of]


# ----------------------------------------------------------------------------- chart


def shade_eras(ax: Axes, first: int, last: int, label: bool = True) -> None:
    """Alternate grey bands for the eras, labelled at the top."""
    for i, era in enumerate(ERAS):
        lo, hi = max(era.start, first), min(era.end, last)
        if lo > hi:
            continue
        if i % 2 == 0:
            ax.axvspan(lo - 0.5, hi + 0.5, color=charts.GREY_BAND, zorder=0, lw=0)
        if label:
            ax.text(
                (lo + hi) / 2,
                1.01 + 0.055 * (i % 2),
                era.label,
                transform=ax.get_xaxis_transform(),
                ha="center",
                va="bottom",
                fontsize=annotation_size(8.5),
                color="#333333",
            )


def arrivals_chart(
    df: pd.DataFrame, sex: str = "total", title: str | None = None, eras: bool = True
) -> Figure:
    """Arrivals per year as bars (``sex="total"``) or as men/women lines (``"both"``).

    ``df`` is :func:`annual_arrivals` (or a slice of it). ``sex`` may also be
    ``"male"`` or ``"female"`` for a single series of bars.
    """
    fig, ax = charts.new_figure()
    first, last = int(df["year"].min()), int(df["year"].max())
    if eras:
        shade_eras(ax, first, last)
    if sex == "both":
        for col, name in (("female", "women"), ("male", "men")):
            part = df.dropna(subset=[col])
            st = GROUP_STYLE[col]
            ax.plot(
                part["year"],
                part[col],
                color=st["color"],
                marker=st["marker"],
                linestyle=st["linestyle"],
                label=name,
            )
            if len(part):
                end = part.iloc[-1]
                ax.annotate(
                    name,
                    (end["year"], end[col]),
                    xytext=(6, 0),
                    textcoords="offset points",
                    va="center",
                    color=st["color"],
                )
        ax.legend(loc="upper left", frameon=False)
    else:
        st = GROUP_STYLE[sex]
        part = df.dropna(subset=[sex])
        ax.bar(
            part["year"],
            part[sex],
            color=st["color"],
            width=0.75,
            label={"total": "everyone", "male": "men", "female": "women"}[sex],
        )
        peak = part.loc[part[sex].idxmax()] if len(part) else None
        if peak is not None:
            ax.annotate(
                f"{int(peak[sex]):,} in {int(peak['year'])}",
                (peak["year"], peak[sex]),
                xytext=(0, 4),
                textcoords="offset points",
                ha="center",
                fontsize=annotation_size(10),
            )
    ax.set_xlim(first - 0.8, last + (2.5 if sex == "both" else 0.8))
    ax.yaxis.set_major_formatter(charts.THOUSANDS)
    ax.set_xlabel("year of arrival in South Korea")
    ax.set_ylabel("defectors arriving")
    charts.set_title(ax, title or "North Korean defectors arriving in South Korea, per year", pad=34)
    return fig


# ----------------------------------------------------------------------------- view
SEX_OPTIONS: dict[str, str] = {"everyone": "total", "women and men": "both", "women": "female", "men": "male"}


def arrivals_view(year_range: tuple[int, int] = (1994, 2025), sex: str = "everyone") -> View:
    """Arrivals per year for a range of years and a choice of sex (lesson 1)."""
    params = {"year_range": year_range, "sex": sex}
    try:
        first, last = (int(v) for v in year_range)
    except (TypeError, ValueError):
        return problem("Choose a range of two years, e.g. (1998, 2016).", **params)
    if first > last:
        first, last = last, first
    if sex not in SEX_OPTIONS:
        return problem(f"Choose one of: {', '.join(SEX_OPTIONS)}.", **params)
    mode = SEX_OPTIONS[sex]
    df = annual_arrivals()
    part = df[df["year"].between(first, last)]
    if part.empty:
        return problem(
            f"There are no yearly figures for {first}-{last}; yearly counts start in "
            "1994 (and 1995 is missing).",
            **params,
        )
    col = "total" if mode in ("total", "both") else mode
    counted = part.dropna(subset=[col])
    if counted.empty:
        return problem(
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
    return View(table, summary, alt, lambda: arrivals_chart(part, sex=mode), params=params)


# ----------------------------------------------------------------------------- explorer
def arrivals_explorer() -> Interactive:
    """Arrivals per year, with first and last year and a sex selector."""
    years = YearRange((1994, 2025), min=1990, max=2025)
    sex = dropdown("Show", list(SEX_OPTIONS), "everyone", "220px")
    return Interactive("Arrivals per year", {"year_range": years, "sex": sex}, arrivals_view)
