"""Answer keys for lesson 5 (capstone)."""

from defection_course import evidence, history, load


def _first_below(window):
    return next(
        y for y in range(2010, 2026) if y - window + 1 >= 1996 and history.share_in_last_years(y, window) < 50
    )


def q5_1():
    first = _first_below(15)
    return first, {"still_above": first - 1, "last_not_first": first + 1, "window_10": _first_below(10)}


def q5_2():
    p = load("purges")
    weak = p["later_status"].isin(["contradicted: reappeared", "disputed"])
    kju = p["leader"] == "Kim Jong-un"
    return round(100 * weak.sum() / len(p), 1), {
        "contradicted_only": round(100 * (p["later_status"] == "contradicted: reappeared").sum() / len(p), 1),
        "kim_jong_un_only": round(100 * (weak & kju).sum() / kju.sum(), 1),
        "count_not_share": int(weak.sum()),
    }


def q5_3():
    return "C8", {"c7": "C7", "c6": "C6"}


def _values(windows):
    vals = []
    for w in windows:
        vals += [float(v) for v in evidence.recency_curve(2010, 2025, w)["share_pct"]]
    return vals


def q5_4():
    return _values((10, 15)), {"one_window": _values((15,)), "windows_14_15": _values((14, 15))}


KEYS = {"q5_1": q5_1, "q5_2": q5_2, "q5_3": q5_3, "q5_4": q5_4}
