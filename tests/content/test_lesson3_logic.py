"""Lesson 3 logic: eras, the purge explorer's view and chart, the helpers the answer keys use."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
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


def _misfiled(reports) -> list[str]:
    """Rows filed under another leader than their year's, without a note saying on whose instructions."""
    other = reports[reports["year"].map(lesson3.leader_in) != reports["leader"]]
    return [
        r.case_id
        for r in other.itertuples()
        if not ("instructions" in r.note and r.leader in r.note and "files the case under" in r.note)
    ]


def test_every_purge_row_is_filed_under_its_years_leader_unless_the_note_says_why():
    reports = load("purges")
    assert _misfiled(reports) == []
    frunze = reports.set_index("case_id").loc["frunze_group_1993"]
    assert frunze["leader"] == "Kim Jong-il" and lesson3.leader_in(int(frunze["year"])) == "Kim Il-sung"


def test_a_row_moved_to_another_leader_without_a_reason_is_caught():
    reports = load("purges")
    for leader in lesson3.LEADER_NAMES:
        moved = reports.copy()
        row = moved.index[moved["year"].map(lesson3.leader_in) != leader][0]
        moved.loc[row, "leader"] = leader
        moved.loc[row, "note"] = "moved"
        assert moved.loc[row, "case_id"] in _misfiled(moved), leader


def test_who_a_report_rests_on_is_one_rule_read_from_the_first_reporter():
    """Hand-labelled: who each report in the table rests on (read from the rows, not from the code)."""
    expected = {
        "North Korean state media": {"ri_yong_ho_2012", "jang_song_thaek_2013"},
        "South Korean intelligence": {
            "jang_aides_2013",
            "ma_won_chun_2015",
            "byon_in_son_2015",
            "hyon_yong_chol_2015",
            "choe_ryong_hae_2015",
        },
        "unnamed sources": {
            "choe_yong_gon_2015",
            "ri_yong_gil_2016",
            "hwang_min_ri_yong_jin_2016",
            "kim_hyok_chol_2019",
            "kim_yong_chol_2019",
        },
        "defectors' accounts": {
            "frunze_group_1993",
            "sixth_corps_1996",
            "kim_kyong_hui_2015",
            "han_song_ryol_2019",
        },
        "other named sources": {
            "so_kwan_hi_1997",
            "hyon_song_wol_2013",
            "kim_yong_jin_2016",
            "kim_won_hong_2017",
            "kim_jong_nam_2017",
        },
    }
    reports = load("purges")
    got = dict(zip(reports["case_id"], lesson3.report_basis(reports["reported_by"])))
    labelled = {case: basis for basis, cases in expected.items() for case in cases}
    assert {c: got[c] for c in labelled} == labelled


@pytest.mark.parametrize(
    ("reporter", "basis"),
    [
        ("National Intelligence Service, to the National Assembly", "South Korean intelligence"),
        ("Institute for National Security Strategy (think tank)", "South Korean intelligence"),
        ("KCNA (North Korean state media); the intelligence service agreed", "North Korean state media"),
        ("Yonhap, citing unnamed officials", "unnamed sources"),
        ("JoongAng Ilbo, citing one source", "unnamed sources"),
        ("CNN, citing a defector", "defectors' accounts"),
        ("Chosun Ilbo; the intelligence chief told lawmakers", "other named sources"),
        ("Malaysian police", "other named sources"),
    ],
)
def test_report_basis_ignores_case_and_later_comments(reporter, basis):
    """Generated spellings: every case variant of a reporter gives the same basis (lessons 3 and 5 agree)."""
    variants = [reporter, reporter.lower(), reporter.upper(), reporter.title(), "  " + reporter]
    got = lesson3.report_basis(pd.Series(variants))
    assert set(got) == {basis}, list(got)


def test_no_lesson_classifies_reports_by_its_own_string_match():
    """One function, one count: lessons and solutions use report_basis, never their own str.contains."""
    import re

    from support import ROOT

    for path in [*(ROOT / "notebooks").glob("*.md"), *(ROOT / "solutions").glob("*.md")]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"reported_by\"\]\s*\.str\.(contains|lower|match)", text), path.name


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


def test_hyon_yong_chol_is_disputed_because_the_service_qualified_the_execution():
    row = load("purges").set_index("case_id").loc["hyon_yong_chol_2015"]
    assert row["later_status"] == "disputed" and "not verified" in row["note"]


def test_a_report_is_disputed_only_on_evidence_against_it():
    """data/README.md's rule: 'disputed' needs the agency's own qualification or a named contradiction."""
    reports = load("purges").set_index("case_id")
    assert reports.loc["han_song_ryol_2019", "later_status"] == "not contradicted"
    for case, row in reports[reports["later_status"] == "disputed"].iterrows():
        note = row["note"].lower()
        assert any(
            w in note
            for w in ("not verified", "said only", "named a different", "said he was alive", "seen on")
        ), case


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
