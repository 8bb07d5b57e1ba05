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
    return (
        df.groupby(["year", "category"])
        .size()
        .rename("cases")
        .reset_index()
        .sort_values(["year", "category"], ignore_index=True)
    )


def purge_reports(
    leaders: list[str] | tuple[str, ...] | None = None,
    later_statuses: list[str] | tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Reported purges and executions, optionally filtered by leader and later status.

    An empty selection (``[]``) is allowed and returns an empty table; ``None`` means all.
    """
    df = load("purges")
    # valid choices come from the whole table, so that filtering by an era with no reports
    # does not make every status look unknown
    statuses = tuple(sorted(df["later_status"].unique()))
    for column, chosen, valid in (
        ("leader", leaders, LEADER_NAMES),
        ("later_status", later_statuses, statuses),
    ):
        if chosen is None:
            continue
        chosen = list(chosen)
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
    return df[
        [
            "claim_id",
            "claim_date",
            "claimant",
            "figure_as_published",
            "value",
            "counts",
            "scope",
            "leader",
            "status",
        ]
    ]


def nis_comparison() -> pd.DataFrame:
    """The intelligence service's own comparison: officials executed in each leader's first years."""
    df = load("purge_counts").set_index("claim_id")
    rows = [
        ("Kim Jong-il", "his first four years", int(df.loc["nis_2015_kji_10", "value"])),
        ("Kim Jong-un", "2012 to May 2015", int(df.loc["nis_2015_70", "value"])),
    ]
    return pd.DataFrame(rows, columns=["leader", "period", "officials_executed_reported"])


#: Who made a report, in broad kinds. Checked in order: the first keyword found in
#: ``reported_by`` decides (so "the defector Ri Il-gyu, in a Chosun Ilbo interview" is a
#: defector's account, not a newspaper's own report).
SOURCE_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("North Korean state media", ("KCNA",)),
    ("a defector's account", ("defector",)),
    (
        "South Korean intelligence (NIS, INSS)",
        ("National Intelligence Service", "Institute for National Security Strategy"),
    ),
    ("South Korean government (MOU)", ("Ministry of Unification",)),
    ("foreign police", ("police",)),
    ("news media", ("Chosun", "Yonhap", "Kyodo", "Asahi", "JoongAng", "unnamed")),
)
OTHER_SOURCE = "other"


def source_kind(reported_by: str) -> str:
    """The broad kind of source behind a report (see :data:`SOURCE_KINDS`)."""
    text = str(reported_by).lower()
    for kind, keywords in SOURCE_KINDS:
        if any(k.lower() in text for k in keywords):
            return kind
    return OTHER_SOURCE


def reports_with_source_kind(leaders: list[str] | tuple[str, ...] | None = None) -> pd.DataFrame:
    """Purge reports with a ``source_kind`` column (who made the report, in broad kinds)."""
    df = purge_reports(leaders=leaders)
    return df.assign(source_kind=df["reported_by"].map(source_kind))


def contradicted_share(
    leader: str | None = "Kim Jong-un",
    statuses: tuple[str, ...] = ("contradicted: reappeared",),
    decimals: int = 1,
) -> float:
    """Percentage of the reports of one leader's era (``None``: all eras) with these later statuses."""
    df = purge_reports(leaders=None if leader is None else [leader])
    if df.empty:
        raise CourseError(f"No purge reports for {leader!r} in the course data.")
    return round(100 * float(df["later_status"].isin(statuses).mean()), decimals)


def elite_cases_per_year(first: int = 1990, last: int = 2023) -> pd.DataFrame:
    """Listed elite defections per year and confirmation status, with 0 for years without a case.

    Long form (columns ``year``, ``confirmation``, ``cases``): one row per year from ``first``
    to ``last`` and status. Remember that the list is of well-known cases, not a full count.
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
