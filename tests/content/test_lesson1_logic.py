"""Lesson 1's explorer (defection_course.lessons.history) against the arrivals table itself."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from defection_course import load, widgets
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
