"""Lesson 3 logic: eras, the purge explorer's view and chart, the helpers the answer keys use."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

from defection_course import load, widgets
from defection_course.errors import CourseError
from defection_course.lessons import purges as lesson3


def test_leader_years():
    assert lesson3.leader_in(1993) == "Kim Il-sung"
    assert lesson3.leader_in(1994) == "Kim Jong-il"
    assert lesson3.leader_in(2011) == "Kim Jong-il"
    assert lesson3.leader_in(2012) == "Kim Jong-un"
    with pytest.raises(CourseError):
        lesson3.leader_in(1940)


def test_every_purge_row_is_filed_under_the_leader_of_its_year():
    reports = load("purges")
    assert (reports["year"].map(lesson3.leader_in) == reports["leader"]).all()


def test_statuses_and_eras_are_defined_once_and_shared():
    assert set(load("purges")["later_status"]) <= set(lesson3.REPORT_STATUSES)
    explorer = widgets.purge_explorer()
    assert tuple(explorer.controls["statuses"].options) == lesson3.REPORT_STATUSES
    assert tuple(explorer.controls["leaders"].options) == lesson3.LEADER_NAMES


def test_contradicted_share_counts_only_the_chosen_era_and_statuses():
    reports = load("purges")
    kju = reports[reports["leader"] == "Kim Jong-un"]
    n = int((kju["later_status"] == "contradicted: reappeared").sum())
    assert lesson3.contradicted_share("Kim Jong-un") == round(100 * n / len(kju), 1)
    both = int(kju["later_status"].isin(["contradicted: reappeared", "disputed"]).sum())
    assert lesson3.contradicted_share("Kim Jong-un", ("contradicted: reappeared", "disputed")) == round(
        100 * both / len(kju), 1
    )
    assert lesson3.contradicted_share(None) == round(
        100 * (reports["later_status"] == "contradicted: reappeared").sum() / len(reports), 1
    )


def test_hyon_yong_chol_is_disputed_because_the_service_withdrew_the_execution():
    row = load("purges").set_index("case_id").loc["hyon_yong_chol_2015"]
    assert row["later_status"] == "disputed" and "not verified" in row["note"]


def test_elite_cases_per_year_fills_missing_years_and_keeps_totals():
    grid = lesson3.elite_cases_per_year(1990, 2023)
    assert list(grid.columns) == ["year", "confirmation", "cases"]
    assert len(grid) == 2 * 34
    elite = load("elite_defections")
    assert grid["cases"].sum() == len(elite[elite["year"].between(1990, 2023)])
    by = grid.set_index(["year", "confirmation"])["cases"]
    # 2015 is not empty: South Korea confirmed two 2015 defections in April 2016
    assert by[(2015, "confirmed")] == 2 and by[(2015, "reported")] == 0
    with pytest.raises(CourseError):
        lesson3.elite_cases_per_year(2020, 2010)


def test_the_timeline_draws_every_report_at_its_own_position():
    df = lesson3.purge_reports()
    fig = lesson3.purge_timeline_chart(df)
    points = [tuple(p) for c in fig.axes[0].collections for p in c.get_offsets()]
    assert len(points) == len(df)
    assert len(set(points)) == len(points), "two reports are drawn on top of each other"
    plt.close(fig)


def test_purge_view_filters_and_explains_empty_selections():
    view = lesson3.purge_view(("Kim Jong-un",), ("contradicted: reappeared",))
    reports = load("purges")
    expected = (
        (reports["leader"] == "Kim Jong-un") & (reports["later_status"] == "contradicted: reappeared")
    ).sum()
    assert view.ok and len(view.table) == int(expected)
    empty = lesson3.purge_view(("Kim Il-sung",), ("disputed",))
    assert not empty.ok and "No reports" in empty.summary
    none = lesson3.purge_view((), ("disputed",))
    assert not none.ok and "at least one" in none.summary
