"""Figures stated in lesson 3's prose (and in its part of the instructor guide), from the data."""

from __future__ import annotations

import re

import pandas as pd

from defection_course import load


def _elite() -> pd.DataFrame:
    return load("elite_defections")


def _reports(leader: str | None = None) -> pd.DataFrame:
    df = load("purges")
    return df if leader is None else df[df["leader"] == leader]


def _count(claim_id: str) -> int:
    return int(load("purge_counts").set_index("claim_id").loc[claim_id, "value"])


def _claim(claim_id: str) -> int:
    return int(load("elite_defection_claims").set_index("claim_id").loc[claim_id, "count_low"])


def _number_in(case_id: str, words: str) -> str:
    """The number just before ``words`` in a purge report's text (e.g. 'about 200 officers')."""
    text = load("purges").set_index("case_id").loc[case_id, "what_was_reported"]
    match = re.search(rf"(\d[\d,]*) {words}", text)
    assert match, f"{case_id}: no number before {words!r}"
    return match.group(1)


def _status(status: str, leader: str = "Kim Jong-un") -> pd.Series:
    return _reports(leader)["later_status"] == status


def _motives_sum(year: int) -> str:
    m = load("defector_motives")
    return f"{m.loc[m['survey_year'] == year, 'pct'].sum():.1f}%"


FACTS = {
    "elite_cases_total": lambda: str(len(_elite())),
    "elite_cases_before_2012": lambda: str(int((_elite()["year"] < 2012).sum())),
    "elite_cases_since_2012": lambda: str(int((_elite()["year"] >= 2012).sum())),
    "elite_reported_since_2012": lambda: str(
        int(((_elite()["year"] >= 2012) & (_elite()["confirmation"] == "reported")).sum())
    ),
    "elite_cases_2016": lambda: str(int((_elite()["year"] == 2016).sum())),
    "elite_cases_2015": lambda: str(int((_elite()["year"] == 2015).sum())),
    "nis_2015_officials": lambda: str(_claim("nis_2015_twenty")),
    "yonhap_diplomats_2015": lambda: str(_claim("yonhap_2016_h1")),
    "mou_elite_2023": lambda: str(_claim("mou_2023_ten")),
    "purge_reports_total": lambda: str(len(_reports())),
    "purge_reports_kcna": lambda: str(int(_reports()["reported_by"].str.contains("KCNA").sum())),
    "purge_reports_intelligence": lambda: str(
        int(_reports()["reported_by"].str.contains("Intelligence Service|National Security Strategy").sum())
    ),
    "kju_reports": lambda: str(len(_reports("Kim Jong-un"))),
    "kju_contradicted": lambda: str(int(_status("contradicted: reappeared").sum())),
    "kju_disputed": lambda: str(int(_status("disputed").sum())),
    "kju_contradicted_pct": lambda: f"{_status('contradicted: reappeared').mean():.1%}",
    "kju_doubtful": lambda: str(int((_status("contradicted: reappeared") | _status("disputed")).sum())),
    "kji_reports": lambda: str(len(_reports("Kim Jong-il"))),
    "nis_70": lambda: str(_count("nis_2015_70")),
    "yun_70": lambda: str(_count("yun_2015_70")),
    "ytn_100": lambda: str(_count("ytn_2016_100")),
    "inss_340": lambda: str(_count("inss_2016_340")),
    "inss_140": lambda: str(_count("inss_2016_140_senior")),
    "inss_senior_share": lambda: f"{_count('inss_2016_140_senior') / _count('inss_2016_340'):.0%}",
    "nis_public_2013": lambda: str(_count("nis_2013_public")),
    "nis_kji_10": lambda: str(_count("nis_2015_kji_10")),
    "simhwajo_25000": lambda: f"{_count('simhwajo_2005_memoir'):,}",
    "mirae_20000": lambda: f"{_count('mirae_2005_20000'):,}",
    "frunze_officers": lambda: _number_in("frunze_group_1993", "officers"),
    "sixth_corps_executed": lambda: _number_in("sixth_corps_1996", "executed"),
    "motives_sum_2001": lambda: _motives_sum(2001),
    "motives_sum_2016": lambda: _motives_sum(2016),
}

#: Numbers lesson 3 may state without a tag: lesson numbers, the op-ed's own wording, durations.
CHECKED = {
    "notebooks/03_purge_shift.md": {"45", "30", "39"},  # 39: the name "Office 39"
}
