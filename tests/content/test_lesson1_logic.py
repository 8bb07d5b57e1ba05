"""Lesson 1's explorer (defection_course.lessons.history) against the arrivals table itself."""

from __future__ import annotations

import csv

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from support import ROOT

from defection_course import load, widgets
from defection_course.errors import CourseError
from defection_course.lessons import evidence
from defection_course.lessons import history as lesson1


def test_view_total_is_the_sum_of_the_table_rows():
    annual = load("arrivals_annual").set_index("year")["total"]
    view = lesson1.arrivals_view((2002, 2011), "everyone")
    expected = int(annual.loc[2002:2011].sum())
    assert view.ok and f"{expected:,} people arrived" in view.summary
    assert int(view.table["total"].sum()) == expected
    busiest = int(annual.loc[2002:2011].idxmax())
    assert f"the busiest year was {busiest}" in view.summary


def test_view_names_missing_years_and_refuses_a_split_before_2002():
    view = lesson1.arrivals_view((1994, 1997), "everyone")
    assert "no figure for 1995" in view.summary
    early = lesson1.arrivals_view((1994, 2001), "women")
    assert not early.ok and "starts in 2002" in early.message
    reversed_range = lesson1.arrivals_view((2016, 2012), "men")
    assert reversed_range.params["year_range"] == (2016, 2012) and "2012-2016" in reversed_range.summary


def test_women_and_men_chart_draws_one_line_each_with_the_table_values():
    annual = load("arrivals_annual").set_index("year")
    fig = lesson1.arrivals_view((2002, 2025), "women and men").figure()
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    women = dict(zip(lines["women"].get_xdata(), lines["women"].get_ydata()))
    assert women[2009] == annual.loc[2009, "female"]
    assert lines["women"].get_marker() != lines["men"].get_marker()  # not told apart by colour only
    plt.close(fig)


def test_the_widgets_facade_builds_the_lesson_explorer():
    old, new = widgets.arrivals_explorer(), lesson1.arrivals_explorer()
    assert old.summary.value == new.summary.value
    assert list(old.controls) == list(new.controls) == ["year_range", "sex"]


def _raw_arrivals() -> tuple[dict[int, int], dict[str, int]]:
    """The yearly totals and the MOU's aggregate columns, read from the CSV files with csv alone."""
    with (ROOT / "data" / "arrivals_annual.csv").open(encoding="utf-8", newline="") as fh:
        annual = {int(r["year"]): int(r["total"]) for r in csv.DictReader(fh)}
    with (ROOT / "data" / "arrivals_periods.csv").open(encoding="utf-8", newline="") as fh:
        periods = {r["period_id"]: int(r["value"]) for r in csv.DictReader(fh)}
    return annual, periods


def test_every_recent_share_matches_the_csv_files():
    """The recent shares for every end year and every window the yearly figures cover, against the
    running MOU total recomputed from the raw CSV files; recency_curve and the one-year
    share_in_last_years agree with them."""
    annual, periods = _raw_arrivals()
    last = max(annual)
    running = {2001: periods["mou_up_to_1998"] + periods["mou_1999_2001"]}
    for year in range(2002, last + 1):
        running[year] = running[year - 1] + annual[year]

    def want(as_of: int, w: int) -> float:
        return round(100 * sum(annual[y] for y in range(as_of - w + 1, as_of + 1)) / running[as_of], 1)

    checked = 0
    for w in range(1, last - 1996 + 2):  # a window may start in 1996, not in 1995
        ends = [y for y in range(2002, last + 1) if y - w + 1 >= 1996]
        assert lesson1.shares_in_last_years(ends, w) == [want(y, w) for y in ends], w
        checked += len(ends)
    assert checked > 300
    for w in (10, 15):
        curve = evidence.recency_curve(2010, last, w)
        assert list(curve["as_of"]) == list(range(2010, last + 1))
        assert list(curve["share_pct"]) == [want(y, w) for y in range(2010, last + 1)]
    for as_of, w in [(2016, 15), (last, 15), (last, 1), (2002, 7)]:
        assert lesson1.share_in_last_years(as_of, w) == want(as_of, w)


def test_a_window_reaching_a_year_without_a_figure_is_refused_by_name():
    with pytest.raises(CourseError, match="No yearly figure for 1995"):
        lesson1.share_in_last_years(2010, 16)
    with pytest.raises(CourseError, match="No end-of-year total for 2000"):
        lesson1.share_in_last_years(2000, 2)
