"""Figures stated in lesson 4's prose (and in its part of the instructor guide), from the data."""

from __future__ import annotations

import re

import pandas as pd

from defection_course import load
from defection_course.lessons import eastbloc


def _years() -> pd.Series:
    return load("eastbloc_elite_defections")["years_before_regime_end"].dropna()


def _years_of(person: str) -> str:
    table = load("eastbloc_elite_defections").set_index("person")["years_before_regime_end"]
    return str(int(table[person]))


def _gdr(year: int, series: str | None = None) -> pd.Series:
    g = load("gdr_emigration")
    rows = g[g["year"] == year]
    return rows["persons"] if series is None else rows.loc[rows["series"] == series, "persons"]


def _flight() -> pd.DataFrame:
    return eastbloc.gdr_flight().set_index("year")


def _aggregate(aggregate_id: str) -> float:
    return float(load("eastbloc_aggregates").set_index("aggregate_id").loc[aggregate_id, "value"])


def _millions_in(aggregate_id: str) -> str:
    text = load("eastbloc_aggregates").set_index("aggregate_id").loc[aggregate_id, "figure_as_published"]
    match = re.search(r"(\d+(?:\.\d+)?) million", text)
    assert match, text
    return match.group(1)


def _rate(country: str) -> pd.Series:
    r = eastbloc.rate_per_100k()
    return r[r["country"] == country].set_index("year")["per_100k"]


def _nk_rate() -> pd.Series:
    return _rate("North Korea (arrivals in the South)")


def _after_wall() -> pd.Series:
    return _flight().loc[1962:1983, "persons"]


FACTS = {
    "eb_years_min": lambda: str(int(_years().min())),
    "eb_years_max": lambda: str(int(_years().max())),
    "eb_years_median": lambda: f"{_years().median():.0f}",
    "eb_years_belenko": lambda: _years_of("Viktor Belenko"),
    "eb_years_swiatlo": lambda: _years_of("Józef Światło"),
    "gdr_1953": lambda: f"{int(_flight().loc[1953, 'persons']):,}",
    "gdr_refugee_sum": lambda: f"{int(_flight().loc[1949:1961, 'persons'].sum()):,}",
    "gdr_aggregate_ghdi": lambda: f"{_aggregate('gdr_1949_1961_ghdi') / 1e6:.1f}",
    "gdr_wiki_total": lambda: _millions_in("gdr_1949_1990_wiki"),
    "wendt_moves": lambda: f"{int(_aggregate('gdr_1950_1961_wendt')):,}",
    "hungary_refugees": lambda: f"{int(_aggregate('hungary_1956')):,}",
    "abendblatt_383000": lambda: f"{int(_aggregate('gdr_1961_1988_abendblatt')):,}",
    "gdr_1961_refugees": lambda: f"{int(_gdr(1961, 'notaufnahme_refugees').item()):,}",
    "gdr_1961_other": lambda: f"{int(_gdr(1961, 'uebersiedler_und_fluechtlinge').item()):,}",
    "gdr_1988": lambda: f"{int(_gdr(1988).item()):,}",
    "gdr_1989_min": lambda: f"{int(_gdr(1989).min()):,}",
    "gdr_1989_max": lambda: f"{int(_gdr(1989).max()):,}",
    "gdr_1989_west": lambda: f"{int(_gdr(1989, 'west_german_count').item()):,}",
    "gdr_1962_1983_min": lambda: f"{int(_after_wall().min()):,}",
    "gdr_1962_1983_max": lambda: f"{int(_after_wall().max()):,}",
    "stasi_1989": lambda: f"{int(load('gdr_stasi_escapes').set_index('year')['successful_escapes'][1989]):,}",
    "gdr_rate_1953": lambda: f"{_rate('East Germany').loc[1953]:,.0f}",
    "gdr_rate_1989": lambda: f"{_rate('East Germany').loc[1989]:,.0f}",
    "gdr_rate_1989_round": lambda: f"{round(_rate('East Germany').loc[1989], -2):,.0f}",
    "nk_rate_peak": lambda: f"{_nk_rate().max():.2f}",
    "nk_rate_peak_round": lambda: f"{_nk_rate().max():.0f}",
    "nk_rate_peak_year": lambda: str(int(_nk_rate().idxmax())),
}

#: The date of the data behind the facts that verdicts compare with the op-ed (see _verdicts.py).
AS_OF = {
    **dict.fromkeys(["eb_years_min", "eb_years_max", "eb_years_median", "eb_years_swiatlo"], "1991-12-26"),
    "gdr_aggregate_ghdi": "1961-08-13",
    "gdr_1989_min": "1989-12-31",
    "gdr_1989_max": "1989-12-31",
    "gdr_1989_west": "1989-12-31",
    "gdr_1953": "1953-12-31",
}

#: Numbers lesson 4 may state without a tag: its timings, "per 100,000" (the unit of a rate) and the
#: further-reading references (volume 45, page 173, the title "13 August 1961").
CHECKED = {
    "notebooks/04_eastbloc_comparison.md": {"40", "30", "100,000", "45", "173", "13"},
    "solutions/04_eastbloc_comparison.md": {
        "30",
        "60",
        "100,000",
    },  # timings, word counts, the unit of a rate
}


#: The facts each model answer of lesson 4's written questions states, and its other numbers.
ANSWERS = {
    "q4_7": (
        {
            "eb_years_min",
            "eb_years_max",
            "eb_years_median",
            "gdr_1989_min",
            "gdr_1989_max",
            "gdr_aggregate_ghdi",
        },
        set(),
    ),
}
