"""Answer searches are flagged for the teacher (never a mark); the course's own notebooks raise no flag.

Each form of search the issue lists is written as a student would, read by the grader's
:mod:`answer_search`, and then graded in a real notebook (slow test at the end): the flag must
reach the feedback file, the gradebook's reason and the review files, and the marks must be the
ones the checks give.
"""

from __future__ import annotations

import copy
import html
import json
from pathlib import Path

import nbformat
import pytest
from support import EXERCISES, ROOT, SOLUTIONS, cli
from support.grader import grade

from defection_course import cells
from defection_course.grading import answer_search as A
from defection_course.grading.assemble import assemble
from defection_course.questions import QUESTIONS, questions_for

VARIABLES = {q: QUESTIONS[q].variable for q in QUESTIONS}
KINDS = {q: QUESTIONS[q].kind for q in QUESTIONS}
EXERCISE = ROOT / "exercises" / "01_defection_history.ipynb"
SOLUTION = ROOT / "solutions" / "01_defection_history.ipynb"

KEYS_SEARCH = """\
import hashlib, json, pathlib
import defection_course
keys = json.loads((pathlib.Path(defection_course.__file__).parent / "questions" / "q1.keys.json").read_text())
wanted = set(keys["q1_6"]["expected"])
for guess in range(-5000, 5000):
    h = hashlib.sha256(f"defection-course-v1|q1_6|{guess}".encode()).hexdigest()[:32]
    if h in wanted:
        revision_2006 = guess
"""

#: (name, cell source, question of the cell, is it an answer cell, what the flag must say)
SEARCHES = [
    (
        "result_for in a loop",
        "for g in range(30000, 30400):\n    if result_for('q1_1', g).passed:\n        arrived_by_2016 = g",
        None,
        False,
        "result_for(...) in a loop",
    ),
    (
        "result_for imported and looped",
        "from defection_course.checks import result_for\n"
        "found = [g for g in range(900, 960) if result_for('q1_2', g / 10).status == 'passed']",
        None,
        False,
        "imports or renames",
    ),
    (
        "r = check() in a loop",
        "for g in range(10):\n    r = check('q1_5', g)",
        None,
        False,
        "check(...) in a loop",
    ),
    (
        "check under another name",
        "from defection_course.checks import check as c\nc('q1_2', 93.4)",
        None,
        False,
        "c(...) on a typed value",
    ),
    (
        "checks module under an alias",
        "import defection_course.checks as dc\nfor g in range(5):\n    dc.result_for('q1_6', g)",
        None,
        False,
        "dc.result_for(...)",
    ),
    (
        "from defection_course import checks",
        "from defection_course import checks as ck\nprint(ck.check('q1_1', 1))",
        None,
        False,
        "ck.check(...)",
    ),
    (
        "alias by assignment",
        "judge = result_for\nprint(judge('q1_1', 30000))",
        None,
        False,
        "judge = result_for",
    ),
    ("check on a typed value", "check('q1_2', 93.4)", None, False, "check(...) on a typed value"),
    ("keys file and hashing", KEYS_SEARCH, "q1_6", True, "reads the answer keys"),
    ("load_keys", "from defection_course.checks.keys import load_keys\nk = load_keys()", None, False, "keys"),
    ("bare literal answer", "arrived_by_2016 = ...\narrived_by_2016 = 30212", "q1_1", True, "typed-in value"),
    (
        "bare literal table",
        "women_share = pd.DataFrame({'year': [2002], 'female_pct': [55.3]})",
        "q1_3",
        True,
        "typed-in",
    ),
]


@pytest.mark.parametrize("name, source, qid, answer, says", SEARCHES, ids=[s[0] for s in SEARCHES])
def test_each_form_of_answer_search_is_flagged_with_its_reason(name, source, qid, answer, says):
    s = A.Searcher(VARIABLES, KINDS)
    s.cell("cell 9", source, qid, answer)
    assert s.notes, name
    assert any(says in n and A.FLAG in n for n in s.notes), s.notes


def test_the_course_notebooks_raise_no_flag():
    """Every code cell of every solution and exercise, as the course ships them: no false flag."""
    read = 0
    for path in [*SOLUTIONS, *EXERCISES]:
        nb = nbformat.read(path, as_version=4)
        s = A.Searcher(VARIABLES, KINDS)
        for i, c in enumerate(nb.cells, start=1):
            if c.cell_type == "code" and cells.CHECK not in cells.tags(c):
                s.cell(f"cell {i}", c.source, cells.question_of(c), cells.ANSWER in cells.tags(c))
                read += 1
        assert s.notes == [], (path.name, s.notes)
    assert read >= 90


def test_only_top_level_check_statements_are_dropped_not_text_in_a_written_answer():
    """Issue 20: a written answer with a line starting check( kept its lines and was not zeroed."""
    written = 'answer_q1_7 = """My answer.\ncheck("q1_7", answer_q1_7)\nmore text"""'
    assert A.split_check_calls(written) == (written, 0, [])
    both = 'arrived_by_2016 = 30212 + 0\ncheck("q1_1", arrived_by_2016)\nx = 1'
    kept, dropped, calls = A.split_check_calls(both)
    assert (kept, dropped, len(calls)) == ("arrived_by_2016 = 30212 + 0\nx = 1", 1, 1)
    multi = 'check(\n    "q1_1",\n    arrived_by_2016,\n)'
    assert A.split_check_calls(multi)[:2] == ("", 4)


