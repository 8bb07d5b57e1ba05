"""Lesson 2 helpers (defection_course.lessons.origins and the explorer view) on the real course data."""

from __future__ import annotations

import pytest

from defection_course import CourseError
from defection_course.lessons import origins


def test_breakdown_shares_add_up_and_match_the_published_ones():
    occ = origins.breakdown("occupation")
    assert occ["count"].sum() == 34134
    assert abs(occ["share_pct"].sum() - 100) < 0.5
    shares = occ.set_index("category")["share_pct"]
    assert shares["workers"] == 39.7 and shares["unemployed/dependents"] == 44.6


def test_breakdown_by_sex_uses_the_sex_columns():
    women = origins.breakdown("occupation", sex="female")
    assert women["count"].sum() == 24590
    age = origins.breakdown("age", "mou_2020_09", "female").set_index("category")
    assert age["count"].idxmax() == "30-39"


def test_incomplete_listing_gets_a_not_listed_row_so_shares_are_of_everyone():
    edu = origins.breakdown("education", "dailynk_2008").set_index("category")
    assert origins.NOT_LISTED in edu.index
    assert edu["count"].sum() == 13760  # the snapshot's base
    # Daily NK printed 69.5% for secondary schooling: a share of all 13,760, not of those listed
    assert edu.loc["secondary (middle/high school)", "share_pct"] == 69.5
    prov = origins.breakdown("province", "sedaily_1998_2003").set_index("category")
    assert prov.loc[origins.NOT_LISTED, "count"] == 2958 - 2605


def test_small_gap_is_left_as_the_source_has_it():
    prov = origins.breakdown("province").set_index("category")
    assert origins.NOT_LISTED not in prov.index
    assert prov["count"].sum() == 33821
    assert prov.loc["North Hamgyong", "share_pct"] == 59.0  # as published


def test_overlapping_selection_is_not_a_breakdown():
    with pytest.raises(CourseError, match="not a breakdown"):
        origins.breakdown("province", "nknews_2016")
    assert "nknews_2016" not in origins.available_snapshots("province")


def test_available_snapshots_are_oldest_first_and_all_usable():
    snaps = origins.available_snapshots("occupation")
    assert snaps[0] == "seoul_1994_study" and snaps[-1] == "github_c2024"
    assert "chosun_2000_09" not in snaps  # shares only, and they add up to 84.7%
    assert origins.available_snapshots("education", "female") == ["github_c2024"]


def test_breakdown_rejects_bad_input():
    with pytest.raises(CourseError, match="Unknown breakdown"):
        origins.breakdown("religion")
    with pytest.raises(CourseError, match="sex must be"):
        origins.breakdown("age", sex="women")
    with pytest.raises(CourseError, match="no separate counts for everyone"):
        origins.breakdown("education", "mou_2020_09")
    with pytest.raises(CourseError, match="no separate counts for women; choose everyone"):
        origins.breakdown("occupation", "dailynk_2008", "female")


def test_humble_share_default_and_chosen_groups():
    assert origins.humble_share() == 88.9
    assert origins.humble_share(groups=("workers", "not employed")) == 84.3
    assert origins.humble_share("mou_2020_09", ("workers", "not employed")) == 84.7
    with pytest.raises(CourseError, match="Unknown occupation group"):
        origins.humble_share(groups=("farmers",))
    with pytest.raises(CourseError, match="no complete occupation counts"):
        origins.humble_share("chosun_2000_09")


def test_province_representation_against_the_2008_census():
    rep = origins.province_representation().set_index("province")
    assert len(rep) == 10 and "Nampo" not in rep.index
    assert rep.loc["South Pyongan", "defectors"] == 1128 + 170  # Nampo merged
    assert rep["population"].sum() == 24052231 - 702372  # military camps left out
    assert rep.loc["North Hamgyong", "population_share_pct"] == 10.0
    assert 5.8 <= rep.loc["North Hamgyong", "ratio"] <= 6.0
    assert 5.7 <= rep.loc["Ryanggang", "ratio"] <= 5.9
    # the other two border provinces are under-represented
    assert rep.loc["Jagang", "ratio"] < 0.2 and rep.loc["North Pyongan", "ratio"] < 0.3
    assert rep.index[0] == "North Hamgyong"  # sorted by ratio


def test_border_share():
    assert origins.border_share() == {"defectors_pct": 80.3, "population_pct": 30.4}


def test_origins_view_for_a_partial_snapshot_mentions_the_people_not_listed():
    view = origins.origins_view("province", "park_2018_08")
    assert view.ok
    assert origins.NOT_LISTED in set(view.table["category"])
    bad = origins.origins_view("province", "nknews_2016")
    assert not bad.ok and "not a breakdown" in bad.message
