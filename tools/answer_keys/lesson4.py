"""Answer keys for lesson 4 (the East-bloc comparison)."""

from defection_course import eastbloc, load


def _refugees():
    gdr = load("gdr_emigration")
    part = gdr[(gdr["series"] == "notaufnahme_refugees") & gdr["year"].between(1949, 1961)]
    return part.sort_values("year")


def q4_1():
    part = _refugees()
    rows = [[int(y), int(p)] for y, p in zip(part["year"], part["persons"])]
    other = load("gdr_emigration").set_index(["year", "series"])["persons"]
    running = part["persons"].cumsum()
    return rows, {
        "thousands": [[y, p / 1000] for y, p in rows],
        "cumulative": [[int(y), int(c)] for y, c in zip(part["year"], running)],
        "other_1961_series": [
            [y, int(other.loc[(1961, "uebersiedler_und_fluechtlinge")]) if y == 1961 else p] for y, p in rows
        ],
    }


def q4_2():
    left = int(
        load("gdr_emigration").set_index(["year", "series"]).loc[(1956, "notaufnahme_refugees"), "persons"]
    )
    pop = eastbloc.population_at("East Germany", 1956)
    pops = load("populations").set_index(["country", "year"])["population"]
    rate = 1e5 * left / pop
    return rate, {
        "per_1000": 1e3 * left / pop,
        "percent": 1e2 * left / pop,
        "population_1989": 1e5 * left / pops.loc[("East Germany", 1989)],
        "population_1950": 1e5 * left / pops.loc[("East Germany", 1950)],
        "population_1961": 1e5 * left / pops.loc[("East Germany", 1961)],
        "persons_not_rate": left,
    }


def q4_3():
    counts = eastbloc.gdr_counts(1989).set_index("series")["persons"]
    fmt = lambda series: f"{int(counts[series]):,}"  # noqa: E731
    return fmt("gdr_count"), {
        "343,900": fmt("west_german_count"),
        "324,776": fmt("interior_ministry_to_13_dec"),
        "344,000": fmt("abendblatt_1989"),
        "388,396": fmt("wendt_all_moves"),
    }


def q4_4():
    s = eastbloc.stasi_escapes().set_index("year")
    part = s.loc[1976:1988]
    both = [float(v) for v in part["successful_escapes"]] + [float(v) for v in part["of_which_non_returners"]]
    return both, {
        "with_1989": both + [float(s.loc[1989, "successful_escapes"])],
        "with_prevented": both + [float(v) for v in part["prevented_attempts"]],
    }


def q4_5():
    years = eastbloc.elite_defectors()["years_before_regime_end"].astype("Float64")
    zero = years.fillna(0)
    return float(years.mean()), {
        "median": float(years.median()),
        "cuba_as_zero": float(zero.mean()),
        "cuba_as_zero_median": float(zero.median()),
    }


def q4_6():
    ussr = eastbloc.elite_defectors("USSR").set_index("person")
    g = ussr.loc["Oleg Gordievsky"]
    return int(g["years_before_regime_end"]), {
        "belenko": int(ussr["years_before_regime_end"].max()),
        "median_ussr": float(ussr["years_before_regime_end"].median()),
        "end_year": int(g["regime_end_year"]),
        "defection_year": int(g["year"]),
    }


KEYS = {"q4_1": q4_1, "q4_2": q4_2, "q4_3": q4_3, "q4_4": q4_4, "q4_5": q4_5, "q4_6": q4_6}
