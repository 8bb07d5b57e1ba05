"""Figures stated in the prose of lesson 2 (social origins), computed from the course data."""

from __future__ import annotations

import pandas as pd

from defection_course import load
from defection_course.citations import sources_markdown
from support.prose_facts import _data as d


def _occupation(snapshot: str = "github_c2024") -> pd.DataFrame:
    occ = load("origins_occupation")
    return occ[occ["snapshot"] == snapshot]


def _group_pct(groups: list[str], snapshot: str = "github_c2024") -> float:
    part = _occupation(snapshot)
    return (
        100 * float(part.loc[part["category_group"].isin(groups), "total"].sum()) / float(part["total"].sum())
    )


def _count(snapshot: str, category: str) -> int:
    part = _occupation(snapshot).set_index("category")
    return int(part.loc[category, "total"])


def _base(snapshot: str) -> int:
    return int(load("origin_snapshots").set_index("snapshot").loc[snapshot, "base"])


def _provinces() -> pd.DataFrame:
    prov = load("origins_province")
    part = prov[prov["snapshot"] == "github_c2024"].replace({"province": {"Nampo": "South Pyongan"}})
    defectors = part.groupby("province")["total"].sum()
    census = load("nk_census_2008").dropna(subset=["borders_china"]).set_index("area")
    out = pd.DataFrame({"defectors": defectors, "population": census["population"]})
    out["borders_china"] = census["borders_china"].astype(bool)
    return 100 * out[["defectors", "population"]] / out[["defectors", "population"]].sum(), out[
        "borders_china"
    ]


def _prov_pct(provinces: list[str], column: str) -> float:
    shares, _ = _provinces()
    return float(shares.loc[provinces, column].sum())


def _border_pct(column: str) -> float:
    shares, border = _provinces()
    return float(shares.loc[border[border].index, column].sum())


def _survey(measure: str, cohort_start: str) -> str:
    s = load("living_standard_survey")
    row = s[s["measure"].str.startswith(measure) & s["cohort"].str.startswith(cohort_start)].iloc[0]
    return f"{row['pct']:g}%"


def _education_pct(level: str) -> str:
    edu = load("origins_education")
    part = edu[edu["snapshot"] == "github_c2024"].set_index("level")["total"]
    return f"{100 * part[level] / part.sum():.1f}%"


def _women_pct(as_of: str) -> float:
    row = load("origins_sex").set_index("as_of").loc[as_of]
    return 100 * float(row["female"]) / float(row["total"])


def _age_20s_30s() -> str:
    age = load("origins_age")
    part = age[age["snapshot"] == "github_c2024"].set_index("age_band")["total"]
    return f"{100 * (part['20-29'] + part['30-39']) / part.sum():.0f}%"


def _nh_share(snapshot: str) -> str:
    prov = load("origins_province")
    row = prov[(prov["snapshot"] == snapshot) & (prov["province"] == "North Hamgyong")].iloc[0]
    if pd.notna(row["pct_published"]):
        return f"{row['pct_published']:g}%"
    return f"{100 * row['total'] / _base(snapshot):.0f}%"


def _pct(value: float, digits: int = 1) -> str:
    return f"{value:.{digits}f}%"


def _incheon_pct(group: str) -> str:
    part = _occupation("incheon_1996_2000")
    share = 100 * float(part.loc[part["category_group"] == group, "total"].sum()) / _base("incheon_1996_2000")
    return _pct(share)


