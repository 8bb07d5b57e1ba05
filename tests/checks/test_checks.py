"""check(): right answers pass, common mistakes get their specific message, bad input never crashes."""

from __future__ import annotations

import math
import re

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import seaborn as sns
from support import ROOT, answer_cases

from defection_course import load
from defection_course.checks import (
    CANNOT_CHECK,
    NOT_ANSWERED,
    NOT_YET,
    PASSED,
    RECORDED,
    all_results,
    check,
    result_for,
)
from defection_course.checks import keys as K
from defection_course.questions import QUESTIONS


def _a_figure():
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    return fig


BAD_INPUTS = {
    "None": (lambda: None, CANNOT_CHECK, "Functions that only display something"),
    "Ellipsis": (lambda: ..., NOT_ANSWERED, "not answered yet"),
    "empty string": (lambda: "", NOT_ANSWERED, "not answered yet"),
    "string": (lambda: "thirty thousand", CANNOT_CHECK, "you gave text"),
    "numeric string": (lambda: "30212", PASSED, "accepted"),  # with a note on the better form
    "ambiguous string": (lambda: "30212 or 30213", CANNOT_CHECK, "you gave text"),
    "NaN": (lambda: float("nan"), NOT_YET, "NaN"),
    "numpy NaN": (lambda: np.float64("nan"), NOT_YET, "NaN"),
    "infinity": (lambda: math.inf, NOT_YET, "infinite"),
    "list": (lambda: [1, 2, 3], CANNOT_CHECK, "a list of 3 items"),
    "DataFrame": (lambda: load("arrivals_annual"), CANNOT_CHECK, "a table"),
    "Series of one": (lambda: pd.Series([30212]), PASSED, "accepted"),
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
    assert "does not say what is measured" in result_for("q1_4", ax).message  # a single letter
    ax.set_ylabel("arrivals")
    assert result_for("q1_4", ax).status == PASSED
    plt.close("all")


def test_unknown_question_and_wrong_argument_order():
    assert "there is no question 'q9_9'" in result_for("q9_9", 1).message
    assert "question id in quotes" in result_for(30212, "q1_1").message


def test_check_prints_and_returns_nothing(capsys):
    assert check("q1_1", 30212) is None
    assert capsys.readouterr().out.startswith("✔ PASSED  q1_1")


def test_feedback_on_a_wrong_answer_never_shows_the_expected_value():
    """No message for a mistake, a probe or a plausible wrong answer prints the key's value."""

    from defection_course.checks.spec import evaluate

    cases = answer_cases()
    checked = 0
    for qid, case in cases.items():
        q = QUESTIONS[qid]
        if q.kind != "number":
            continue
        value = case["expected"]["value"]
        shown = {f"{value:,.{q.decimals}f}", f"{value:.{q.decimals}f}"}
        wrong = [*case["mistakes"].values(), *(p["answer"] for p in case["probes"]), *case["wrong"]]
        for desc in wrong:
            if any(s in str(desc.get("value", "")) for s in shown):
                continue  # the learner's own input, echoed back (e.g. the right number in quotes)
            result = evaluate(q, desc)
            if result.status == "passed":
                continue  # a probe may be the right value in another form (a one-item list): not wrong
            message = result.message
            pattern = "|".join(re.escape(v) for v in shown)
            assert not re.search(rf"(?<![\d.,])({pattern})(?![\d]|[.,]\d)", message), (
                f"{qid}: {message!r} shows it"
            )
            assert "expected value is" not in message and "should be" not in message
            checked += 1
    assert checked > 50


def test_passing_message_is_honest_about_scope(capsys):
    from defection_course.checks.runner import SCOPE

    ns = {"arrived_by_2016": 30212}
    results = all_results(1, ns)
    assert results[0].status == PASSED and all(r.status == NOT_ANSWERED for r in results[1:])
    assert "further checks" in SCOPE


def test_keys_hold_hashes_only():
    import json
    import re

    keys = {}
    for path in sorted(K.KEYS_DIR.glob("q*.keys.json")):
        keys.update(json.loads(path.read_text(encoding="utf-8")))
    assert set(keys) == {q for q in QUESTIONS if QUESTIONS[q].kind != "text"}, "a key file is missing"

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


def test_show_with_a_placeholder_alt_text_warns_and_still_shows_the_figure(capsys, monkeypatch):
    """`show(ax, alt="...")`, copied from an instruction, must not stop a Run All."""
    from IPython import display as ipy_display

    from defection_course import show

    shown = []
    monkeypatch.setattr(ipy_display, "display", lambda *a, **k: shown.append((a, k)))
    _fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    show(ax, alt="...")
    err = capsys.readouterr().err
    assert "placeholder" in err and len(shown) == 1
    _fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    show(ax, alt="A line")
    assert "very short" in capsys.readouterr().err and len(shown) == 2


def test_written_answer_cells_give_real_triple_quotes_to_type_between():
    import nbformat

    for path in sorted((ROOT / "exercises").glob("0*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            qid = cell.metadata.get("defection_course", {}).get("question")
            if "answer" in cell.metadata.get("tags", []) and QUESTIONS[qid].kind == "text":
                variable = QUESTIONS[qid].variable
                assert cell.source.startswith(f'{variable} = """'), cell.source
                compile(cell.source, "<cell>", "exec")  # typing between the quotes cannot break it
                assert result_for(qid, "").status == NOT_ANSWERED


def test_a_written_answer_that_copies_the_question_is_flagged_for_the_teacher_not_marked_down():
    from defection_course.checks.spec import PLACEHOLDER

    q = QUESTIONS["q2_6"]
    assert len(q.prompt.split()) > 40, "the builder stores the prompt of written questions"
    r = result_for("q2_6", q.prompt)
    assert r.status == RECORDED and PLACEHOLDER not in r.message + r.note
    assert any(PLACEHOLDER in f and "copy of the question" in f for f in r.flags), r
