"""Answer keys for lesson 2 (social origins)."""

from defection_course import load, origins

SNAP = "github_c2024"
BORDER = ["North Hamgyong", "Ryanggang", "North Pyongan", "Jagang"]


def _occ_share(snapshot, groups, exclude_from_total=()):
    occ = load("origins_occupation")
    part = occ[occ["snapshot"] == snapshot]
    num = part.loc[part["category_group"].isin(groups), "total"].sum()
    den = part.loc[~part["category_group"].isin(exclude_from_total), "total"].sum()
    return round(100 * float(num) / float(den), 1)


def q2_1():
    both = ("workers", "not employed")
    occ = load("origins_occupation").dropna(subset=["total"])
    everything = round(
        100 * float(occ.loc[occ["category_group"].isin(both), "total"].sum()) / float(occ["total"].sum()), 1
    )
    return origins.humble_share(SNAP, both), {
        "workers_only": origins.humble_share(SNAP, ("workers",)),
        "not_employed_only": origins.humble_share(SNAP, ("not employed",)),
        "with_service": origins.humble_share(SNAP, both + ("service",)),
        "with_children": origins.humble_share(SNAP, both + ("children",)),
        "children_left_out_of_total": _occ_share(SNAP, both, exclude_from_total=("children",)),
        "snapshot_2020": origins.humble_share("mou_2020_09", both),
        "all_snapshots": everything,
    }


def _shares(defector_total=None, population_total=None, scale=100.0):
    prov = load("origins_province")
    prov = prov[prov["snapshot"] == SNAP].set_index("province")["total"]
    census = load("nk_census_2008").set_index("area")["population"]
    d_total = defector_total or prov.sum()
    p_total = population_total or census.drop("living in military camps").sum()
    return {
        p: (scale * float(prov[p]) / float(d_total), scale * float(census[p]) / float(p_total))
        for p in BORDER
    }


def _rows(shares):
    return [[p, round(d, 1), round(pop, 1)] for p, (d, pop) in shares.items()]


def q2_2():
    census = load("nk_census_2008").set_index("area")["population"]
    prov = load("origins_province")
    prov = prov[prov["snapshot"] == SNAP].set_index("province")["total"]
    return _rows(_shares()), {
        "camps_in_population_total": _rows(_shares(population_total=census.sum())),
        "nampo_dropped": _rows(_shares(defector_total=prov.drop("Nampo").sum())),
        "base_34134": _rows(_shares(defector_total=34134)),
        "fractions": _rows(_shares(scale=1.0)),
    }


def q2_3():
    census = load("nk_census_2008").set_index("area")["population"]
    d, p = _shares()["North Hamgyong"]
    _, p_camps = _shares(population_total=census.sum())["North Hamgyong"]
    border = origins.border_share()
    return round(d / p, 1), {
        "inverted": round(p / d, 1),
        "camps_in_population_total": round(d / p_camps, 1),
        "difference": round(d - p, 1),
        "all_border_provinces": round(border["defectors_pct"] / border["population_pct"], 1),
    }


def _education(snapshot, column="share_pct", scale=1.0):
    edu = origins.breakdown("education", snapshot)
    return [scale * float(v) for v in edu[column]]


def q2_4():
    return _education(SNAP), {
        "counts_2022": _education("datasom_2022_12", "count"),
        "counts_2024": _education(SNAP, "count"),
        "shares_2022": _education("datasom_2022_12"),
        "fractions": _education(SNAP, scale=0.01),
    }


def _top_age(snapshot, sex):
    age = origins.breakdown("age", snapshot, sex)
    return age.loc[age["count"].idxmax()]


def q2_5():
    top = _top_age("mou_2020_09", "female")
    women = origins.breakdown("age", "mou_2020_09", "female").sort_values("count", ascending=False)
    return int(top["count"]), {
        "everyone": int(_top_age("mou_2020_09", "total")["count"]),
        "men": int(_top_age("mou_2020_09", "male")["count"]),
        "snapshot_2024": int(_top_age(SNAP, "female")["count"]),
        "second_band": int(women["count"].iloc[1]),
        "share": round(float(top["share_pct"])),
    }


KEYS = {"q2_1": q2_1, "q2_2": q2_2, "q2_3": q2_3, "q2_4": q2_4, "q2_5": q2_5}
