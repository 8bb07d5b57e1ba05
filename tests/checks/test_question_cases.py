"""Every question's cases, from its one definition, against the checks learners get.

``tests/generated/qN.answer_cases.json`` holds the description of each case, produced by running
the solution notebook with the cases of its questions' definitions (``build-questions``): the
solution's own answer, each anticipated mistake (the wrong code a student would write), probes
(slips that get a generic message), alternative right answers in other idioms, and plausible
wrong answers. The checks must judge every one of them as the definition says.
"""

from __future__ import annotations

import re

import pytest
from support import ROOT, answer_cases

from defection_course.authoring import questions as build
from defection_course.checks.spec import NOT_YET, PASSED, RECORDED, evaluate
from defection_course.questions import QUESTIONS

CASES = answer_cases()
DEFINITIONS = {d.question.qid: d for d in build.all_definitions(ROOT)}
CODE_KINDS = ("number", "table", "figure")


def test_every_question_has_cases_and_a_definition():
    assert set(CASES) == set(QUESTIONS) == set(DEFINITIONS)


@pytest.mark.parametrize("qid", sorted(QUESTIONS))
def test_the_solution_passes(qid):
    r = evaluate(QUESTIONS[qid], CASES[qid]["expected"])
    assert r.status == (RECORDED if QUESTIONS[qid].kind == "text" else PASSED), r


@pytest.mark.parametrize("qid", sorted(QUESTIONS))
def test_each_anticipated_mistake_gets_its_own_message(qid):
    q = QUESTIONS[qid]
    for name, desc in CASES[qid]["mistakes"].items():
        r = evaluate(q, desc)
        assert (r.status, r.message) == (NOT_YET, q.mistakes[name]), f"{qid} mistake {name}: {r}"


@pytest.mark.parametrize("qid", sorted(QUESTIONS))
def test_each_probe_gets_the_message_it_expects(qid):
    """A probe is a slip in form: refused with its message, or (a right value in a form that is
    unambiguous, e.g. the number in quotes) passed with a note that says what to change."""
    for probe in CASES[qid]["probes"]:
        r = evaluate(QUESTIONS[qid], probe["answer"])
        if r.status in (PASSED, RECORDED):  # a written answer is recorded: what it says is a flag or a note
            assert probe["says"] in f"{r.note} {' '.join(r.flags)}", (qid, probe["says"], r)
        else:
            assert probe["says"] in f"{r.message} {r.note}", (qid, probe["says"], r)


@pytest.mark.parametrize("qid", sorted(QUESTIONS))
def test_other_right_answers_pass(qid):
    q = QUESTIONS[qid]
    if q.kind in CODE_KINDS:
        assert len(CASES[qid]["right"]) >= 3, f"{qid}: write at least three other right answers"
    for i, desc in enumerate(CASES[qid]["right"]):
        r = evaluate(q, desc)
        assert r.status == PASSED, f"{qid} right variant {i} ({DEFINITIONS[qid].right[i][:200]!r}): {r}"


@pytest.mark.parametrize("qid", sorted(QUESTIONS))
def test_plausible_wrong_answers_do_not_pass(qid):
    for i, desc in enumerate(CASES[qid]["wrong"]):
        r = evaluate(QUESTIONS[qid], desc)
        assert r.status != PASSED, f"{qid} wrong variant {i} ({_wrong_code(qid, i)[:200]!r}) passed: {r}"


def _wrong_code(qid: str, i: int) -> str:
    """The code of a question's i-th wrong answer: written ones first, then its kind's generic ones."""
    d = DEFINITIONS[qid]
    return (d.wrong + list(d.generic_wrong.values()))[i]


def _solution_code(qid: str) -> str:
    import jupytext

    d = DEFINITIONS[qid]
    nb = jupytext.read(d.source, fmt="md:myst")
    cell = next(
        c
        for c in nb.cells
        if c.cell_type == "code" and c.metadata.get("defection_course", {}).get("question") == qid
    )
    return cell.source.split("### BEGIN SOLUTION", 1)[-1].split("### END SOLUTION", 1)[0]


@pytest.mark.parametrize("qid", sorted(q for q in QUESTIONS if QUESTIONS[q].hint))
def test_hints_name_the_method_not_the_solution(qid):
    """No hint contains a line of the solution, nor any run of 25 characters of its code."""
    hint = " ".join(QUESTIONS[qid].hint.split())
    code = _solution_code(qid)
    for line in code.splitlines():
        line = " ".join(line.split())
        assert len(line) < 12 or line not in hint, f"{qid}: the hint contains the solution line {line!r}"
    flat = " ".join(code.split())
    runs = {flat[i : i + 25] for i in range(max(0, len(flat) - 24))}
    leaked = [r for r in runs if r in hint and re.search(r"[()=\[\]]", r)]
    assert not leaked, f"{qid}: the hint repeats the solution's code: {sorted(leaked)[:3]}"


@pytest.mark.slow
def test_the_generated_files_are_rebuilt_identically_from_the_definitions():
    """Keys, runtime specs and these cases are what the definitions give today (no drift)."""
    stale = build.write(build.build(ROOT), ROOT, check_only=True)
    assert stale == [], "run: python -m defection_course build-questions"
