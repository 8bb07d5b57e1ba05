"""Figures stated in the READMEs about the data itself.

``data/README.md``'s hand-written part is checked like a lesson: its data figures are tagged with
facts (the lessons' where the same quantity appears there, so one quantity has one value
everywhere), and the numbers it may state untagged are listed in ``CHECKED``. Its generated
part (the column dictionary, between the ``GENERATED TABLES`` markers) is written from the
data by ``build-data`` and is not read.
"""

from __future__ import annotations

import pandas as pd

import support.prose_facts._data as d
from defection_course import load
from support.prose_facts import ROOT


def _row(table: str, **where: str) -> pd.Series:
    df = load(table)
    for column, value in where.items():
        df = df[df[column] == value]
    assert len(df) == 1, f"{table}: {where} matches {len(df)} rows"
    return df.iloc[0]


def _snapshot_total(table: str, snapshot: str) -> int:
    df = load(table)
    return int(df.loc[df["snapshot"] == snapshot, "total"].sum())


def _unemployed_2020() -> pd.Series:
    return _row("origins_occupation", snapshot="mou_2020_09", category="unemployed/dependents")


FACTS = {
    "sources_count": lambda: str(len(load("sources"))),
    "csv_tables": lambda: str(len(list((ROOT / "data").glob("*.csv")))),
    "mou_1999_2001": lambda: f"{int(_row('arrivals_periods', period_id='mou_1999_2001')['value']):,}",
    "unemployed_women_2020": lambda: f"{int(_unemployed_2020()['female']):,}",
    "unemployed_total_2020": lambda: f"{int(_unemployed_2020()['total']):,}",
    "github_province_total": lambda: f"{_snapshot_total('origins_province', 'github_c2024'):,}",
    "github_province_shortfall": lambda: str(
        _snapshot_total("origins_age", "github_c2024") - _snapshot_total("origins_province", "github_c2024")
    ),
    "mou_age_40s_2020": lambda: (
        f"{int(_row('origins_age', snapshot='mou_2020_09', age_band='40-49')['total']):,}"
    ),
    "running_end_2006": lambda: f"{int(d.running().loc[2006]):,}",
}

CHECKED = {
    # 10: "the 10,000th arrival" (an ordinal); 30: the intelligence service's "30-odd" for 2013;
    # 40: the age band "40-49"; 5,597: the typo MOU's page prints (quoted as a typo).
    "data/README.md": {"10", "30", "40", "5,597"},
}
