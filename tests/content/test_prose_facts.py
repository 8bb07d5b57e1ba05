"""Figures in prose agree with the data (see tests/support/prose_facts/__init__.py for the tags)."""

from __future__ import annotations

import pytest
from support.prose_facts import ROOT, all_answers, all_checked, all_facts, mismatches, tagged, untagged

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
    used |= {fact for listed, _ in all_answers().values() for fact in listed}  # model answers
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
        "30,212<!-- fact: t --> is tagged; see [Q2.1](a/02_b.ipynb); lesson 3 takes 40 min; "
        "on 19 September 1998, 90 were unnamed.\n"
    )
    assert untagged(text, allowed={"40"}) == ["31,000", "95%", "90"]


def _normalised(value: str) -> str:
    return value.replace(" percent", "%").strip()


def test_one_fact_is_written_with_one_value_everywhere():
    """Collect every tagged figure of every file by fact id: one id, one value across the course."""
    values: dict[str, set[str]] = {}
    where: dict[str, set[str]] = {}
    for path in PROSE_FILES:
        for fig in tagged(path):
            values.setdefault(fig.fact, set()).add(_normalised(fig.value))
            where.setdefault(fig.fact, set()).add(_rel(path))
    split = {f: (sorted(v), sorted(where[f])) for f, v in values.items() if len(v) > 1}
    assert split == {}, "one quantity, two spellings: write it the same way (or make two facts)"


#: Facts of different modules whose values happen to coincide but that count different things.
COINCIDENCES = {
    frozenset({"l1_first_over_100", "ytn_100"}),
    frozenset({"l1_about_200", "frunze_officers"}),
    frozenset({"l1_1950s", "limit_notebook_timeout"}),  # 180 arrivals, 180 seconds
}


def _module_of(fact: str) -> str:
    from support.prose_facts import _modules

    return next(m.__name__ for m in _modules() if fact in getattr(m, "FACTS", {}))


def test_the_same_quantity_is_one_fact_not_two():
    """Two modules computing the same specific figure (3+ digits) are one quantity defined twice."""
    by_value: dict[str, list[str]] = {}
    for fact, fn in FACTS.items():
        value = fn()
        if sum(ch.isdigit() for ch in value) >= 3:
            by_value.setdefault(value, []).append(fact)
    twice = [
        (value, sorted(facts))
        for value, facts in by_value.items()
        if len({_module_of(f) for f in facts}) > 1 and frozenset(facts) not in COINCIDENCES
    ]
    assert twice == [], "define the figure once (one fact id) and use that id in every lesson"


def test_a_quantity_defined_twice_is_caught(monkeypatch):
    import support.prose_facts.lesson2 as lesson2

    monkeypatch.setitem(lesson2.FACTS, "l2_share_2015_again", lambda: "95.1%")
    global FACTS
    saved, FACTS = FACTS, {**FACTS, "l2_share_2015_again": lambda: "95.1%"}
    try:
        with pytest.raises(AssertionError):
            test_the_same_quantity_is_one_fact_not_two()
    finally:
        FACTS = saved


def test_the_data_readme_is_linted_outside_its_generated_column_dictionary():
    """data/README.md is checked like a lesson; only build-data's generated part is left out."""
    assert "data/README.md" in CHECKED
    text = (
        "By June 2016, 29,543 had arrived.\n<!-- BEGIN GENERATED TABLES -->\n"
        "*31 rows; 12,345 people*\n<!-- END GENERATED TABLES -->\nThen 8,888 more.\n"
    )
    assert untagged(text, allowed=set()) == ["29,543", "8,888"]
    real = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert untagged(
        real.replace("29,543<!-- fact: l1_cum_2016_06 -->", "29,543"), CHECKED["data/README.md"]
    ) == ["29,543"], "a figure of the data README without its tag must be found"
