"""Simulated wrong answers for lesson 5 (see tests/wrong_answers.py)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from defection_course import evidence, load

_DOUBTFUL = ["contradicted: reappeared", "disputed"]


def _share(statuses):
    """Percent of all purge reports with one of these later statuses (from the data, not a constant)."""
    p = load("purges")
    return round(100 * float(p["later_status"].isin(statuses).mean()), 1)


def _plot(windows):
    curves = pd.concat([evidence.recency_curve(2010, 2025, w).assign(window=str(w)) for w in windows])
    plt.figure()
    ax = sns.lineplot(data=curves, x="as_of", y="share_pct", hue="window", style="window", markers=True)
    ax.set_xlabel("year")
    ax.set_ylabel("%")
    ax.set_title("Recency")
    return ax


WRONG = {
    "q5_1": [
        (lambda: 2023, "still above 50%"),
        (lambda: 2025, "already below 50% the year before"),
        (lambda: "2024", "in quotes"),
    ],
    "q5_2": [
        (lambda: _share(["contradicted: reappeared"]), "only the reports contradicted"),
        (lambda: int(load("purges")["later_status"].isin(_DOUBTFUL).sum()), "a count of cases"),
        (lambda: round(_share(_DOUBTFUL) / 100, 3), "you gave a fraction"),
    ],
    "q5_3": [
        (lambda: "C7", "intelligence briefings"),
        (lambda: "claim 8", "is not one of the choices"),
        (lambda: 8, "answer with one of these texts"),
    ],
    "q5_4": [(lambda: _plot((15,)), "shows 1 series"), (lambda: _plot((14, 15)), "10- and 15-year windows")],
    "q5_5": [(lambda: "Partly supported.", "write at least 80")],
    "q5_6": [(lambda: "More data.", "write at least 50")],
}
