"""The arrivals series shared by several lessons: eras, yearly arrivals, running totals.

Pure functions on the course tables (no plotting, no widgets). Lesson 1 computes its claims
in the open with pandas; these functions serve the explorer (:mod:`.lessons.history`), the
era shading of the charts, the East German comparison (lesson 4), the recency curve
(lesson 5) and the exercise answer keys.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .errors import CourseError
from .loading import load

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
    cum = mou_cumulative()
    if year not in cum.index:
        raise CourseError(
            f"No end-of-year total for {year}: the MOU series gives 1998, 2001 and "
            f"{FIRST_MOU_YEAR}-{cum.index.max()}."
        )
    return int(cum[year])


def arrivals_between(first_year: int, last_year: int) -> int:
    """Arrivals from ``first_year`` to ``last_year`` inclusive (yearly figures from 1996)."""
    if first_year > last_year:
        raise CourseError(f"The first year ({first_year}) is after the last year ({last_year}).")
    annual = load("arrivals_annual").set_index("year")["total"]
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
    first = as_of - years + 1
    return round(100 * arrivals_between(first, as_of) / cumulative_at(as_of), 1)
