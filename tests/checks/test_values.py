"""Numbers, tables and choices read by their value: generated families for every question.

From each question's right answer (and from each of its anticipated mistakes and plausible
wrong answers, all produced by running the solution: ``tests/generated/qN.answer_cases.json``) the
test writes the same value in the unambiguous forms a learner types: text with thousands commas,
a % sign or a unit, one-value containers, a table as a dict of columns, a list of records or
with its numbers as text, a choice with capitals, spaces and a full stop. The right value must
pass in every form (with a note on the better form); a wrong value must fail in every form; an
ambiguous text keeps its refusal.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from support import answer_cases

from defection_course.checks import describe, result_for
from defection_course.checks.spec import CANNOT_CHECK, NOT_YET, PASSED, evaluate
from defection_course.questions import QUESTIONS

CASES = answer_cases()
NUMBERS = sorted(q for q in QUESTIONS if QUESTIONS[q].kind == "number")
TABLES = sorted(q for q in QUESTIONS if QUESTIONS[q].kind == "table")
CHOICES = sorted(q for q in QUESTIONS if QUESTIONS[q].kind == "choice")


def _wrong_numbers(qid: str) -> list[float]:
    descs = [*CASES[qid]["mistakes"].values(), *CASES[qid]["wrong"]]
    return [d["value"] for d in descs if d.get("type") == "number" and d.get("value") is not None]


def number_texts(qid: str, value: float) -> list[str]:
    """The value as text, in every unambiguous way a learner writes it."""
    q = QUESTIONS[qid]
    plain = f"{value:.{q.decimals}f}" if q.decimals else f"{value:.0f}"
    comma = f"{value:,.{q.decimals}f}" if q.thousands else plain
    forms = [plain, f" {plain} ", f"'{plain}'", comma, f"{comma}."]
    if q.percent:
        forms += [f"{plain}%", f"{comma} %", f"{plain} percent", f"{plain} per cent."]
    unit = q.unit.strip()
    if unit and unit != "%" and "," not in unit:
        forms += [f"{comma} {unit}", f"{plain} {unit}"]
    return forms


def containers(value: float) -> list[object]:
    return [[value], (value,), np.array([value]), pd.Series([value]), pd.DataFrame({"value": [value]})]


def ambiguous_texts(qid: str, value: float) -> list[str]:
    q = QUESTIONS[qid]
    plain = f"{value:.{q.decimals}f}" if q.decimals else f"{value:.0f}"
    forms = [f"{plain} or {plain}1", f"{plain}-{plain}", f"about {plain}", f"{plain} {plain}", "1.234,5"]
    if not q.percent:
        forms.append(f"{plain}%")
    return forms


@pytest.mark.parametrize("qid", NUMBERS)
def test_a_right_number_passes_in_every_unambiguous_form_with_a_note(qid):
    value = CASES[qid]["expected"]["value"]
    forms = [*number_texts(qid, value), *containers(value)]
    if QUESTIONS[qid].whole:
        forms.append(f"{value:,.0f}명")  # a count as a Korean learner writes it
    for form in forms:
        r = result_for(qid, form)
        assert r.status == PASSED and r.note, (qid, form, r)
    assert result_for(qid, value).note == ""  # the number itself needs no note


@pytest.mark.parametrize("qid", NUMBERS)
def test_a_wrong_number_fails_in_every_form(qid):
    q = QUESTIONS[qid]
    wrong = _wrong_numbers(qid)
    assert wrong, f"{qid} has no wrong numbers to try"
    for value in wrong:
        for form in [*number_texts(qid, value), *containers(value)]:
            r = result_for(qid, form)
            assert r.status != PASSED, (qid, form, r)
    for name, desc in CASES[qid]["mistakes"].items():  # an anticipated mistake keeps its message as text
        if desc.get("type") == "number" and desc.get("value") is not None:
            value = desc["value"]
            if q.whole and value != int(value):
                continue
            r = result_for(qid, number_texts(qid, value)[0])
            assert (r.status, r.message) == (NOT_YET, q.mistakes[name]), (qid, name, r)


@pytest.mark.parametrize("qid", NUMBERS)
def test_ambiguous_text_keeps_its_refusal(qid):
    value = CASES[qid]["expected"]["value"]
    for text in ambiguous_texts(qid, value):
        r = result_for(qid, text)
        assert r.status == CANNOT_CHECK and "you gave text" in r.message, (qid, text, r)


def _frame(desc: dict) -> pd.DataFrame:
    """The learner's DataFrame back from its description (its key column restored from the index)."""
    df = pd.DataFrame(desc["data"], columns=desc["columns"])
    name = desc.get("index_name")
    if name and name not in df.columns:
        df.insert(0, name, desc["index"])
    return df


