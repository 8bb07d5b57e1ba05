"""Simulated wrong answers for lesson 1 (see tests/wrong_answers.py).

Each entry: question id -> list of (function returning the wrong answer, message fragment).
Functions, not values, so figures are drawn fresh for each test.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import seaborn as sns

from defection_course import load


def _annual():
    return load("arrivals_annual")


def _women_share(col="female", scale=100):
    a = _annual().query("2002 <= year <= 2011").copy()
    a["female_pct"] = (scale * a[col] / a["total"]).round(3)
    return a[["year", "female_pct"]]


def _sex_plot(with_total=False, years_from=2002):
    a = _annual().query("year >= @years_from")
    cols = ["male", "female"] + (["total"] if with_total else [])
    long = a.melt(id_vars="year", value_vars=cols, var_name="sex", value_name="n").dropna()
    plt.figure()
    ax = sns.lineplot(data=long, x="year", y="n", hue="sex", style="sex", markers=True)
    ax.set_xlabel("year")
    ax.set_ylabel("arrivals")
    ax.set_title("Arrivals by sex")
    return ax


WRONG = {
    "q1_1": [
        (lambda: 28222, "only the yearly figures for 2002-2016"),
        (lambda: 28794, "end of 2015"),
        (lambda: 31255, "counted 1999-2001 twice"),
    ],
    "q1_2": [
        (lambda: 95.3, "you counted 2001-2016: that is 16 years"),
        (lambda: 95.1, "as of the end of 2015"),
        (lambda: 0.934, "you gave a fraction"),
        (lambda: 28222, "a count of people"),
    ],
    "q1_3": [
        (lambda: _women_share(scale=1), "fractions"),
        (lambda: _women_share(col="male"), "men's shares"),
    ],
    "q1_4": [
        (lambda: _sex_plot(with_total=True), "also plotted the total"),
        (lambda: 42, "wants the plot itself"),
    ],
    "q1_5": [(lambda: 10646, "you included 2020"), (lambda: 13123, "you included 2011")],
    "q1_6": [(lambda: -450, "the wrong way round"), (lambda: 10, "Daily NK")],
    "q1_7": [(lambda: "Yes, it is right.", "write at least 40"), (lambda: 95, "write your answer as text")],
}
