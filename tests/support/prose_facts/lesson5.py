"""Figures stated in lesson 5's prose (and in its part of the instructor guide), from the data."""

from __future__ import annotations

import re

import pandas as pd

from defection_course import load
from defection_course.lessons import history


def _reports() -> pd.DataFrame:
    return load("purges")


def _unverifiable() -> int:
    """Reports resting on South Korean intelligence, unnamed sources or defectors (not on KCNA)."""
    by = _reports()["reported_by"].str.lower()
    kcna = by.str.contains("kcna")
    other = by.str.contains("intelligence|national security strategy|unnamed|one source|defector")
    return int((other & ~kcna).sum())


def _china_estimate(which: int) -> str:
    text = load("border_events").set_index("event_id").loc["nk_in_china_2002", "event"]
    return re.findall(r"\d{1,3}(?:,\d{3})+", text)[which]


FACTS = {
    "purge_reports_unverifiable": lambda: str(_unverifiable()),
    "purge_reports_doubtful": lambda: str(
        int(_reports()["later_status"].isin(["contradicted: reappeared", "disputed"]).sum())
    ),
    "recency_2015": lambda: f"{history.share_in_last_years(2015)}%",
    "recency_2016": lambda: f"{history.share_in_last_years(2016)}%",
    "recency_2025": lambda: f"{history.share_in_last_years(2025)}%",
    "china_estimate_low": lambda: _china_estimate(0),
    "china_estimate_high": lambda: _china_estimate(-1),
}

#: Numbers lesson 5 may state without a tag: its timings, the op-ed's own "95%" and "15 years",
#: "100%" (a full bar) and the further-reading references (volume 45, page 173).
CHECKED = {
    "notebooks/05_weighing_the_evidence.md": {"30", "40", "95%", "15", "100%", "45", "173"},
}
