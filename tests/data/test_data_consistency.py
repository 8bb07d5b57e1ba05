"""Cross-checks between tables: sums, running totals, shares and derived columns."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from defection_course import load

SEX_TABLES = [
    "arrivals_annual",
    "arrivals_periods",
    "cumulative_checkpoints",
    "origins_occupation",
    "origins_province",
    "origins_age",
    "origins_education",
    "origins_sex",
]


@pytest.mark.parametrize("name", SEX_TABLES)
def test_men_plus_women_equals_total(name):
    df = load(name)
    total_col = (
        "cumulative"
        if name == "cumulative_checkpoints"
        else ("value" if name == "arrivals_periods" else "total")
    )
    both = df.dropna(subset=["male", "female", total_col])
    assert len(both) > 0, f"{name}: nothing to check"
    bad = both[both["male"] + both["female"] != both[total_col]]
    assert bad.empty, bad.to_string()


def _mou_running_totals() -> pd.Series:
    periods = load("arrivals_periods").set_index("period_id")
    annual = load("arrivals_annual").set_index("year")
    totals = {1998: int(periods.loc["mou_up_to_1998", "value"])}
    totals[2001] = totals[1998] + int(periods.loc["mou_1999_2001", "value"])
    running = totals[2001]
    for year, row in annual.loc[2002:].iterrows():
        running += int(row["total"])
        totals[year] = running
    return pd.Series(totals)


def test_mou_checkpoints_equal_running_sums_of_the_annual_series():
    running = _mou_running_totals()
    checks = load("cumulative_checkpoints")
    checks = checks[checks["mou_series"]]
    assert {2001, 2016, 2025} <= set(checks["year"])  # the issue's own examples are covered
    for _, row in checks.iterrows():
        assert running[row["year"]] == row["cumulative"], row["checkpoint_id"]
    assert running[2016] == 30212 and running[2025] == 34537


def test_yearly_1999_2001_add_up_to_the_mou_column():
    annual = load("arrivals_annual").set_index("year")
    periods = load("arrivals_periods").set_index("period_id")
    assert annual.loc[1999:2001, "total"].sum() == periods.loc["mou_1999_2001", "value"]


def test_revised_values_in_provisional_table_match_the_annual_series():
    annual = load("arrivals_annual").set_index("year")["total"]
    prov = load("arrivals_provisional")
    for _, row in prov.iterrows():
        assert annual[row["year"]] == row["revised_value"], row["report_id"]
        assert row["reported_value"] != row["revised_value"], row["report_id"]


# Snapshots whose published shares cover the whole table (others list only some categories).
COMPLETE = {
    "origins_occupation": ["seoul_1994_study", "dailynk_2008", "mou_2020_09"],
}


def test_no_percentage_is_labelled_published_for_a_source_that_gives_counts_only():
    """The GitHub copy of MOU's tables has counts only (issue 10, A10): its shares are computed."""
    for name in ("origins_occupation", "origins_province", "origins_age", "origins_education"):
        df = load(name)
        assert df.loc[df["snapshot"] == "github_c2024", "pct_published"].isna().all(), name


@pytest.mark.parametrize("name,snapshot", [(n, s) for n, ss in COMPLETE.items() for s in ss])
def test_published_percentages_sum_to_about_100(name, snapshot):
    df = load(name)
    pct = df.loc[df["snapshot"] == snapshot, "pct_published"]
    assert pct.notna().all()
    assert math.isclose(pct.sum(), 100, abs_tol=0.5), (snapshot, pct.sum())


@pytest.mark.parametrize("name", ["origins_occupation", "origins_age", "origins_education"])
def test_snapshot_tables_add_up_to_the_snapshot_base(name):
    snaps = load("origin_snapshots").set_index("snapshot")["base"]
    df = load(name)
    checked = 0
    for snap in ["mou_2020_09", "datasom_2022_12", "github_c2024", "incheon_1996_2000", "sedaily_1998_2003"]:
        part = df[df["snapshot"] == snap]
        if part.empty or part["total"].isna().any():
            continue
        assert part["total"].sum() == snaps[snap], (name, snap)
        checked += 1
    assert checked >= 2


def test_census_areas_add_up_to_the_national_total():
    census = load("nk_census_2008")
    national = load("populations").query("country == 'North Korea' and year == 2008")["population"]
    assert census["population"].sum() == national.iloc[0] == 24052231


def test_stasi_table_adds_up():
    df = load("gdr_stasi_escapes").dropna(subset=["prevented_attempts"])
    assert (df["successful_escapes"] + df["prevented_attempts"] == df["total_cases"]).all()


def test_years_before_regime_end_is_consistent():
    df = load("eastbloc_elite_defections").dropna(subset=["regime_end_year"])
    assert (df["regime_end_year"] - df["year"] == df["years_before_regime_end"]).all()


def test_regime_end_years_match_the_regime_table():
    ends = load("regime_ends").set_index("country")["end_year"]
    df = load("eastbloc_elite_defections").dropna(subset=["regime_end_year"])
    for _, row in df.iterrows():
        assert ends[row["country"]] == row["regime_end_year"], row["defection_id"]


def test_derived_wendt_1989_figure_follows_its_method():
    gdr = load("gdr_emigration").set_index(["year", "series"])["persons"]
    assert gdr[(1989, "wendt_all_moves")] == 1014147 - 625751


def test_gdr_1970s_sum_matches_wendts_figure_as_noted():
    gdr = load("gdr_emigration")
    s = gdr[(gdr["series"] == "uebersiedler_und_fluechtlinge") & gdr["year"].between(1970, 1979)]
    assert s["persons"].sum() == 148695
