"""A synthetic class for lesson 2: submissions made by editing the solution's answers.

Each student's notebook is the exercise with some answer cells filled in: with the solution's
own code (right), with a known wrong value or a wrong edit of the solution's code (each one a
mistake the lesson-2 checks recognise, see tests/wrong_answers_lesson2.py), or left blank.
``make_class`` draws a reproducible mix; the tests compare what the report counts with what was
put in.
"""

from __future__ import annotations

import copy
import random
from pathlib import Path

import nbformat

from defection_course.authoring.exercise_builder import BEGIN, END
from defection_course.cells import is_answer_cell, question_of
from support import ROOT

LESSON2 = "02_social_origins"
SOLUTION2 = ROOT / "solutions" / f"{LESSON2}.ipynb"
EXERCISE2 = ROOT / "exercises" / f"{LESSON2}.ipynb"


def solution_answers(solution: Path = SOLUTION2) -> dict[str, str]:
    """The solution's code of each answer cell, without the BEGIN/END SOLUTION lines."""
    nb = nbformat.read(solution, as_version=4)
    return {
        question_of(c): "\n".join(l for l in c.source.splitlines() if not (BEGIN.match(l) or END.match(l)))
        for c in nb.cells
        if is_answer_cell(c)
    }


def _edit(qid: str, old: str, new: str) -> str:
    source = solution_answers()[qid]
    assert old in source, f"{old!r} is no longer in the solution of {qid}: update tests/support/classes.py"
    return source.replace(old, new)


def wrong_answers() -> dict[str, list[tuple[str, str]]]:
    """For each question of lesson 2: (name of the mistake, answer source) pairs."""
    return {
        "q2_1": [
            ("workers_only", "workers_or_no_occupation_pct = 39.7"),
            ("snapshot_2020", "workers_or_no_occupation_pct = 84.7"),
            ("with_children", "workers_or_no_occupation_pct = 88.0"),
            ("fraction", "workers_or_no_occupation_pct = 0.843"),
        ],
        "q2_2": [
            (
                "camps_in_population_total",
                _edit("q2_2", 'in_provinces["population"].sum()', 'census["population"].sum()'),
            ),
            ("too_few_rows", _edit("q2_2", ".round(1)", ".round(1).iloc[:2]")),
        ],
        "q2_3": [
            ("inverted", "north_hamgyong_ratio = 0.17"),
            ("camps_in_population_total", "north_hamgyong_ratio = 6.1"),
        ],
        "q2_4": [
            (
                "no_title",
                _edit(
                    "q2_4",
                    'education_plot.set_title("Most defectors had secondary schooling; few had been to '
                    'university")',
                    "",
                ),
            ),
        ],
        "q2_5": [
            ("both_sexes", "women_top_age_count = 9665"),
            ("men", "women_top_age_count = 2615"),
            ("age_group_as_text", 'women_top_age_count = "30-39"'),  # "7523" in quotes is read as 7523
        ],
        "q2_6": [("too_short", 'answer_q2_6 = """Yes, mostly workers from the border."""')],
    }


def fill(exercise: nbformat.NotebookNode, answers: dict[str, str]) -> nbformat.NotebookNode:
    """A copy of an exercise notebook with the given answer cells replaced."""
    nb = copy.deepcopy(exercise)
    for cell in nb.cells:
        if is_answer_cell(cell) and question_of(cell) in answers:
            cell.source = answers[str(question_of(cell))]
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def make_class(n: int, seed: int = 2016) -> list[tuple[str, dict[str, str], dict[str, str]]]:
    """``n`` students: (student id, answers to put in, what each answer is: right/blank/mistake)."""
    rng = random.Random(seed)
    good = solution_answers()
    wrong = wrong_answers()
    # The harder the question, the more mistakes (q2_2 and q2_3 are the hard ones in class).
    p_wrong = {"q2_1": 0.35, "q2_2": 0.45, "q2_3": 0.35, "q2_4": 0.25, "q2_5": 0.3, "q2_6": 0.1}
    p_blank = {"q2_1": 0.03, "q2_2": 0.1, "q2_3": 0.12, "q2_4": 0.1, "q2_5": 0.05, "q2_6": 0.15}
    students = []
    for i in range(n):
        answers: dict[str, str] = {}
        intended: dict[str, str] = {}
        for qid in good:
            roll = rng.random()
            if roll < p_blank[qid]:
                intended[qid] = "blank"
            elif roll < p_blank[qid] + p_wrong[qid]:
                name, source = rng.choice(wrong[qid])
                answers[qid], intended[qid] = source, name
            else:
                answers[qid], intended[qid] = good[qid], "right"
        students.append((f"student{i + 1:02d}", answers, intended))
    return students


def write_class(folder: Path, n: int, seed: int = 2016) -> dict[str, dict[str, str]]:
    """Write ``n`` submissions plus three files the grader rejects; return what each answer is."""
    folder.mkdir(parents=True, exist_ok=True)
    exercise = nbformat.read(EXERCISE2, as_version=4)
    intended = {}
    for student, answers, what in make_class(n, seed):
        nbformat.write(fill(exercise, answers), folder / f"{student}.ipynb")
        intended[student] = what
    (folder / "late_empty.ipynb").write_text("", encoding="utf-8")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    other = nbformat.read(ROOT / "exercises" / "01_defection_history.ipynb", as_version=4)
    nbformat.write(other, folder / "wrong_lesson.ipynb")
    return intended


def in_own_thread(fn):
    """Run ``fn`` in a fresh thread and return its result.

    Playwright's sync API refuses to start in a thread where another sync session is open (the
    session-wide browser of tests/test_browser.py, when the whole suite runs in one process).
    """
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn).result()
