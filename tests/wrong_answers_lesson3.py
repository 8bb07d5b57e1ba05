"""Simulated wrong answers for lesson 3 (see tests/wrong_answers.py).

Each entry: question id -> list of (function returning the wrong answer, message fragment).
Functions, not values, so figures are drawn fresh for each test.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from defection_course import load, purges


def _elite():
    return load("elite_defections")


def _in_2016():
    e = _elite()
    return e[e["year"] == 2016]


def _pct(part, whole):
    return round(100 * part / whole, 1)


def _kju_reports():
    return purges.purge_reports(leaders=["Kim Jong-un"])


def _n_kju(statuses):
    return int(_kju_reports()["later_status"].isin(statuses).sum())


def _kju(statuses):
    r = purges.purge_reports(leaders=["Kim Jong-un"])
    return r[r["later_status"].isin(statuses)][["year", "person"]]


def _elite_plot(first=1990, last=2023, fill_zeros=True, filter_years=False):
    e = _elite()
    if filter_years:
        e = e[e["year"].between(first, last)]
    grid = pd.crosstab(e["year"], e["confirmation"])
    if fill_zeros:
        grid = grid.reindex(range(first, last + 1), fill_value=0)
    long = grid.reset_index().melt(id_vars="year", var_name="confirmation", value_name="cases")
    plt.figure()
    ax = sns.lineplot(data=long, x="year", y="cases", hue="confirmation", style="confirmation", markers=True)
    ax.set_xlabel("year")
    ax.set_ylabel("cases")
    ax.set_title("Listed cases")
    return ax


def _one_style_plot():
    long = purges.elite_cases_per_year(1990, 2023)
    plt.figure()
    ax = sns.lineplot(data=long, x="year", y="cases", hue="confirmation", markers=False, dashes=False)
    ax.set_xlabel("year")
    ax.set_ylabel("cases")
    ax.set_title("Listed cases")
    return ax


WRONG = {
    "q3_1": [
        (lambda: len(_elite()), "the whole list"),
        (lambda: int((_in_2016()["confirmation"] == "reported").sum()), "only the cases that were reported"),
        (lambda: int((_in_2016()["confirmation"] == "confirmed").sum()), "only the confirmed cases"),
        (lambda: int((_in_2016()["category"] == "diplomat").sum()), "only diplomats"),
        (lambda: 7, "not the expected value"),
        (lambda: int((_elite()["year"] >= 2012).sum()), "Kim Jong-un's era"),
    ],
    "q3_2": [
        (lambda: _pct((_in_2016()["confirmation"] == "reported").sum(), len(_in_2016())), "only reported"),
        (lambda: _pct((_elite()["confirmation"] == "confirmed").sum(), len(_elite())), "whole list"),
        (
            lambda: _pct((_in_2016()["confirmation"] == "confirmed").sum(), len(_elite())),
            "divided by every case",
        ),
        (lambda: 0.333, "you gave a fraction"),
        (lambda: 2, "a count of cases"),
    ],
    "q3_3": [
        (lambda: _elite_plot(fill_zeros=False, filter_years=True), "years without a listed case"),
        (lambda: _elite_plot(fill_zeros=False), "back to 1953"),
        (lambda: _elite_plot(first=1953), "not the whole list from 1953"),
        (lambda: _elite_plot(last=2025), "no year after 2023"),
        (_one_style_plot, "differ only by colour"),
        (lambda: _elite(), "wants the plot itself"),
    ],
    "q3_4": [
        (lambda: _kju(["contradicted: reappeared", "disputed"]), "also kept the disputed"),
        (lambda: _kju(["disputed"]), "those are the disputed"),
        (lambda: _kju(["not contradicted"]), "NOT contradicted"),
        (lambda: _kju(["contradicted"]), "your table is empty"),
        (lambda: _kju(["contradicted: reappeared"])["person"], "pandas Series"),
        (
            lambda: _kju(["contradicted: reappeared"]).rename(columns={"person": "name"}),
            "no column(s) ['person']",
        ),
    ],
    "q3_5": [
        (lambda: purges.contradicted_share(None), "every era"),
        (
            lambda: purges.contradicted_share("Kim Jong-un", ("contradicted: reappeared", "disputed")),
            "counted the disputed",
        ),
        (
            lambda: _pct(
                _kju_reports()
                .query("reported_fate == 'executed'")["later_status"]
                .eq("contradicted: reappeared")
                .sum(),
                len(_kju_reports().query("reported_fate == 'executed'")),
            ),
            "reports of executions",
        ),
        (lambda: _n_kju(["contradicted: reappeared"]), "a count of reports"),
        (lambda: round(purges.contradicted_share("Kim Jong-un") / 100, 3), "you gave a fraction"),
    ],
    "q3_6": [
        # "contradicted only" and "disputed only" are both 5 with the present data: only the first is tested
        (lambda: _n_kju(["contradicted: reappeared"]), "contradicted only"),
        (lambda: len(_kju_reports()), "every report status"),
        (lambda: len(purges.purge_reports()), "default view"),
        (lambda: _n_kju(["not contradicted"]), "not contradicted"),
    ],
    "q3_7": [
        (lambda: "executions of officials only", "English-language reports"),
        (lambda: "public executions of anyone", "a different figure"),
        (lambda: "officials executed up to May 2015", "'about 70'"),
        (lambda: "340 executions", "not one of the choices"),
    ],
    "q3_8": [
        (lambda: "it supports C8", "check who was asked"),
        (lambda: "it contradicts C8", "says little about elite members"),
        (lambda: True, "answer with one of these texts"),
    ],
    "q3_9": [
        (lambda: "The data support C7 because of the 70 executions.", "write at least 60"),
        (lambda: 70, "write your answer as text"),
    ],
}
