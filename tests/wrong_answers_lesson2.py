"""Simulated wrong answers for lesson 2 (see tests/wrong_answers.py).

Each entry: question id -> list of (function returning the wrong answer, message fragment).
Functions, not values, so tables and figures are built fresh for each test.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from defection_course import load

BORDER = ["North Hamgyong", "Ryanggang", "North Pyongan", "Jagang"]


def _occupation_pct(snapshot="github_c2024", groups=("workers", "not employed")):
    occ = load("origins_occupation")
    part = occ[occ["snapshot"] == snapshot]
    return round(100 * part.loc[part["category_group"].isin(groups), "total"].sum() / part["total"].sum(), 1)


def _border_table(camps=False, drop_nampo=False, scale=100):
    prov = load("origins_province")
    prov = prov[prov["snapshot"] == "github_c2024"][["province", "total"]]
    census = load("nk_census_2008")
    pop_total = (
        census["population"].sum()
        if camps
        else census.loc[census["borders_china"].notna(), "population"].sum()
    )
    merged = prov.merge(census, left_on="province", right_on="area")  # inner join drops Nampo
    d_total = merged["total"].sum() if drop_nampo else prov["total"].sum()
    merged["defector_share_pct"] = scale * merged["total"] / d_total
    merged["population_share_pct"] = scale * merged["population"] / pop_total
    out = merged[merged["province"].isin(BORDER)]
    return out[["province", "defector_share_pct", "population_share_pct"]].reset_index(drop=True)


def _education_plot(snapshot="github_c2024", shares=True):
    edu = load("origins_education")
    part = edu[edu["snapshot"] == snapshot].copy()
    part["share_pct"] = (100 * part["total"] / part["total"].sum()).round(1)
    plt.figure()
    ax = sns.barplot(data=part, x="level", y="share_pct" if shares else "total")
    ax.set_xlabel("education")
    ax.set_ylabel("defectors")
    ax.set_title("Most defectors had secondary schooling")
    return ax


def _unlabelled_plot():
    plt.figure()
    edu = load("origins_education")
    return sns.barplot(data=edu[edu["snapshot"] == "github_c2024"], x="level", y="total")


WRONG = {
    "q2_1": [
        (lambda: 39.7, "share of workers alone"),
        (lambda: 84.7, "September 2020 snapshot"),
        (lambda: 88.0, "also counted the children"),
        (lambda: 87.5, "left the children out of the denominator"),
        (
            lambda: _occupation_pct(groups=("workers", "not employed", "service")),
            "also counted the service sector",
        ),
        (lambda: 0.843, "you gave a fraction"),
    ],
    "q2_2": [
        (lambda: _border_table(camps=True), "military camps"),
        (lambda: _border_table(drop_nampo=True), "Nampo"),
        (lambda: _border_table(scale=1), "fractions"),
        (lambda: _border_table().iloc[:2], "asks for 4"),
        (lambda: _border_table()["defector_share_pct"], "you gave a pandas Series"),
    ],
    "q2_3": [
        (lambda: 0.17, "divided the population share by the defector share"),
        (lambda: 6.1, "military camps"),
        (lambda: 49.0, "a difference in percentage points"),
        (lambda: 2.6, "all four border provinces together"),
    ],
    "q2_4": [
        (lambda: _education_plot("datasom_2022_12", shares=False), "December 2022 snapshot"),
        (lambda: _education_plot(shares=False), "you plot numbers of people"),
        (lambda: _education_plot("datasom_2022_12"), "shares, but of the December 2022"),
        (_unlabelled_plot, "give the figure a title"),
        (lambda: pd.DataFrame({"level": ["a"], "share_pct": [1.0]}), "wants the plot itself"),
    ],
    "q2_5": [
        (lambda: 9665, "number of people (men and women)"),
        (lambda: 2615, "number of men"),
        (lambda: 7638, "c. 2024 snapshot"),
        (lambda: 6952, "not the largest among women"),
        (lambda: 31.0, "share in percent"),
        (lambda: "7523", "in quotes"),
    ],
    "q2_6": [
        (lambda: "Yes, mostly workers from the border.", "write at least 60"),
        (lambda: ["humble", "border"], "write your answer as text"),
    ],
}