def table_forms(df: pd.DataFrame) -> list[object]:
    """The same table as plain Python and with its numbers as text."""
    as_text = df.copy()
    for c in as_text.columns:
        if pd.api.types.is_numeric_dtype(as_text[c]):
            pct = c.endswith("_pct")
            as_text[c] = [
                (f"{v:g}%" if pct else (f"{v:,}" if float(v).is_integer() and abs(v) >= 1000 else f"{v:g}"))
                for v in as_text[c]
            ]
    return [
        {c: df[c].tolist() for c in df.columns},
        {c: df[c] for c in df.columns},
        df.to_dict(),
        df.to_dict("records"),
        as_text,
        as_text.to_dict("records"),
    ]


@pytest.mark.parametrize("qid", TABLES)
def test_a_right_table_passes_as_a_dict_records_or_with_numbers_as_text(qid):
    df = _frame(CASES[qid]["expected"])
    assert evaluate(QUESTIONS[qid], describe(df)).status == PASSED
    for i, form in enumerate(table_forms(df)):
        r = result_for(qid, form)
        assert r.status == PASSED, (qid, i, r)
        assert r.note or (i == 4 and df.map(lambda v: isinstance(v, str)).all().all()), (qid, i, r)


@pytest.mark.parametrize("qid", TABLES)
def test_a_wrong_table_fails_in_every_form(qid):
    q = QUESTIONS[qid]
    wrong = [("wrong", d) for d in CASES[qid]["wrong"]] + list(CASES[qid]["mistakes"].items())
    tables = [(n, d) for n, d in wrong if d.get("type") == "dataframe"]
    assert tables, f"{qid} has no wrong tables to try"
    for name, desc in tables:
        df = _frame(desc)
        for i, form in enumerate(table_forms(df)):
            r = result_for(qid, form)
            assert r.status != PASSED, (qid, name, i, r)
            if name in q.mistakes and i < 4 and len(df):  # the same numbers, in a plain-Python container
                assert r.message == evaluate(q, desc).message, (qid, name, i, r)


def choice_forms(option: str) -> list[str]:
    return [option.upper(), option.capitalize(), f"  {option}  ", f"{option}.", f" {option.title()}. "]


@pytest.mark.parametrize("qid", CHOICES)
def test_a_choice_ignores_case_spaces_and_a_final_full_stop(qid):
    q = QUESTIONS[qid]
    right = CASES[qid]["expected"]["value"]
    for form in choice_forms(right):
        assert result_for(qid, form).status == PASSED, (qid, form)
    for option in q.options:
        if option != right:
            for form in choice_forms(option):
                assert result_for(qid, form).status != PASSED, (qid, form)
    r = result_for(qid, f"{right} or {q.options[0]}")  # two choices at once is not one of them
    assert r.status == CANNOT_CHECK and "not one of the choices" in r.message, r


def test_messages_do_not_give_the_answer_away():
    """The issue's two examples: q5_1's 'look one year later', and 'add up the values you need'."""
    texts = [m for q in QUESTIONS.values() for m in q.mistakes.values()]
    texts += [result_for(q, [1, 2]).message for q in NUMBERS]
    assert not [t for t in texts if "one year later" in t or "add up the values" in t]
