"""Simulated wrong answers for lesson 4 (see tests/wrong_answers.py).

Each entry: question id -> list of (function returning the wrong answer, message fragment).
Functions, not values, so figures are drawn fresh for each test.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import seaborn as sns

from defection_course import load


def _flight(first=1949, last=1961, scale=1, cumulative=False, series_1961="notaufnahme_refugees"):
    gdr = load("gdr_emigration")
    keep = gdr["year"].between(first, last) & (
        ((gdr["series"] == "notaufnahme_refugees") & (gdr["year"] != 1961))
        | ((gdr["series"] == series_1961) & (gdr["year"] == 1961))
    )
    part = gdr[keep].sort_values("year")[["year", "persons"]].copy()
    part["persons"] = part["persons"] / scale
    if cumulative:
        part["persons"] = part["persons"].cumsum()
    return part


def _both_1961():
    gdr = load("gdr_emigration")
    return gdr[
        gdr["year"].between(1949, 1961)
        & gdr["series"].isin(["notaufnahme_refugees", "uebersiedler_und_fluechtlinge"])
    ][["year", "persons"]]


def _stasi_plot(cols=("successful_escapes", "of_which_non_returners"), last=1988, styles=True):
    s = load("gdr_stasi_escapes").query("year <= @last")
    long = s.melt(id_vars="year", value_vars=list(cols), var_name="kind", value_name="people").dropna()
    plt.figure()
    if styles:
        ax = sns.lineplot(data=long, x="year", y="people", hue="kind", style="kind", markers=True)
    else:
        ax = sns.lineplot(data=long, x="year", y="people", hue="kind")
    ax.set_xlabel("year")
    ax.set_ylabel("people")
    ax.set_title("Escapes counted by the Stasi")
    return ax


def _rate_1956(population_year):
    """The 1956 rate per 100,000, divided by the population of the wrong checkpoint year."""
    pops = load("populations").set_index(["country", "year"])["population"]
    left = load("gdr_emigration").set_index(["year", "series"]).loc[(1956, "notaufnahme_refugees"), "persons"]
    return round(1e5 * left / pops.loc[("East Germany", int(population_year))], 1)


WRONG = {
    "q4_1": [
        (lambda: _flight(scale=1000), "in thousands"),
        (lambda: _flight(cumulative=True), "running totals"),
        (lambda: _flight(series_1961="uebersiedler_und_fluechtlinge"), "other series"),
        (lambda: _flight(last=1960), "the question asks for 1949-1961"),
        (lambda: _both_1961(), "your table has 14 rows"),
        (lambda: _flight()["persons"], "you gave a pandas Series"),
    ],
    "q4_2": [
        (lambda: 15.79, "per 1,000"),
        (lambda: 1.6, "a percentage"),
        (lambda: _rate_1956("1989"), "population in 1989"),
        (lambda: _rate_1956("1950"), "1950 population without interpolating"),
        (lambda: _rate_1956("1961"), "1961 population without interpolating"),
        (lambda: 279000, "not a rate"),
        (lambda: _rate_1956("1989") * 0 + 1835.7, "is not the expected value"),
    ],
    "q4_3": [
        (lambda: "343,900", "West Germany's count"),
        (lambda: "324,776", "Interior Ministry"),
        (lambda: "344,000", "Hamburg newspaper"),
        (lambda: "388,396", "Wendt's count"),
        (lambda: 203000, "answer with one of these texts"),
        (lambda: "200,000", "is not one of the choices"),
    ],
    "q4_4": [
        (lambda: _stasi_plot(last=1989), "you included 1989"),
        (
            lambda: _stasi_plot(cols=("successful_escapes", "of_which_non_returners", "prevented_attempts")),
            "attempts that were stopped",
        ),
        (lambda: _stasi_plot(styles=False), "differ only by colour"),
        (lambda: load("gdr_stasi_escapes"), "wants the plot itself"),
    ],
    "q4_5": [
        (lambda: 12.0, "that is the median"),
        (lambda: 13.3, "counted del Pino (Cuba) as 0 years"),
        (lambda: 11.0, "with del Pino (Cuba) counted as 0 years"),
    ],
    "q4_6": [
        (lambda: 15, "longest gap"),
        (lambda: 13, "median of the Soviet defectors"),
        (lambda: 1991, "the year the Soviet Union ended"),
        (lambda: 1985, "the year he defected"),
    ],
    "q4_7": [
        (lambda: "Elite defections did not topple the regimes.", "write at least 60"),
        (lambda: 36, "write your answer as text"),
    ],
}
