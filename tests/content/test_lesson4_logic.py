"""Lesson 4 logic: East German flight, rates per head, elite defectors, the explorer's view."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

from defection_course import CourseError, load
from defection_course.lessons import eastbloc


def test_gdr_flight_has_one_figure_per_year_and_leaves_1987_out():
    df = eastbloc.gdr_flight()
    assert df["year"].is_unique and df["year"].is_monotonic_increasing
    assert 1987 not in set(df["year"])
    assert set(df["year"]) == set(range(1949, 1990)) - {1987}
    by_year = df.set_index("year")
    assert by_year.loc[1961, "series"] == "notaufnahme_refugees"  # the whole year, not Aug-Dec
    assert by_year.loc[1962, "series"] == "uebersiedler_und_fluechtlinge"
    assert by_year.loc[1953, "persons"] == 331000 == by_year["persons"].iloc[:13].max()
    assert by_year.loc[1988, "persons"] == 40000
    assert by_year.loc[1989, "persons"] == 343900
    assert df["series_label"].notna().all()


def test_refugee_series_adds_up_to_the_published_27_million():
    df = eastbloc.gdr_flight()
    total = df.loc[df["year"].between(1949, 1961), "persons"].sum()
    published = load("eastbloc_aggregates").set_index("aggregate_id").loc["gdr_1949_1961_ghdi", "value"]
    assert total == 2738000
    assert abs(total - published) / published < 0.02


def test_population_at_uses_checkpoints_interpolates_and_holds_flat():
    pops = load("populations").set_index(["country", "year"])["population"]
    assert eastbloc.population_at("East Germany", 1961) == pops.loc[("East Germany", 1961)]
    assert eastbloc.population_at("East Germany", 1949) == pops.loc[("East Germany", 1950)]
    p50, p61 = pops.loc[("East Germany", 1950)], pops.loc[("East Germany", 1961)]
    assert eastbloc.population_at("East Germany", 1953) == pytest.approx(p50 + 3 / 11 * (p61 - p50))
    assert eastbloc.population_at("North Korea", 2025) == pops.loc[("North Korea", 2016)]
    with pytest.raises(CourseError, match="No population figures"):
        eastbloc.population_at("Hungary", 1956)


def test_rates_per_100k_for_the_peaks_the_lesson_quotes():
    r = eastbloc.rate_per_100k().set_index(["country", "year"])["per_100k"]
    assert r.loc[("East Germany", 1953)] == pytest.approx(1835.7, abs=0.05)
    assert r.loc[("East Germany", 1989)] == pytest.approx(2092.6, abs=0.05)
    assert r.loc[("East Germany", 1983)] == pytest.approx(67.7, abs=0.05)
    nk = r.loc["North Korea (arrivals in the South)"]
    assert nk.idxmax() == 2009 and nk.max() == pytest.approx(12.04, abs=0.005)
    # even East Germany's quietest year is several times North Korea's peak
    assert r.loc["East Germany"].min() / nk.max() > 5


def test_gdr_counts_lists_every_series_largest_first():
    c89 = eastbloc.gdr_counts(1989)
    assert len(c89) == 5 and c89["persons"].is_monotonic_decreasing
    assert c89["persons"].iloc[0] == 388396 and c89["persons"].iloc[-1] == 203000
    assert c89["series"].iloc[-1] == "gdr_count"
    assert list(eastbloc.gdr_counts(1961)["persons"]) == [207000, 52324]
    assert len(eastbloc.gdr_counts(1970)) == 1
    with pytest.raises(CourseError, match="without 1987"):
        eastbloc.gdr_counts(1987)


def test_elite_defectors_filter_and_years_before_the_end():
    allc = eastbloc.elite_defectors()
    assert len(allc) == 9 and allc["year"].is_monotonic_increasing
    years = allc["years_before_regime_end"]
    assert years.isna().sum() == 1 and allc.loc[years.isna(), "country"].item() == "Cuba"
    assert years.min() == 6 and years.max() == 36 and float(years.median()) == 12.0
    ussr = eastbloc.elite_defectors("USSR")
    assert list(ussr["person"]) == ["Viktor Belenko", "Arkady Shevchenko", "Oleg Gordievsky"]
    with pytest.raises(CourseError, match="choose from"):
        eastbloc.elite_defectors("Albania")


def test_stasi_non_returner_share_rises_after_1985():
    s = eastbloc.stasi_escapes().set_index("year")
    assert s.loc[1985, "non_returner_share"] == pytest.approx(50.1)
    assert s.loc[1986, "non_returner_share"] == pytest.approx(84.4)
    assert (s.loc[1986:1988, "non_returner_share"] > 80).all()
    assert s["non_returner_share"].isna().sum() == 1  # 1989 has no split


def test_eastbloc_view_summaries_and_problem_selections():
    default = eastbloc.eastbloc_view()
    assert "between 6 and 36 years" in default.summary and "median 12" in default.summary
    ussr = eastbloc.eastbloc_view("USSR")
    assert "3 elite defectors" in ussr.summary and "between 6 and 15" in ussr.summary
    row = ussr.table.set_index("person").loc["Oleg Gordievsky"]
    assert row["years_before_regime_end"] == 6
    cuba = eastbloc.eastbloc_view("Cuba")
    assert "did not end" in cuba.summary
    bad = eastbloc.eastbloc_view("Atlantis")
    assert not bad.ok and "choose from" in bad.message


def test_elite_chart_bars_are_solid_whatever_the_style_cycle():
    from defection_course import use_course_style

    use_course_style()
    fig = eastbloc.eastbloc_elite_chart(eastbloc.elite_defectors())
    ax = fig.axes[0]
    bars = [line for line in ax.get_lines() if line.get_linewidth() == 6]
    assert len(bars) == 8
    assert all(line.get_linestyle() == "-" and line.get_marker() in ("", "None") for line in bars)
    plt.close(fig)
