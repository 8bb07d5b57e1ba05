"""Figures stated in lesson 5's prose (and in its part of the instructor guide), from the data."""

from __future__ import annotations

import re

import pandas as pd

from defection_course import load
from defection_course.lessons.purges import UNVERIFIABLE_BASES, report_basis


def _reports() -> pd.DataFrame:
    return load("purges")


def _unverifiable() -> int:
    """Reports resting on South Korean intelligence, unnamed sources or defectors."""
    return int(report_basis(_reports()["reported_by"]).isin(UNVERIFIABLE_BASES).sum())


def _china_estimate(which: int) -> str:
    text = load("border_events").set_index("event_id").loc["nk_in_china_2002", "event"]
    return re.findall(r"\d{1,3}(?:,\d{3})+", text)[which]


FACTS = {
    "purge_reports_unverifiable": lambda: str(_unverifiable()),
    "purge_reports_doubtful": lambda: str(
        int(_reports()["later_status"].isin(["contradicted: reappeared", "disputed"]).sum())
    ),
    "china_estimate_low": lambda: _china_estimate(0),
    "china_estimate_high": lambda: _china_estimate(-1),
}

#: Sentences of lesson 5's solution that use verdict words without stating a verdict on a claim.
ALLOWED_PHRASES = {"solutions/05_weighing_the_evidence.md": {"Which claim cannot be tested with these data"}}

AS_OF = {
    "purge_reports_unverifiable": "2024-07-16",
    "purge_reports_doubtful": "2024-07-16",
}

#: Numbers lesson 5 may state without a tag: its timings, the op-ed's own "95%", "15 years" and "31,000",
#: "100%" (a full bar) and the further-reading references (volume 45, page 173).
CHECKED = {
    "notebooks/05_weighing_the_evidence.md": {"30", "40", "95%", "15", "100%", "45", "173", "31,000"},
    # timings, word counts (80, 50), the windows of Q5.1 and Q5.4 (10, 15), its threshold (50%),
    # the op-ed's figures
    "solutions/05_weighing_the_evidence.md": {"40", "80", "50", "50%", "10", "15", "95%", "31,000"},
}


#: The facts each model answer of lesson 5's written questions states, and its other numbers
#: (the op-ed's own "15 years" and "31,000").
ANSWERS = {
    "q5_5": (
        {
            "l1_by_1989",
            "l1_share_2015",
            "l1_cum_2016_06",
            "l1_gap_31000_pct",
            "nis_overseas_2013",
            "nis_overseas_2014",
            "nis_2015_officials",
            "eb_years_min",
            "eb_years_max",
        },
        {"15", "31,000"},
    ),
    "q5_6": ({"nis_70", "nis_kji_10"}, set()),
}
