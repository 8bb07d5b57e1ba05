"""Figures stated in lesson 3's prose (and in its part of the instructor guide), from the data."""

from __future__ import annotations

import re

import pandas as pd

from defection_course import load
from defection_course.lessons.purges import report_basis


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


def _by_year(claim_id: str, year: int, column: str = "figure_as_published") -> str:
    """The figure published for one year in a purge count ('17 (2012), 10 (2013), ...')."""
    text = load("purge_counts").set_index("claim_id").loc[claim_id, column]
    match = re.search(rf"(\d+)(?:-odd)? \({year}", text)
    assert match, f"{claim_id}: no figure for {year}"
    return match.group(1)


def _months(row: pd.Series) -> int:
    (y0, m0), (y1, m1) = (map(int, row[c].split("-")) for c in ("period_start", "period_end"))
    return 12 * (y1 - y0) + m1 - m0 + 1


def _protected(claim_id: str) -> pd.Series:
    return load("elite_defection_claims").set_index("claim_id").loc[claim_id]


def _rate(claim_id: str) -> float:
    row = _protected(claim_id)
    return 12 * int(row["count_low"]) / _months(row)


def _motive(year: int, motive: str = "economic hardship") -> str:
    m = load("defector_motives")
    return f"{m.loc[(m['survey_year'] == year) & (m['motive'] == motive), 'pct'].item():g}%"


def _listed_up_to(year: int) -> str:
    return str(int((_elite()["year"] <= year).sum()))


def _basis(name: str) -> str:
    return str(int((report_basis(_reports()["reported_by"]) == name).sum()))


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
    "nis_overseas_2013": lambda: str(_claim("nis_2013_overseas")),
    "nis_overseas_2014": lambda: str(_claim("nis_2014_overseas")),
    "undisclosed_1998": lambda: str(_claim("na_1998_undisclosed")),
    "elite_cases_to_1998": lambda: _listed_up_to(1998),
    "protected_kji": lambda: str(_claim("mou_2024_protected_1997_2011")),
    "protected_kju": lambda: str(_claim("mou_2024_protected_2012_2024")),
    "protected_years_kji": lambda: f"{_months(_protected('mou_2024_protected_1997_2011')) / 12:.1f}",
    "protected_years_kju": lambda: f"{_months(_protected('mou_2024_protected_2012_2024')) / 12:.1f}",
    "protected_rate_kji": lambda: f"{_rate('mou_2024_protected_1997_2011'):.1f}",
    "protected_rate_kju": lambda: f"{_rate('mou_2024_protected_2012_2024'):.1f}",
    "protected_rate_ratio": lambda: (
        f"{_rate('mou_2024_protected_2012_2024') / _rate('mou_2024_protected_1997_2011'):.1f}"
    ),
    "protected_count_ratio": lambda: (
        f"{_claim('mou_2024_protected_2012_2024') / _claim('mou_2024_protected_1997_2011'):.1f}"
    ),
    "yonhap_diplomats_2015": lambda: str(_claim("yonhap_2016_h1")),
    "mou_elite_2023": lambda: str(_claim("mou_2023_ten")),
    "purge_reports_total": lambda: str(len(_reports())),
    "purge_reports_kcna": lambda: _basis("North Korean state media"),
    "purge_reports_intelligence": lambda: _basis("South Korean intelligence"),
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
    "nis_april_2012": lambda: _by_year("nis_2015_04_by_year", 2012),
    "nis_april_2014": lambda: _by_year("nis_2015_04_by_year", 2014),
    "nis_may_2012": lambda: _by_year("nis_2015_70", 2012, "note"),
    "nis_may_2014": lambda: _by_year("nis_2015_70", 2014, "note"),
    "simhwajo_25000": lambda: f"{_count('simhwajo_2005_memoir'):,}",
    "mirae_20000": lambda: f"{_count('mirae_2005_20000'):,}",
    "frunze_officers": lambda: _number_in("frunze_group_1993", "officers"),
    "sixth_corps_executed": lambda: _number_in("sixth_corps_1996", "executed"),
    "motives_economic_2001": lambda: _motive(2001),
    "motives_economic_2016": lambda: _motive(2016),
    "motives_sum_2001": lambda: _motives_sum(2001),
    "motives_sum_2016": lambda: _motives_sum(2016),
}

#: The list of well-known defections and the purge table are compilations of today's sources; the
#: intelligence service's counts carry the date they were told to parliament.
_LISTS = "2024-07-16"
#: The date of the data behind the facts that verdicts compare with the op-ed (see _verdicts.py).
AS_OF = {
    "nis_70": "2015-05-14",
    "nis_kji_10": "2015-05-14",
    "nis_april_2012": "2015-04-29",
    "nis_april_2014": "2015-04-29",
    "nis_may_2012": "2015-05-14",
    "nis_may_2014": "2015-05-14",
    "nis_overseas_2013": "2015-10-20",
    "nis_overseas_2014": "2015-10-20",
    "nis_2015_officials": "2015-10-20",
    "undisclosed_1998": "1998-09-18",
    "protected_kji": "2024-06-30",
    "protected_kju": "2024-06-30",
    "protected_rate_kji": "2024-06-30",
    "protected_rate_kju": "2024-06-30",
    "protected_rate_ratio": "2024-06-30",
    "protected_count_ratio": "2024-06-30",
    "inss_340": "2016-12-29",
    "inss_senior_share": "2016-12-29",
    "motives_economic_2001": "2016-11-13",
    "motives_economic_2016": "2016-11-13",
    **dict.fromkeys(
        [
            "elite_cases_total",
            "elite_cases_2015",
            "elite_cases_2016",
            "elite_cases_to_1998",
            "elite_cases_before_2012",
            "elite_cases_since_2012",
            "elite_reported_since_2012",
            "purge_reports_total",
            "kju_reports",
            "kju_contradicted",
            "kju_disputed",
            "kju_doubtful",
            "kju_contradicted_pct",
        ],
        _LISTS,
    ),
}

#: Numbers lesson 3 may state without a tag: lesson numbers, the op-ed's own wording, durations.
CHECKED = {
    "notebooks/03_purge_shift.md": {"45", "30", "39"},  # 39: the name "Office 39"
    # timings, word counts, and the INSS's "340" named in Q3.7's heading (tagged in its text)
    "solutions/03_purge_shift.md": {"30", "60", "340"},
}


#: The facts each model answer of lesson 3's written questions states, and its other numbers.
ANSWERS = {
    "q3_9": (
        {
            "nis_70",
            "nis_kji_10",
            "nis_april_2012",
            "nis_may_2012",
            "kju_contradicted",
            "kju_reports",
            "inss_340",
        },
        set(),
    ),
}
