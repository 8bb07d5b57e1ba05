"""Lesson 3 logic: elite defections, and reported purges of senior officials."""
from __future__ import annotations

import pandas as pd

from .errors import CourseError
from .loading import load

#: North Korea's leaders and the years the course assigns to each (Kim Il-sung died in
#: July 1994, Kim Jong-il in December 2011; a year is given to whoever ruled most of it).
LEADERS: tuple[tuple[str, int, int], ...] = (
    ("Kim Il-sung", 1948, 1993),
    ("Kim Jong-il", 1994, 2011),
    ("Kim Jong-un", 2012, 2100),
)
LEADER_NAMES = tuple(name for name, _, _ in LEADERS)


def leader_in(year: int) -> str:
    """The leader the course assigns to a year."""
    for name, start, end in LEADERS:
        if start <= year <= end:
            return name
    raise CourseError(f"{year} is before the founding of North Korea (1948).")


def elite_defections() -> pd.DataFrame:
    """The list of notable elite defections, with the leader at the time."""
    df = load("elite_defections")
    return df.assign(leader=df["year"].map(leader_in))


def elite_by_year(confirmed_only: bool = False) -> pd.DataFrame:
    """Known elite defections per year and category (a list of cases, not a full count)."""
    df = elite_defections()
    if confirmed_only:
        df = df[df["confirmation"] == "confirmed"]
    return (df.groupby(["year", "category"]).size().rename("cases").reset_index()
            .sort_values(["year", "category"], ignore_index=True))


def purge_reports(leaders: list[str] | tuple[str, ...] | None = None,
                  later_statuses: list[str] | tuple[str, ...] | None = None) -> pd.DataFrame:
    """Reported purges and executions, optionally filtered by leader and later status.

    An empty selection (``[]``) is allowed and returns an empty table; ``None`` means all.
    """
    df = load("purges")
    for column, chosen, allowed in (("leader", leaders, LEADER_NAMES),
                                    ("later_status", later_statuses, None)):
        if chosen is None:
            continue
        chosen = list(chosen)
        valid = allowed if allowed is not None else tuple(df[column].unique())
        unknown = [c for c in chosen if c not in valid]
        if unknown:
            raise CourseError(f"Unknown {column} {unknown}; choose from {sorted(valid)}.")
        df = df[df[column].isin(chosen)]
    return df.sort_values(["year", "case_id"], ignore_index=True)


def report_outcomes(leader: str = "Kim Jong-un") -> pd.Series:
    """How the reports about one leader's era fared: counts by later status."""
    df = purge_reports(leaders=[leader])
    return df["later_status"].value_counts().sort_index()


def execution_counts() -> pd.DataFrame:
    """Reported aggregate counts of executions or purges, with what each one counts."""
    df = load("purge_counts")
    return df[["claim_id", "claim_date", "claimant", "figure_as_published", "value", "counts",
               "scope", "leader", "status"]]


def nis_comparison() -> pd.DataFrame:
    """The intelligence service's own comparison: officials executed in each leader's first years."""
    df = load("purge_counts").set_index("claim_id")
    rows = [("Kim Jong-il", "first 4 years", int(df.loc["nis_2015_kji_10", "value"])),
            ("Kim Jong-un", "first 3.5 years (to May 2015)", int(df.loc["nis_2015_70", "value"]))]
    return pd.DataFrame(rows, columns=["leader", "period", "officials_executed_reported"])
