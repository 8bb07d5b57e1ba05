"""Answer keys for lesson 1 (defection history)."""

from defection_course import history, load


def _annual():
    return load("arrivals_annual").set_index("year")


def q1_1():
    a = _annual()["total"]
    return history.cumulative_at(2016), {
        "only_2002_2016": int(a.loc[2002:2016].sum()),
        "yearly_rows_from_1994": int(a.loc[:2016].sum()),
        "end_2015": history.cumulative_at(2015),
        "end_2017": history.cumulative_at(2017),
        "double_counted": history.cumulative_at(2016) + int(a.loc[1999:2001].sum()),
    }


def q1_2():
    return history.share_in_last_years(2016, 15), {
        "window_2001_2016": history.share_in_last_years(2016, 16),
        "window_2003_2016": history.share_in_last_years(2016, 14),
        "as_of_2015": history.share_in_last_years(2015, 15),
        "count_not_share": history.arrivals_between(2002, 2016),
        "share_of_2025_total": round(
            100 * history.arrivals_between(2002, 2016) / history.cumulative_at(2025), 1
        ),
    }


def q1_3():
    a = _annual().loc[2002:2011]
    rows = lambda s: [[y, round(float(v), 1)] for y, v in s.items()]  # noqa: E731
    return rows(100 * a["female"] / a["total"]), {
        "fractions": [[y, round(float(v), 1)] for y, v in (a["female"] / a["total"]).items()],
        "men_share": rows(100 * a["male"] / a["total"]),
    }


def q1_4():
    a = _annual().loc[2002:2025]
    both = [float(v) for v in a["male"]] + [float(v) for v in a["female"]]
    early = _annual().loc[:2025]
    return both, {
        "with_total": both + [float(v) for v in a["total"]],
        "years_from_1994": [float(v) for v in early["male"].dropna()]
        + [float(v) for v in early["female"].dropna()],
    }


def q1_5():
    a = _annual()
    return int(a.loc[2012:2019, "total"].sum()), {
        "through_2020": int(a.loc[2012:2020, "total"].sum()),
        "from_2011": int(a.loc[2011:2019, "total"].sum()),
        "women_only": int(a.loc[2012:2019, "female"].sum()),
    }


def q1_6():
    p = load("arrivals_provisional").set_index("report_id")
    first = p.loc["r2006_yonhap"]
    other = p.loc["r2006_dailynk"]
    diff = int(first["revised_value"] - first["reported_value"])
    return diff, {"negative": -diff, "dailynk_2009": int(other["revised_value"] - other["reported_value"])}


KEYS = {"q1_1": q1_1, "q1_2": q1_2, "q1_3": q1_3, "q1_4": q1_4, "q1_5": q1_5, "q1_6": q1_6}