FACTS = {
    "l2_cum_2024_09": lambda: f"{int(d.checkpoint('c2024_09_30')['cumulative']):,}",
    "l2_base_2024": lambda: f"{_base('github_c2024'):,}",
    "l2_lag_2024": lambda: str(int(d.checkpoint("c2024_09_30")["cumulative"]) - _base("github_c2024")),
    "l2_workers_not_employed": lambda: _pct(_group_pct(["workers", "not employed"])),
    "l2_workers_not_employed_round": lambda: _pct(_group_pct(["workers", "not employed"]), 0),
    "l2_with_service": lambda: _pct(_group_pct(["workers", "not employed", "service"])),
    "l2_status_groups": lambda: _pct(_group_pct(["management", "professionals", "arts/sports"])),
    "l2_status_groups_round": lambda: (
        "5%" if _group_pct(["management", "professionals", "arts/sports"]) < 5 else "?"
    ),
    "l2_military": lambda: _pct(_group_pct(["military"])),
    "l2_management": lambda: _pct(_group_pct(["management"])),
    "l2_workers_not_employed_2008": lambda: _pct(_group_pct(["workers", "not employed"], "dailynk_2008"), 0),
    "l2_status_groups_2008": lambda: _pct(
        _group_pct(["management", "professionals", "arts/sports"], "dailynk_2008"), 0
    ),
    "l2_base_2008": lambda: f"{_base('dailynk_2008'):,}",
    "l2_arrived_by_2016_share": lambda: _pct(100 * int(d.running()[2016]) / _base("github_c2024"), 0),
    "l2_workers_not_employed_2020_round": lambda: _pct(
        _group_pct(["workers", "not employed"], "mou_2020_09"), 0
    ),
    "l2_military_round": lambda: _pct(_group_pct(["military"]), 0),
    "l2_secondary_round": lambda: f"{float(_education_pct('secondary (middle/high school)')[:-1]):.0f}%",
    "l2_university_round": lambda: f"{float(_education_pct('university or higher')[:-1]):.0f}%",
    "l2_income_from_2014_round": lambda: f"{float(_survey('income', 'surveys from 2014')[:-1]):.0f}%",
    "l2_workers_2020": lambda: _pct(_group_pct(["workers"], "mou_2020_09")),
    "l2_not_employed_2020": lambda: _pct(_group_pct(["not employed"], "mou_2020_09")),
    "l2_workers_2024": lambda: _pct(_group_pct(["workers"])),
    "l2_not_employed_2024": lambda: _pct(_group_pct(["not employed"])),
    "l2_income_before_2001": lambda: _survey("income", "surveys before 2001"),
    "l2_income_from_2014": lambda: _survey("income", "surveys from 2014"),
    "l2_living_before_2001": lambda: _survey("living standard", "surveys before 2001"),
    "l2_living_from_2014": lambda: _survey("living standard", "surveys from 2014"),
    "l2_women_pct_1989": lambda: _pct(_women_pct("by 1989")),
    "l2_women_pct_2025": lambda: _pct(_women_pct("2025-12-31")),
    "l2_women_pct_1989_round": lambda: _pct(_women_pct("by 1989"), 0),
    "l2_women_pct_2025_round": lambda: _pct(_women_pct("2025-12-31"), 0),
    "l2_secondary": lambda: _education_pct("secondary (middle/high school)"),
    "l2_junior_college": lambda: _education_pct("junior college"),
    "l2_university": lambda: _education_pct("university or higher"),
    "l2_base_1994": lambda: str(_base("seoul_1994_study")),
    "l2_soldiers_1994": lambda: str(_count("seoul_1994_study", "soldiers")),
    "l2_officials_1994": lambda: str(_count("seoul_1994_study", "party/state officials")),
    "l2_students_1994": lambda: str(_count("seoul_1994_study", "students")),
    "l2_loggers_1994": lambda: str(_count("seoul_1994_study", "loggers")),
    "l2_technicians_1994": lambda: str(_count("seoul_1994_study", "technicians")),
    "l2_farmers_1994": lambda: str(_count("seoul_1994_study", "farmers/fishers")),
    "l2_soldiers_pct_1994": lambda: _pct(
        100 * _count("seoul_1994_study", "soldiers") / _base("seoul_1994_study"), 0
    ),
    "l2_officials_pct_1994": lambda: _pct(
        100 * _count("seoul_1994_study", "party/state officials") / _base("seoul_1994_study"), 0
    ),
    "l2_base_1996_2000": lambda: str(_base("incheon_1996_2000")),
    "l2_soldiers_1996_2000": lambda: _incheon_pct("military"),
    "l2_overseas_1996_2000": lambda: _incheon_pct("overseas staff"),
    "l2_age_20s_30s": _age_20s_30s,
    "l2_military_camps": lambda: (
        f"{int(load('nk_census_2008').set_index('area').loc['living in military camps', 'population']):,}"
    ),
    "l2_northeast_defectors": lambda: _pct(_prov_pct(["North Hamgyong", "Ryanggang"], "defectors")),
    "l2_northeast_defectors_round": lambda: _pct(_prov_pct(["North Hamgyong", "Ryanggang"], "defectors"), 0),
    "l2_northeast_population": lambda: _pct(_prov_pct(["North Hamgyong", "Ryanggang"], "population")),
    "l2_border_defectors": lambda: _pct(_border_pct("defectors")),
    "l2_border_defectors_round": lambda: _pct(_border_pct("defectors"), 0),
    "l2_border_population": lambda: _pct(_border_pct("population")),
    "l2_border_population_round": lambda: _pct(_border_pct("population"), 0),
    "l2_jagang_defectors": lambda: _pct(_prov_pct(["Jagang"], "defectors")),
    "l2_jagang_population": lambda: _pct(_prov_pct(["Jagang"], "population")),
    "l2_npyongan_defectors": lambda: _pct(_prov_pct(["North Pyongan"], "defectors")),
    "l2_npyongan_population": lambda: _pct(_prov_pct(["North Pyongan"], "population")),
    "l2_nh_1998_2003": lambda: _nh_share("sedaily_1998_2003"),
    "l2_nh_2018": lambda: _nh_share("park_2018_08"),
}

