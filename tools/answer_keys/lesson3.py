"""Answer keys for lesson 3 (elite defections and reported purges)."""

import pandas as pd

from defection_course import interactives, load, purges
from defection_course.questions.lesson3 import INSS_OPTIONS, MOTIVE_OPTIONS

CONTRADICTED = "contradicted: reappeared"


def _elite():
    return load("elite_defections")


def _kju():
    return purges.purge_reports(leaders=["Kim Jong-un"])


def q3_1():
    e = _elite()
    y = e[e["year"] == 2016]
    return len(y), {
        "all_years": len(e),
        "reported_only": int((y["confirmation"] == "reported").sum()),
        "confirmed_only": int((y["confirmation"] == "confirmed").sum()),
        "diplomats_only": int((y["category"] == "diplomat").sum()),
        "kim_jong_un_era": int((e["year"] >= 2012).sum()),
    }


def q3_2():
    e = _elite()
    y = e[e["year"] == 2016]
    confirmed = int((y["confirmation"] == "confirmed").sum())
    return round(100 * confirmed / len(y), 1), {
        "reported_share": round(100 * (len(y) - confirmed) / len(y), 1),
        "of_all_cases": round(100 * confirmed / len(e), 1),
        "all_years_share": round(100 * float((e["confirmation"] == "confirmed").mean()), 1),
        "count_not_share": confirmed,
    }


def _grid_values(first, last):
    g = purges.elite_cases_per_year(first, last)
    return [float(v) for v in g["cases"]]


def _crosstab_values(df):
    """Values plotted from a crosstab without the missing years (both statuses)."""
    t = pd.crosstab(df["year"], df["confirmation"])
    return [float(v) for col in t.columns for v in t[col]]


def q3_3():
    e = _elite()
    return _grid_values(1990, 2023), {
        "no_zero_years": _crosstab_values(e[e["year"].between(1990, 2023)]),
        "listed_years_all": _crosstab_values(e),
        "from_1953": _grid_values(1953, 2023),
        "to_2025": _grid_values(1990, 2025),
    }


def _rows(df):
    return [[int(y), p] for y, p in zip(df["year"], df["person"])]


def q3_4():
    k = _kju()
    return _rows(k[k["later_status"] == CONTRADICTED]), {
        "with_disputed": _rows(k[k["later_status"].isin([CONTRADICTED, "disputed"])]),
        "disputed_only": _rows(k[k["later_status"] == "disputed"]),
        "not_contradicted": _rows(k[k["later_status"] == "not contradicted"]),
        "empty": [],
    }


def q3_5():
    k = _kju()
    n_contradicted = int((k["later_status"] == CONTRADICTED).sum())
    executions = k[k["reported_fate"] == "executed"]
    n_executions_contradicted = int((executions["later_status"] == CONTRADICTED).sum())
    return purges.contradicted_share("Kim Jong-un"), {
        "all_eras": purges.contradicted_share(None),
        "with_disputed": purges.contradicted_share("Kim Jong-un", (CONTRADICTED, "disputed")),
        "executions_only": round(100 * n_executions_contradicted / len(executions), 1),
        "count_not_share": n_contradicted,
    }


def _n_selected(leaders, statuses):
    return len(interactives.purge_view(tuple(leaders), tuple(statuses)).table)


def q3_6():
    kju = ("Kim Jong-un",)
    statuses = tuple(load("purges")["later_status"].unique())
    return _n_selected(kju, ("disputed", CONTRADICTED)), {
        "contradicted_only": _n_selected(kju, (CONTRADICTED,)),
        "disputed_only": _n_selected(kju, ("disputed",)),
        "all_statuses": _n_selected(kju, statuses),
        "default_view": len(interactives.purge_view().table),
        "not_contradicted": _n_selected(kju, ("not contradicted",)),
    }


def q3_7():
    row = load("purge_counts").set_index("claim_id").loc["inss_2016_340"]
    assert row["counts"] == "executions or purges" and "residents" in row["scope"], row
    expected = INSS_OPTIONS[1]
    return expected, {o: o for o in INSS_OPTIONS if o != expected}


def q3_8():
    expected = MOTIVE_OPTIONS[2]
    return expected, {o: o for o in MOTIVE_OPTIONS if o != expected}


KEYS = {
    "q3_1": q3_1,
    "q3_2": q3_2,
    "q3_3": q3_3,
    "q3_4": q3_4,
    "q3_5": q3_5,
    "q3_6": q3_6,
    "q3_7": q3_7,
    "q3_8": q3_8,
}
