"""One verdict per claim, defined once (defection_course.verdicts), and every place that states one agrees.

Lessons, the instructor guide and the rubrics tag their verdict phrases (see
tests/support/prose_facts/_verdicts.py); model answers name the claims they judge. Every test here
is paired with a planted error of the same kind, generated for every claim and every wrong label.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from support.prose_facts import ROOT, all_allowed_phrases, all_answers, all_as_of, all_facts
from support.prose_facts import _answers as A
from support.prose_facts import _verdicts as V

from defection_course import claims, course, verdicts
from defection_course.claims import STRENGTHS
from defection_course.verdicts import LABELS, OPED, VERDICT_LIST, VERDICTS_BY_CLAIM

FACTS = all_facts()
AS_OF = all_as_of()
ANSWERS = all_answers()
ALLOWED = all_allowed_phrases()
MODEL = A.model_answers()
#: Every file that states verdicts in prose.
PROSE_FILES = sorted(
    [
        *(ROOT / "notebooks" / f"{x.stem}.md" for x in course.lessons(ROOT)[1:]),  # not the start page
        *(ROOT / "solutions").glob("[0-9][0-9]_*.md"),
        ROOT / "notebooks" / "instructor_guide.md",
    ]
)


def _rel(path):
    return str(path.relative_to(ROOT))


def _text(path) -> str:
    return path.read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- the definitions
def test_every_claim_has_exactly_one_sound_verdict():
    assert verdicts.check_definitions() == []
    assert [v.claim for v in VERDICT_LIST] == [c.id for c in claims.CLAIMS]


def test_a_verdict_uses_the_boards_vocabulary_and_is_dated():
    assert set(LABELS) < set(claims.VERDICTS) and claims.VERDICTS[0] not in LABELS
    for v in VERDICT_LIST:
        assert v.reason.strip() and v.counter.strip(), v.claim
        assert date(1950, 1, 1) < v.as_of <= date(2026, 12, 31), v.claim


def test_a_broken_definition_is_reported():
    from dataclasses import replace

    broken = replace(VERDICT_LIST[0], label="well supported", strength="solid", as_of=date(2020, 1, 1))
    original = verdicts.VERDICT_LIST
    try:
        verdicts.VERDICT_LIST = (broken, *original[1:])
        problems = verdicts.check_definitions()
    finally:
        verdicts.VERDICT_LIST = original
    assert any("label" in p for p in problems)
    assert any("strength" in p for p in problems)
    assert any("after the op-ed" in p for p in problems)


def _data_values() -> set[str]:
    values = {fn() for fn in FACTS.values()}
    return values | {v.rstrip("%") for v in values}


def test_every_figure_in_a_verdict_is_one_the_data_give():
    values = _data_values() | set(OPED.figures)
    for v in VERDICT_LIST:
        for field in ("reason", "counter", "later"):
            for token in A.numbers(getattr(v, field)):
                assert token in values or token.rstrip("%") in values, f"{v.claim}.{field}: {token!r}"


def test_the_verdict_table_lists_every_claim_with_its_date():
    table = verdicts.verdict_table()
    assert list(table["id"]) == [c.id for c in claims.CLAIMS]
    assert set(table["verdict"]) <= set(LABELS) and set(table["evidence strength"]) <= set(STRENGTHS)
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in table["as of"])


def test_the_op_eds_date_is_defined_once():
    assert OPED.written_after == date(2016, 8, 17) and OPED.year == 2016


# ----------------------------------------------------------------------------- prose
@pytest.mark.parametrize("path", PROSE_FILES, ids=_rel)
def test_tagged_verdicts_agree_with_the_definitions(path):
    assert V.mismatches(_rel(path), _text(path)) == []


@pytest.mark.parametrize("path", PROSE_FILES, ids=_rel)
def test_no_verdict_is_stated_without_a_tag(path):
    assert V.untagged(_text(path), ALLOWED.get(_rel(path), set())) == [], (
        "tag the verdict (<!-- verdict: Cn -->) or, if it is not one, allow the phrase in ALLOWED_PHRASES"
    )


@pytest.mark.parametrize("path", PROSE_FILES, ids=_rel)
def test_verdicts_compare_the_op_ed_with_data_of_its_time(path):
    assert V.as_of_problems(_rel(path), _text(path), AS_OF) == []


def test_each_verdict_is_stated_where_its_lesson_concludes_and_in_the_capstone_and_guide():
    def tagged_claims(name: str, strength: bool = False) -> set[str]:
        return {c for t in V.tags(_text(ROOT / name)) if t.strength == strength for c in t.claims}

    for c in claims.CLAIMS:
        lesson = next((ROOT / "notebooks").glob(f"0{c.lesson}_*.md"))
        assert c.id in tagged_claims(_rel(lesson)), f"lesson {c.lesson} does not conclude on {c.id}"
        assert c.id in tagged_claims(_rel(lesson), strength=True), f"lesson {c.lesson}: strength of {c.id}"
    every = {c.id for c in claims.CLAIMS}
    assert tagged_claims("notebooks/05_weighing_the_evidence.md") == every
    assert tagged_claims("notebooks/instructor_guide.md") == every
    assert tagged_claims("notebooks/instructor_guide.md", strength=True) == every


def test_lesson_5_prints_the_defined_verdicts():
    source = _text(ROOT / "notebooks" / "05_weighing_the_evidence.md")
    assert "verdicts.verdict_table()" in source


# ----------------------------------------------------------------------------- model answers and rubrics
@pytest.mark.parametrize("qid", sorted(MODEL), ids=str)
def test_model_answers_state_the_defined_verdicts(qid):
    answer = MODEL[qid]
    assert V.answer_problems(qid, answer.claim, answer.text) == []


def test_every_written_question_lists_the_facts_of_its_model_answer():
    assert sorted(ANSWERS) == sorted(MODEL)


@pytest.mark.parametrize("qid", sorted(MODEL), ids=str)
def test_every_figure_of_a_model_answer_is_what_the_data_give(qid):
    listed, allowed = ANSWERS[qid]
    assert A.figure_problems(MODEL[qid], FACTS, listed, allowed) == []


@pytest.mark.parametrize("qid", sorted(MODEL), ids=str)
def test_model_answers_use_data_of_the_op_eds_time_unless_they_look_ahead(qid):
    listed, _ = ANSWERS[qid]
    assert A.as_of_problems(MODEL[qid], FACTS, listed, AS_OF, OPED.written_after) == []


# ----------------------------------------------------------------------------- planted errors, generated
def _wrong_labels(claim: str) -> list[str]:
    return [label for label in LABELS if label != VERDICTS_BY_CLAIM[claim].label]


@pytest.mark.parametrize("claim", sorted(VERDICTS_BY_CLAIM))
def test_a_wrong_label_or_strength_in_prose_is_caught(claim):
    v = VERDICTS_BY_CLAIM[claim]
    right = (
        f"**{claim}.** {v.label.capitalize()}<!-- verdict: {claim} -->, "
        f"on {v.strength}<!-- verdict: {claim} strength --> evidence.\n"
    )
    assert V.mismatches("x.md", right) == []
    assert V.untagged(right) == []
    for wrong in _wrong_labels(claim):
        text = right.replace(v.label.capitalize(), wrong.capitalize(), 1)
        assert any(f"{claim} is {v.label!r}" in p for p in V.mismatches("x.md", text)), wrong
    for wrong in (s for s in STRENGTHS if s != v.strength):
        text = right.replace(f"on {v.strength}<", f"on {wrong}<")
        assert any("evidence is" in p for p in V.mismatches("x.md", text)), wrong
    if v.label == "supported":
        text = right.replace("Supported<", "Well supported<")
        assert any("state" in p for p in V.mismatches("x.md", text))
    untagged = right.replace(f"<!-- verdict: {claim} -->", "")
    assert V.untagged(untagged), "an untagged verdict must be reported"


def test_verdict_words_outside_a_verdict_can_be_allowed_per_sentence():
    text = "It means no registered occupation, 'supported by others'. The claim is well supported.\n"
    assert len(V.untagged(text)) == 2
    assert [p[:30] for p in V.untagged(text, {"supported by others"})] == ["line 1: 'well supported' in 'T"]


def test_a_later_figure_in_a_verdict_paragraph_needs_a_look_ahead_mark():
    as_of = {"then": date(2015, 12, 31), "later": date(2025, 12, 31)}
    base = "**C3.** Supported<!-- verdict: C3 -->: 95.1%<!-- fact: then --> as of 2015."
    assert V.as_of_problems("x.md", base + "\n", as_of) == []
    ahead = base + " It fell to 40.9%<!-- fact: later --> by 2025.\n"
    assert any("after the op-ed" in p for p in V.as_of_problems("x.md", ahead, as_of))
    marked = base + " It fell to 40.9%<!-- fact: later --> by 2025.<!-- looking ahead -->\n"
    assert V.as_of_problems("x.md", marked, as_of) == []
    undated = base.replace("fact: then", "fact: undated") + "\n"
    assert any("give the date" in p for p in V.as_of_problems("x.md", undated, as_of))
    elsewhere = "Arrivals fell to 40.9%<!-- fact: later --> by 2025.\n"
    assert V.as_of_problems("x.md", elsewhere, as_of) == [], "only verdict paragraphs compare with the op-ed"


@pytest.mark.parametrize("claim", sorted(VERDICTS_BY_CLAIM))
def test_a_model_answer_that_contradicts_a_verdict_is_caught(claim):
    v = VERDICTS_BY_CLAIM[claim]
    good = f"On {v.strength} evidence, {claim} is {v.label}. The rest follows."
    assert V.answer_problems("q", claim, good) == []
    for wrong in _wrong_labels(claim):
        bad = good.replace(v.label, wrong)
        assert V.answer_problems("q", claim, bad), wrong
        assert V.answer_problems("q", "all", bad), wrong
    assert V.answer_problems("q", claim, good.replace(v.strength, "unknown"))


def test_claim_ranges_are_expanded_in_model_answers():
    assert V.claims_in("C1-C3 hold, as does C5; C6 to C8 less so") == [
        "C1",
        "C2",
        "C3",
        "C5",
        "C6",
        "C7",
        "C8",
    ]
    assert V.labels_in("C2 is partly supported, C3 supported") == ["partly supported", "supported"]
    assert V.claim_verdicts("C1 and C3 are supported, C2 partly supported; C8 (motives) is open") == [
        ("C1", "supported"),
        ("C3", "supported"),
        ("C2", "partly supported"),
    ]


def test_a_model_answer_figure_without_a_listed_fact_is_caught():
    answer = A.ModelAnswer(
        "q", "C3", ROOT / "x.md", "As of 2015, 95.1% came in 15 years; 28,794 had arrived."
    )
    facts = {"share": lambda: "95.1%", "total": lambda: "28,794"}
    assert A.figure_problems(answer, facts, {"share", "total"}, {"15"}) == []
    assert any("'28,794'" in p for p in A.figure_problems(answer, facts, {"share"}, {"15"}))
    wrong = A.ModelAnswer("q", "C3", ROOT / "x.md", "As of 2015, 95.2% came in 15 years; 28,794 had arrived.")
    assert any("'95.2%'" in p for p in A.figure_problems(wrong, facts, {"share", "total"}, {"15"}))
    assert any("not stated" in p for p in A.figure_problems(wrong, facts, {"share", "total"}, {"15"}))
    later = {"share": date(2025, 1, 1)}
    assert A.as_of_problems(answer, facts, {"share"}, later, OPED.written_after)
    ahead = A.ModelAnswer("q", "C3", ROOT / "x.md", "Later, by 2025, 95.1% came in 15 years.")
    assert A.as_of_problems(ahead, facts, {"share"}, later, OPED.written_after) == []


def test_rubrics_copied_for_teachers_carry_no_authoring_tags():
    """Review files and nbgrader comments show the rubric without its fact and verdict tags."""
    from defection_course.authoring.tags import strip_tags
    from defection_course.grading.reports import rubrics

    found = {}
    for path in sorted((ROOT / "solutions").glob("[0-9][0-9]_*.ipynb")):
        found.update(rubrics(path))
    assert set(found) >= set(MODEL), "every written question has a rubric"
    assert all("<!--" not in text for text, _ in found.values())
    tagged = "about 5%<!-- fact: x --> high; C2 partly supported<!-- verdict: C2 -->.<!-- looking ahead -->"
    assert strip_tags(tagged) == "about 5% high; C2 partly supported."
