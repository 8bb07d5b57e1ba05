"""Figures stated in the prose of lesson 1 (defection history), computed from the course data."""

from __future__ import annotations

import re

from defection_course import load
from defection_course.citations import sources_markdown
from support.prose_facts import _data as d


def _periods(period_id: str) -> int:
    return int(load("arrivals_periods").set_index("period_id").loc[period_id, "value"])


def _years_where(condition) -> str:
    years = [int(y) for y, v in d.female_share().loc[2006:].items() if condition(v)]
    return ", ".join(map(str, years))


def _last_if(expected: str, actual: str) -> str:
    """The last year of ``expected`` if the data give exactly that list of years, else the list."""
    return expected.split(", ")[-1] if actual == expected else f"the data give {actual}"


def _gap_31000() -> int:
    return 31000 - int(d.checkpoint("c2016_07_31")["cumulative"])


def _residents_2015_11() -> str:
    note = d.checkpoint("c2015_11")["note"]
    match = re.search(r"([\d,]+) were then living", note)
    return match.group(1) if match else "(not in the note)"


def _provisional(year: int, reporter: str, column: str) -> str:
    rev = load("arrivals_provisional")
    row = rev[(rev["year"] == year) & rev["reported_by"].str.startswith(reporter)].iloc[0]
    return f"{int(row[column]):,}"


def _first_year_over(n: int) -> int:
    return int(d.yearly()[d.yearly() > n].index.min())


def _by_1989(column: str = "value") -> str:
    """Arrivals by 1989: arrivals_periods and origins_sex must agree (lessons 1 and 2 both state it)."""
    periods = load("arrivals_periods").set_index("period_id").loc["iue_up_to_1989"]
    sex = load("origins_sex").set_index("as_of").loc["by 1989"]
    value = int(periods["value" if column == "value" else column])
    other = int(sex["total" if column == "value" else column])
    return f"{value:,}" if value == other else f"(arrivals_periods {value} vs origins_sex {other})"


def _per_year(since: int) -> str:
    """Average arrivals a year from ``since`` to 1989, the first year being counted in full."""
    return str(round(_periods("iue_up_to_1989") / (1989 - since + 1)))


FACTS = {
    "l1_by_1989": _by_1989,
    "l1_avg_low": lambda: _per_year(1953),  # from the armistice, as the op-ed counts
    "l1_avg_high": lambda: _per_year(
        int(load("arrivals_periods").set_index("period_id").loc["mou_up_to_1998", "start_year"])
    ),
    "l1_1950s": lambda: str(_periods("seoul_1950s")),
    "l1_by_1994": lambda: f"{_periods('joongang_1948_1994'):,}",
    "l1_women_by_1989": lambda: _by_1989("female"),
    "l1_up_to_1998": lambda: f"{_periods('mou_up_to_1998'):,}",
    "l1_arrivals_1998": lambda: str(d.yearly()[1998]),
    "l1_first_over_100": lambda: (
        "100" if _first_year_over(100) == 1999 else f"(first year over 100: {_first_year_over(100)})"
    ),
    "l1_peak_2009": lambda: f"{d.yearly().max():,}" if d.yearly().idxmax() == 2009 else "(peak not in 2009)",
    "l1_fall_2012": lambda: f"{round(100 * (1 - d.yearly()[2012] / d.yearly()[2011]))}%",
    "l1_arrivals_2021": lambda: str(d.yearly()[2021]),
    "l1_about_200": lambda: str(round(d.yearly().loc[2023:2025].mean(), -2).astype(int)),
    "l1_below_three_quarters": lambda: _last_if(
        "2006, 2011, 2012, 2020", _years_where(lambda v: 50 <= v < 75)
    ),
    "l1_below_half": lambda: _last_if("2021, 2022", _years_where(lambda v: v < 50)),
    "l1_repatriated_2023_low": lambda: d.border_event_figure("repatriation_2023_10", r"about (\d+) to \d+"),
    "l1_repatriated_2023_high": lambda: d.border_event_figure("repatriation_2023_10", r"about \d+ to (\d+)"),
    "l1_chain_cost": lambda: d.border_event_figure("chain_defection_2016", r"about (\$[\d,]+) a person"),
    "l1_jan_jul_2016": lambda: str(int(d.checkpoint("c2016_07_31")["cumulative"]) - int(d.running()[2015])),
    "l1_cum_2015": lambda: f"{int(d.running()[2015]):,}",
    "l1_cum_2016_06": lambda: f"{int(d.checkpoint('c2016_06_30')['cumulative']):,}",
    "l1_cum_2016_06_round": lambda: f"{round(int(d.checkpoint('c2016_06_30')['cumulative']), -2):,}",
    "l1_jan_jun_2016": lambda: str(int(d.checkpoint("c2016_06_30")["cumulative"]) - int(d.running()[2015])),
    "l1_cum_2016_07": lambda: f"{int(d.checkpoint('c2016_07_31')['cumulative']):,}",
    "l1_cum_2016_08": lambda: f"{int(d.checkpoint('c2016_08_31')['cumulative']):,}",
    "l1_cum_2016_11": lambda: f"{int(d.checkpoint('c2016_11_11')['cumulative']):,}",
    "l1_cum_2016_12": lambda: f"{int(d.running()[2016]):,}",
    "l1_gap_31000": lambda: f"{round(_gap_31000(), -2):,}",
    "l1_gap_31000_pct": lambda: f"{100 * _gap_31000() / int(d.checkpoint('c2016_07_31')['cumulative']):.0f}%",
    "l1_cum_2015_11": lambda: f"{int(d.checkpoint('c2015_11')['cumulative']):,}",
    "l1_residents_2015_11": _residents_2015_11,
    "l1_share_2015": lambda: d.share_recent(2015),
    "l1_share_2015_14": lambda: d.share_recent(2015, 14),
    "l1_share_2016": lambda: d.share_recent(2016),
    "l1_share_2016_16": lambda: d.share_recent(2016, 16),
    "l1_share_2025": lambda: d.share_recent(2025),
    "l1_2006_reported": lambda: _provisional(2006, "Yonhap", "reported_value"),
    "l1_2006_revised": lambda: _provisional(2006, "Yonhap", "revised_value"),
}

