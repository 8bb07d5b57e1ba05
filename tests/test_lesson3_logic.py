"""Lesson 3 logic: elite defections, purge reports, source kinds and the lesson's charts."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

from defection_course import charts, interactives, load, purges
from defection_course.errors import CourseError


def test_leader_years():
    assert purges.leader_in(1993) == "Kim Il-sung"
    assert purges.leader_in(1994) == "Kim Jong-il"
    assert purges.leader_in(2011) == "Kim Jong-il"
    assert purges.leader_in(2012) == "Kim Jong-un"
    with pytest.raises(CourseError):
        purges.leader_in(1940)


def test_every_report_gets_a_known_source_kind():
    df = purges.reports_with_source_kind()
    assert len(df) == len(load("purges"))
    assert (df["source_kind"] != purges.OTHER_SOURCE).all(), df.loc[
        df["source_kind"] == purges.OTHER_SOURCE, "reported_by"
    ].tolist()
    kinds = df.set_index("case_id")["source_kind"]
    assert kinds["jang_song_thaek_2013"] == "North Korean state media"
    assert kinds["hyon_yong_chol_2015"].startswith("South Korean intelligence")
    assert kinds["byon_in_son_2015"].startswith("South Korean intelligence")  # the INSS
    assert kinds["kim_yong_jin_2016"].startswith("South Korean government")
    assert kinds["han_song_ryol_2019"] == "a defector's account"  # not the newspaper
    assert kinds["ri_yong_gil_2016"] == "news media"


def test_source_kind_order_and_fallback():
    assert purges.source_kind("the defector X, in a Chosun Ilbo interview") == "a defector's account"
    assert purges.source_kind("somebody nobody knows") == purges.OTHER_SOURCE


def test_contradicted_share_counts_only_the_chosen_era_and_statuses():
    reports = load("purges")
    kju = reports[reports["leader"] == "Kim Jong-un"]
    n = int((kju["later_status"] == "contradicted: reappeared").sum())
    assert purges.contradicted_share("Kim Jong-un") == round(100 * n / len(kju), 1)
    both = int(kju["later_status"].isin(["contradicted: reappeared", "disputed"]).sum())
    assert purges.contradicted_share("Kim Jong-un", ("contradicted: reappeared", "disputed")) == round(
        100 * both / len(kju), 1
    )
    # every era: the denominator includes the Kim Jong-il row
    assert purges.contradicted_share(None) == round(
        100 * (reports["later_status"] == "contradicted: reappeared").sum() / len(reports), 1
    )
    assert purges.contradicted_share(None) < purges.contradicted_share("Kim Jong-un")
    with pytest.raises(CourseError):
        purges.contradicted_share("Kim Il-sung")  # no reports in the course data


def test_elite_cases_per_year_fills_missing_years_and_keeps_totals():
    grid = purges.elite_cases_per_year(1990, 2023)
    assert list(grid.columns) == ["year", "confirmation", "cases"]
    assert len(grid) == 2 * 34
    assert set(grid["confirmation"]) == {"confirmed", "reported"}
    elite = load("elite_defections")
    in_range = elite[elite["year"].between(1990, 2023)]
    assert grid["cases"].sum() == len(in_range)
    by = grid.set_index(["year", "confirmation"])["cases"]
    assert by[(2015, "confirmed")] == 0 and by[(2015, "reported")] == 0  # no named 2015 case
    assert by[(2016, "confirmed")] + by[(2016, "reported")] == int((elite["year"] == 2016).sum())
    with pytest.raises(CourseError):
        purges.elite_cases_per_year(2020, 2010)


def test_nis_comparison_is_the_services_own_pair_of_figures():
    nis = purges.nis_comparison().set_index("leader")["officials_executed_reported"]
    counts = load("purge_counts").set_index("claim_id")["value"]
    assert nis["Kim Jong-il"] == counts["nis_2015_kji_10"]
    assert nis["Kim Jong-un"] == counts["nis_2015_70"]


def _scatter_points(fig):
    return [tuple(p) for c in fig.axes[0].collections for p in c.get_offsets()]


@pytest.mark.parametrize(
    "make, frame",
    [
        (charts.elite_timeline_chart, lambda: purges.elite_defections()),
        (charts.purge_timeline_chart, lambda: purges.purge_reports()),
    ],
)
def test_timeline_charts_draw_every_case_at_its_own_position(make, frame):
    df = frame()
    fig = make(df)
    points = _scatter_points(fig)
    assert len(points) == len(df)
    assert len(set(points)) == len(points), "two cases are drawn on top of each other"
    plt.close(fig)


def test_purge_view_for_an_era_without_reports_explains_itself():
    view = interactives.purge_view(("Kim Il-sung",))
    assert not view.ok and "No reports" in view.summary
    view = interactives.purge_view(("Kim Jong-un",), ("contradicted: reappeared",))
    assert view.ok and len(view.table) == int(
        (
            (load("purges")["leader"] == "Kim Jong-un")
            & (load("purges")["later_status"] == "contradicted: reappeared")
        ).sum()
    )
