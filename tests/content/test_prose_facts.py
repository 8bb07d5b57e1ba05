"""Figures in prose agree with the data (see tests/support/prose_facts/__init__.py for the tags)."""

from __future__ import annotations

import pytest
from support.prose_facts import ROOT, all_checked, all_facts, mismatches, tagged, untagged

FACTS = all_facts()
CHECKED = all_checked()
#: Every file whose prose can state data figures or settings: lessons, solutions, the guides.
PROSE_FILES = sorted(
    [
        *(ROOT / "notebooks").glob("[0-9][0-9]_*.md"),
        *(ROOT / "solutions").glob("[0-9][0-9]_*.md"),
        ROOT / "notebooks" / "instructor_guide.md",
        ROOT / "docs" / "teaching.md",
        ROOT / "data" / "README.md",
        ROOT / "README.md",
    ]
)


def _rel(path):
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", PROSE_FILES, ids=_rel)
def test_every_tagged_figure_is_what_the_data_give(path):
    assert mismatches(path, FACTS) == []


def test_every_fact_is_stated_somewhere():
    used = {fig.fact for path in PROSE_FILES for fig in tagged(path)}
    assert sorted(set(FACTS) - used) == [], "facts no prose uses: delete them or tag the prose"


@pytest.mark.parametrize("name", sorted(CHECKED), ids=str)
def test_checked_files_state_no_untagged_figure(name):
    text = (ROOT / name).read_text(encoding="utf-8")
    assert untagged(text, CHECKED[name]) == [], (
        "tag these figures (<!-- fact: id -->) or, if they are not data, allow them in "
        "CHECKED in tests/support/prose_facts/lessonN.py"
    )


def test_a_planted_wrong_figure_is_caught():
    facts = {"total_end_2016": lambda: "30,212", "share": lambda: "95.1%"}
    good = (
        "By the end of 2016, 30,212<!-- fact: total_end_2016 --> had arrived; **95.1%**<!-- fact: share -->."
    )
    assert mismatches(ROOT / "x.md", facts, good) == []
    wrong = good.replace("30,212", "30,221")
    assert mismatches(ROOT / "x.md", facts, wrong) == [
        "x.md:1: prose says '30,221', the data give '30,212' (fact total_end_2016)"
    ]
    unknown = good.replace("fact: share", "fact: shares")
    assert "unknown fact 'shares'" in mismatches(ROOT / "x.md", facts, unknown)[0]


def test_the_lint_finds_figures_without_a_tag_but_not_years_code_or_tagged_ones():
    text = (
        "---\nkernelspec: 3\n---\n"
        "In 2016 about 31,000 lived in the South; 95% came recently; `x = 12.5` is code; "
        "30,212<!-- fact: t --> is tagged; see [Q2.1](a/02_b.ipynb); lesson 3 takes 40 min.\n"
    )
    assert untagged(text, allowed={"40"}) == ["31,000", "95%"]