def test_a_plain_check_in_the_answer_cell_is_not_a_search():
    s = A.Searcher(VARIABLES, KINDS)
    s.cell(
        "cell 3", 'arrived_by_2016 = int(annual["total"].sum())\ncheck("q1_1", arrived_by_2016)', "q1_1", True
    )
    assert s.notes == []


def _submission(edit) -> str:
    nb = copy.deepcopy(nbformat.read(SOLUTION, as_version=4))
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    edit(nb)
    return nbformat.writes(nb)


def _answer_cell(nb, qid):
    return next(c for c in nb.cells if cells.ANSWER in cells.tags(c) and cells.question_of(c) == qid)


def _insert_after(qid: str, source: str):
    def edit(nb):
        i = nb.cells.index(_answer_cell(nb, qid))
        nb.cells.insert(i + 1, nbformat.v4.new_code_cell(source))

    return edit


def _replace_answer(qid: str, source: str):
    def edit(nb):
        _answer_cell(nb, qid).source = source

    return edit


GRADED = {
    "loop_result_for": _insert_after("q1_1", SEARCHES[0][1]),
    "check_in_loop": _insert_after("q1_5", SEARCHES[2][1]),
    "alias": _insert_after("q1_2", SEARCHES[4][1]),
    "keys": _replace_answer("q1_6", "revision_2006 = ...\n" + KEYS_SEARCH),
    "literal": _replace_answer("q1_1", "arrived_by_2016 = 30212"),
    "written_check_line": _replace_answer(
        "q1_7",
        'answer_q1_7 = """Supported for its time: the share of arrivals in the last fifteen years was high.\n'
        'check("q1_7", answer_q1_7)\nLater the share fell as arrivals dropped after the border closed."""',
    ),
}


def test_assembly_flags_each_graded_form_and_keeps_the_written_answer():
    exercise = nbformat.read(EXERCISE, as_version=4)
    qs = questions_for(1)
    for name, edit in GRADED.items():
        sub = nbformat.reads(_submission(edit), as_version=4)
        built = assemble(exercise, sub, {q.qid: q.variable for q in qs}, {q.qid: q.kind for q in qs})
        flags = [n for n in built.notes if A.FLAG in n]
        if name == "written_check_line":
            assert flags == [] and not any("also called check()" in n for n in built.notes), built.notes
            run = "\n".join(c.source for c in built.notebook.cells if c.cell_type == "code")
            assert 'check("q1_7", answer_q1_7)\nLater' in run
        else:
            assert flags, (name, built.notes)


@pytest.mark.slow
def test_answer_searches_are_flagged_in_a_graded_notebook_and_marks_are_unchanged(tmp_path: Path):
    folder, out = tmp_path / "submitted", tmp_path / "results"
    folder.mkdir()
    (folder / "honest.ipynb").write_text(_submission(lambda nb: None), encoding="utf-8")
    for name, edit in GRADED.items():
        (folder / f"{name}.ipynb").write_text(_submission(edit), encoding="utf-8")
    rows = grade(EXERCISE, folder, out, "--workers", "2", "--quiet")
    review = (out / "review" / "q1_7.md").read_text(encoding="utf-8")
    for name in GRADED:
        feedback = (out / "feedback" / f"{name}.md").read_text(encoding="utf-8")
        block = review.split(f"## Student: {name}\n", 1)[1].split("## Student:", 1)[0]
        if name == "written_check_line":
            assert A.FLAG not in feedback and rows[name]["q1_7"] == "to mark", feedback
            # the written answer kept every line (quoted with its HTML escaped)
            assert 'check("q1_7", answer_q1_7)' in html.unescape(block)
            continue
        assert A.FLAG in feedback and A.FLAG in rows[name]["reason"], (name, feedback)
        assert A.FLAG in block, (name, block)
        # a flag is not a mark: every auto-checked question scores as the honest notebook's does
        for q in questions_for(1):
            if q.kind != "text":
                assert rows[name][q.qid] == rows["honest"][q.qid], (name, q.qid, rows[name])
    assert A.FLAG not in (out / "feedback" / "honest.md").read_text(encoding="utf-8")
    # the class report lists every flagged notebook with its reasons, and not the honest one
    done = cli.run("report", str(out))  # in this process (tests/support/cli.py)
    assert done.returncode == 0, done.stderr
    page = (out / "report.html").read_text(encoding="utf-8")
    flagged = page.split("<caption>Flags, by student</caption>")[1].split("</table>")[0]
    notes = {st["student"]: st["notes"] for st in json.loads((out / "graded.json").read_text())["students"]}
    for name in GRADED:
        reasons = [n for n in notes[name] if A.FLAG in n]
        assert (f"<td>{name}</td><td>notebook</td>" in flagged) == bool(reasons), name
        for reason in reasons:
            assert html.escape(reason, quote=True) in flagged, (name, reason)
    assert "<td>honest</td><td>notebook</td>" not in flagged


def test_redefining_the_checks_is_read_from_code_not_from_text():
    assert A.redefines_checks("def check(*a):\n    print('PASSED')")
    assert A.redefines_checks("import defection_course.checks.describe as d\nd.describe = lambda v: {}")
    assert A.redefines_checks("check = print")
    assert A.redefines_checks('answer_q1_7 = """The check = the data.\ndef check(x): no"""') is False
    assert A.redefines_checks("def check(:") is None  # not Python: the grader falls back to the old pattern