#: The date of the data behind the facts that verdicts compare with the op-ed (see _verdicts.py).
AS_OF = {
    "l1_by_1989": "1989-12-31",
    "l1_women_by_1989": "1989-12-31",
    "l1_avg_low": "1989-12-31",
    "l1_avg_high": "1989-12-31",
    "l1_1950s": "1959-12-31",
    "l1_by_1994": "1994-10-31",
    "l1_up_to_1998": "1998-12-31",
    "l1_arrivals_1998": "1998-12-31",
    "l1_first_over_100": "1999-12-31",
    "l1_peak_2009": "2009-12-31",
    "l1_cum_2015_11": "2015-11-30",
    "l1_residents_2015_11": "2015-11-30",
    "l1_share_2015": "2015-12-31",
    "l1_cum_2015": "2015-12-31",
    "l1_share_2015_14": "2015-12-31",
    "l1_cum_2016_06": "2016-06-30",
    "l1_jan_jun_2016": "2016-06-30",
    "l1_cum_2016_07": "2016-07-31",
    "l1_jan_jul_2016": "2016-07-31",
    "l1_gap_31000": "2016-07-31",
    "l1_gap_31000_pct": "2016-07-31",
    "l1_cum_2016_08": "2016-08-31",
    "l1_cum_2016_11": "2016-11-11",
    "l1_cum_2016_12": "2016-12-31",
    "l1_share_2016": "2016-12-31",
    "l1_share_2016_16": "2016-12-31",
    "l1_share_2025": "2025-12-31",
    "l1_about_200": "2025-12-31",
}

_TABLES = [
    "arrivals_periods",
    "arrivals_annual",
    "cumulative_checkpoints",
    "arrivals_provisional",
    "border_events",
]

#: Numbers lesson 1 may state without a tag: durations and counts of the lesson's own making,
#: the op-ed's figures when quoted, and the figures in the generated source titles.
CHECKED = {
    "notebooks/01_defection_history.md": {"40", "30", "31,000", "95", "15", "14", "16", "10", "08"}
    | d.numbers_in(sources_markdown(_TABLES)),
    # the exercise's timings and word counts, the op-ed's figures when quoted
    "solutions/01_defection_history.md": {"30", "40", "31,000", "15", "95 percent", "95%"},
}


#: The facts each model answer of lesson 1's written questions states, and its other numbers.
ANSWERS = {
    "q1_7": (
        {"l1_share_2015", "l1_cum_2015", "l1_share_2016", "l1_share_2016_16", "l1_share_2025"},
        {"15", "16"},
    ),
}
