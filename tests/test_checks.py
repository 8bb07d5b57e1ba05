"""check(): right answers pass, common mistakes get their specific message, bad input never crashes."""

from __future__ import annotations

import math

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import seaborn as sns
from wrong_answers import WRONG

from defection_course import load
from defection_course.checks import (
    CANNOT_CHECK,
    NOT_ANSWERED,
    NOT_YET,
    PASSED,
    all_results,
    check,
    result_for,
)
from defection_course.checks import keys as K
from defection_course.questions import QUESTIONS


def test_every_question_has_a_simulated_wrong_answer():
    assert set(WRONG) == set(QUESTIONS), sorted(set(QUESTIONS) ^ set(WRONG))


@pytest.mark.parametrize("qid", sorted(WRONG))
def test_wrong_answers_get_the_intended_message(qid):
    for make_answer, fragment in WRONG[qid]:
        r = result_for(qid, make_answer())
        assert r.status in (NOT_YET, CANNOT_CHECK), (qid, r)
        assert fragment in r.message, f"{qid}: expected {fragment!r} in {r.message!r}"
        plt.close("all")


def _a_figure():
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    return fig


BAD_INPUTS = {
    "None": (lambda: None, NOT_ANSWERED, "not answered yet"),
    "Ellipsis": (lambda: ..., NOT_ANSWERED, "not answered yet"),
    "empty string": (lambda: "", NOT_ANSWERED, "not answered yet"),
    "string": (lambda: "thirty thousand", CANNOT_CHECK, "you gave text"),
    "numeric string": (lambda: "30212", CANNOT_CHECK, "in quotes"),
    "NaN": (lambda: float("nan"), NOT_YET, "NaN"),
    "numpy NaN": (lambda: np.float64("nan"), NOT_YET, "NaN"),
    "infinity": (lambda: math.inf, NOT_YET, "infinite"),
    "list": (lambda: [1, 2, 3], CANNOT_CHECK, "a list of 3 items"),
    "DataFrame": (lambda: load("arrivals_annual"), CANNOT_CHECK, "a table"),
    "Series of one": (lambda: pd.Series([30212]), CANNOT_CHECK, ".iloc[0]"),
    "figure": (_a_figure, CANNOT_CHECK, "a figure"),
    "bool": (lambda: True, CANNOT_CHECK, "True/False"),
    "dict": (lambda: {"a": 1}, CANNOT_CHECK, "a dictionary"),
    "object": (lambda: object(), CANNOT_CHECK, "object"),
}


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_input_to_a_number_question_gets_a_friendly_message(name):
    make, status, fragment = BAD_INPUTS[name]
    r = result_for("q1_1", make())
    assert r.status == status and fragment in r.message, r


@pytest.mark.parametrize("qid", sorted(QUESTIONS))
@pytest.mark.parametrize("name", BAD_INPUTS)
def test_no_bad_input_crashes_any_check(qid, name, capsys):
    make, _, _ = BAD_INPUTS[name]
    check(qid, make())  # prints, never raises
    out = capsys.readouterr().out
    assert qid in out and "Traceback" not in out
    plt.close("all")


def test_table_question_explains_wrong_columns_and_list_instead_of_table():
    annual = load("arrivals_annual")
    r = result_for("q1_3", annual[["year", "total"]])
    assert r.status == NOT_YET and "no column(s) ['female_pct']" in r.message
    r = result_for("q1_3", [55.3, 63.1])
    assert r.status == CANNOT_CHECK and "wants a table" in r.message
    r = result_for("q1_3", annual.assign(female_pct=1.0)[["year", "female_pct"]])
    assert "covers year 1994-2025; the question asks for 2002-2011" in r.message


def test_figure_question_needs_styles_labels_and_title():
    long = (
        load("arrivals_annual")
        .query("year >= 2002")
        .melt(id_vars="year", value_vars=["male", "female"], var_name="sex", value_name="n")
    )
    ax = sns.lineplot(data=long, x="year", y="n", hue="sex")
    ax.set_title("t")
    assert "differ only by colour" in result_for("q1_4", ax).message
    plt.close("all")
    ax = sns.lineplot(data=long, x="year", y="n", hue="sex", style="sex", markers=True)
    ax.set_xlabel("")
    assert "label the x-axis" in result_for("q1_4", ax).message
    ax.set_xlabel("year")
    ax.set_ylabel("n")
    ax.set_title("Women outnumber men")
    assert result_for("q1_4", ax).status == PASSED
    plt.close("all")


def test_unknown_question_and_wrong_argument_order():
    assert "there is no question 'q9_9'" in result_for("q9_9", 1).message
    assert "question id in quotes" in result_for(30212, "q1_1").message


def test_check_prints_and_returns_nothing(capsys):
    assert check("q1_1", 30212) is None
    assert capsys.readouterr().out.startswith("✔ PASSED  q1_1")


def test_feedback_never_reveals_the_expected_value():
    for qid, cases in WRONG.items():
        for make, _ in cases:
            r = result_for(qid, make())
            assert "expected value is" not in r.message and "should be" not in r.message
    plt.close("all")


def test_passing_message_is_honest_about_scope(capsys):
    from defection_course.checks.runner import SCOPE

    ns = {"arrived_by_2016": 30212}
    results = all_results(1, ns)
    assert results[0].status == PASSED and all(r.status == NOT_ANSWERED for r in results[1:])
    assert "further checks" in SCOPE


def test_keys_hold_hashes_only():
    import json
    import re

    keys = json.loads(K.KEYS_PATH.read_text(encoding="utf-8"))

    def leaves(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k != "kind":
                    yield from leaves(v)
        elif isinstance(node, list):
            for v in node:
                yield from leaves(v)
        else:
            yield node

    values = list(leaves(keys))
    assert values and all(isinstance(v, str) and re.fullmatch(r"[0-9a-f]{32}", v) for v in values)