#: The date of the data behind the facts that verdicts compare with the op-ed (see _verdicts.py).
AS_OF = {
    "l2_workers_not_employed_2008": "2008-05-31",
    "l2_status_groups_2008": "2008-05-31",
    "l2_base_2008": "2008-05-31",
    "l2_income_before_2001": "2016-08-21",
    "l2_income_from_2014": "2016-08-21",
    "l2_living_before_2001": "2016-08-21",
    "l2_living_from_2014": "2016-08-21",
    "l2_nh_1998_2003": "2003-08-31",
    "l2_workers_not_employed": "2024-09-30",
    "l2_workers_not_employed_round": "2024-09-30",
    "l2_status_groups": "2024-09-30",
    "l2_military": "2024-09-30",
    "l2_secondary": "2024-09-30",
    "l2_status_groups_round": "2024-09-30",
    "l2_arrived_by_2016_share": "2024-09-30",
    "l2_northeast_defectors": "2024-09-30",
    "l2_northeast_defectors_round": "2024-09-30",
    "l2_northeast_population": "2008-10-01",
    "l2_border_defectors_round": "2024-09-30",
    "l2_border_population_round": "2008-10-01",
    "l2_women_pct_2025_round": "2025-12-31",
    "l2_soldiers_pct_1994": "1994-10-31",
    "l2_officials_pct_1994": "1994-10-31",
}

_TABLES = [
    "origin_snapshots",
    "origins_occupation",
    "origins_province",
    "origins_age",
    "origins_education",
    "origins_sex",
    "nk_census_2008",
    "arrivals_annual",
    "arrivals_periods",
    "living_standard_survey",
]

#: Numbers lesson 2 may state without a tag: durations, the op-ed's own figures when quoted
#: (the top 5 percent, the last 15 years), a working-paper number (12-11) and the figures in
#: the generated source titles.
CHECKED = {
    "notebooks/02_social_origins.md": {"40", "30", "5", "15", "12"} | d.numbers_in(sources_markdown(_TABLES)),
    "solutions/02_social_origins.md": {"30", "60", "15"},  # timings, word counts, the op-ed's 15 years
}

#: Sentences of lesson 2 that use verdict words without stating a verdict on a claim.
ALLOWED_PHRASES = {
    "notebooks/02_social_origins.md": {"supported by others", "cannot be tested with the course data"},
    "notebooks/instructor_guide.md": {"supported by others"},
}


#: The facts each model answer of lesson 2's written questions states, and its other numbers.
ANSWERS = {
    "q2_6": (
        {
            "l2_workers_not_employed_2008",
            "l2_workers_not_employed",
            "l2_status_groups",
            "l2_military",
            "l2_secondary",
            "l2_income_from_2014",
            "l2_income_before_2001",
            "l2_northeast_defectors_round",
            "l2_soldiers_pct_1994",
        },
        {"15"},
    ),
}
