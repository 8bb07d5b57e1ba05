"""The nbgrader round trip, with nbgrader 0.9.6 itself, in a temporary course folder.

``python -m defection_course nbgrader-export`` writes ``source/`` from solutions/; then the real
``nbgrader generate_assignment`` must give student notebooks equal, cell by cell, to exercises/,
and the real ``nbgrader autograde`` of a right and a partly wrong submission of every lesson, and a
blank one of lesson 2, must give every question the same points as the course's own grader.

nbgrader runs three times in all: one ``generate_assignment`` for the five assignments together
(its assignment id is a glob), then two ``autograde`` processes side by side, one for the student
"good" and one for the others (its student id is a glob too), so its start-up is paid three times,
not ten, and the two cores are both used.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import nbformat
import pytest
from support import ROOT
from support.classes import fill, solution_answers, wrong_answers
from support.grader import grade

from defection_course import course as registry
from defection_course.questions import questions_for

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent
NOTEBOOK = "02_social_origins.ipynb"
LESSONS = sorted(p.name for p in (ROOT / "exercises").glob("[0-9][0-9]_*.ipynb"))
ALL_ASSIGNMENTS = "ps[0-9][0-9]"  # nbgrader globs its assignment id: every psNN at once


def _questions(name: str) -> list:
    """The questions of the exercise ``name``, by its lesson's question prefix in course.yml."""
    exercises = registry.lesson(Path(name).stem).exercises
    assert exercises is not None, name
    return questions_for(exercises.check_number)


def _env(home: Path) -> dict[str, str]:
    """nbgrader shells out to alembic: the venv's bin/ goes first on PATH; private Jupyter folders."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(BIN), env.get("PATH", "")])
    for var, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"), ("IPYTHONDIR", "ipy")):
        (home / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(home / sub)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    return env


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: int = 600) -> str:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(cmd)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """An nbgrader course folder exported from solutions/, with every assignment generated."""
    home = tmp_path_factory.mktemp("nbgrader")
    course = home / "course"
    env = _env(home)
    _run([sys.executable, "-m", "defection_course", "nbgrader-export", str(course)], ROOT, env)
    _run([str(BIN / "nbgrader"), "generate_assignment", ALL_ASSIGNMENTS, "--force"], course, env)
    return course, env


def _shape(nb: nbformat.NotebookNode) -> list[tuple[str, str, list[str]]]:
    # nbgrader puts its code stub under the triple quotes of a written answer; nothing else differs
    return [
        (c.cell_type, c.source.rstrip().removesuffix("\n# YOUR CODE HERE"), list(c.metadata.get("tags", [])))
        for c in nb.cells
    ]


@pytest.mark.parametrize(
    "exercise", sorted((ROOT / "exercises").glob("[0-9][0-9]_*.ipynb")), ids=lambda p: p.stem
)
def test_generate_assignment_gives_the_exercise_notebook(course, exercise: Path) -> None:
    folder, _ = course
    released = folder / "release" / f"ps{exercise.name[:2]}" / exercise.name
    assert released.exists(), f"nbgrader did not release {exercise.name}"
    student = nbformat.read(released, as_version=4)
    want = nbformat.read(exercise, as_version=4)
    assert _shape(student) == _shape(want)
    text = released.read_text(encoding="utf-8")
    for leak in ("BEGIN SOLUTION", "HIDDEN TESTS", "require_passed", "Marking rubric"):
        assert leak not in text, f"{leak!r} reached the student version of {exercise.name}"
    kinds = {
        (m["solution"], m["grade"], m["locked"]) for m in (c.metadata["nbgrader"] for c in student.cells)
    }
    assert (True, False, False) in kinds  # answers: solution cells
    assert (False, True, True) in kinds  # checks: locked autograder tests
    assert (False, False, True) in kinds  # prompts and set-up: read-only


def test_source_version_puts_the_rubric_in_the_written_answer_cell(course) -> None:
    folder, _ = course
    nb = nbformat.read(folder / "source" / "ps02" / NOTEBOOK, as_version=4)
    written = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q2_6-answer"]
    assert len(written) == 1
    meta = written[0].metadata["nbgrader"]
    assert meta["solution"] and meta["grade"] and meta["points"] == 5
    assert "# **Marking rubric for Q2.6 (5 points)**" in written[0].source


def _submissions() -> dict[str, dict[str, str]]:
    """Lesson 2: right, blank, and three known mistakes with one answer left blank."""
    good = solution_answers()
    wrong = {q: dict(pairs) for q, pairs in wrong_answers().items()}
    partly = dict(good)
    partly.update(
        q2_1=wrong["q2_1"]["workers_only"], q2_3=wrong["q2_3"]["inverted"], q2_4=wrong["q2_4"]["no_title"]
    )
    del partly["q2_5"]  # left blank
    return {"good": good, "blank": {}, "partly": partly}


def _checked(name: str) -> list:
    """The questions of a lesson that the checks mark (not written answers)."""
    return [q for q in _questions(name) if q.kind != "text"]


def _other_submissions(name: str) -> dict[str, dict[str, str]]:
    """Right, and every other checked answer replaced by a wrong value (-1 or None) with the last
    left blank (lesson 2's blank submission stands for every lesson's: a blank is the same to both)."""
    good = solution_answers(ROOT / "solutions" / name)
    auto = _checked(name)
    partly = dict(good)
    for q in auto[::2]:
        partly[q.qid] = f"{q.variable} = {-1 if q.kind == 'number' else None}"
    del partly[auto[-1].qid]
    return {"good": good, "partly": partly}


def _write(course, tmp: Path, name: str, submissions: dict[str, dict[str, str]]) -> Path:
    """Each submission into nbgrader's submitted/ and into a folder for the course's grader."""
    folder, _ = course
    assignment = f"ps{name[:2]}"
    released = nbformat.read(folder / "release" / assignment / name, as_version=4)
    ours = tmp / name[:2] / "submissions"
    ours.mkdir(parents=True)
    for student, answers in submissions.items():
        nb = fill(released, answers)
        target = folder / "submitted" / student / assignment / name
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, target)
        nbformat.write(nb, ours / f"{student}.ipynb")
    return ours


#: the check-cell warning (jupyter/nbgrader#1961) is read from two lesson-2 students: "blank" hands
#: in the released notebook as it is, "edited_x" (graded by nbgrader only) the same with one check
#: cell edited
CHECK_CELL_STUDENTS = ("blank", "edited_x")


def _write_edited_check_cell_student(folder: Path) -> None:
    edited = nbformat.read(folder / "release" / "ps02" / NOTEBOOK, as_version=4)
    cell = next(c for c in edited.cells if c.metadata["nbgrader"]["grade_id"] == "q2_3-check")
    cell.source += "\nprint('edited')"
    target = folder / "submitted" / CHECK_CELL_STUDENTS[1] / "ps02" / NOTEBOOK
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(edited, target)


def _log_by_student(log: str) -> dict[str, str]:
    """nbgrader's log cut at each notebook it converts (it autogrades one notebook at a time)."""
    parts: dict[str, list[str]] = {}
    student = ""
    for line in log.splitlines():
        m = re.search(r"(?:Sanitizing|Converting notebook) (?:\S*[/\\])?submitted[/\\]([^/\\]+)[/\\]", line)
        if m:
            student = m.group(1)
        parts.setdefault(student, []).append(line)
    return {k: "\n".join(v) for k, v in parts.items()}


#: nbgrader's student-id globs of the two autograde processes: "good" (one notebook per lesson), and
#: every other student (partly wrong, blank, edited check cell); SQLite serialises their writes
STUDENT_HALVES = ("good", "[!g]*")


class Autograded(NamedTuple):
    """One ``nbgrader autograde`` of every assignment: its log, cut by student, and the tables."""

    logs: dict[str, str]
    tables: dict[str, list[tuple]]


@pytest.fixture(scope="module")
def autograded(course, tmp_path_factory: pytest.TempPathFactory) -> Autograded:
    """Every lesson's submissions autograded by nbgrader (two calls) and by the course's grader.

    One row per answer: (student, question, course's points, nbgrader's points). The course's
    grader runs in a thread while nbgrader runs (they read and write different folders).
    """
    from concurrent.futures import ThreadPoolExecutor

    from nbgrader.api import Gradebook

    folder, env = course
    tmp = tmp_path_factory.mktemp("round_trips")
    submitted = {name: _submissions() if name == NOTEBOOK else _other_submissions(name) for name in LESSONS}
    ours = {name: _write(course, tmp, name, subs) for name, subs in submitted.items()}
    _write_edited_check_cell_student(folder)

    def course_grader() -> dict[str, dict[str, dict[str, str]]]:
        return {
            name: grade(
                ROOT / "exercises" / name,
                ours[name],
                tmp / name[:2] / "results",
                "--quiet",
                cwd=ROOT,
                env=env,
            )
            for name in LESSONS
        }

    def autograde(students: str) -> str:
        cmd = [str(BIN / "nbgrader"), "autograde", ALL_ASSIGNMENTS, "--student", students, "--force"]
        return _run(cmd, folder, env, timeout=1800)

    with ThreadPoolExecutor(max_workers=3) as pool:
        ours_graded = pool.submit(course_grader)
        halves = [pool.submit(autograde, students) for students in STUDENT_HALVES]
        log = "\n".join(h.result() for h in halves)  # each cut by student below: the order is kept
        course_books = ours_graded.result()
    logs = _log_by_student(log)
    assert set(CHECK_CELL_STUDENTS) <= set(logs), sorted(logs)
    for student, text in logs.items():
        if student != CHECK_CELL_STUDENTS[1]:
            assert "error" not in text.lower().replace("autograded", ""), text[-3000:]
    tables: dict[str, list[tuple]] = {}
    with Gradebook(f"sqlite:///{folder / 'gradebook.db'}") as gb:
        for name, submissions in submitted.items():
            course_rows = course_books[name]
            table = []
            for student in submissions:
                nb = gb.find_submission_notebook(name[:-6], f"ps{name[:2]}", student)
                grades = {g.name.rsplit("-", 1)[0]: g for g in nb.grades}
                for q in _questions(name):
                    g = grades[q.qid]
                    theirs = "to mark" if g.needs_manual_grade else f"{g.score:g}"
                    table.append((student, q.qid, course_rows[student][q.qid], theirs))
            tables[name] = table
    return Autograded(logs, tables)


@pytest.fixture(scope="module")
def round_trips(autograded: Autograded) -> dict[str, list[tuple]]:
    """The tables of :func:`autograded`, by lesson."""
    return autograded.tables


def _show(name: str, table: list[tuple]) -> None:
    print(f"\n{name}\nstudent   question  course  nbgrader")
    for row in table:
        print(f"{row[0]:<9} {row[1]:<9} {row[2]:<7} {row[3]}")


def test_every_assignment_was_autograded_for_every_student(round_trips) -> None:
    assert LESSONS and sorted(round_trips) == LESSONS
    students = {name: {r[0] for r in table} for name, table in round_trips.items()}
    for name, seen in students.items():
        assert seen == ({"good", "blank", "partly"} if name == NOTEBOOK else {"good", "partly"}), name


def test_autograde_gives_the_same_points_as_the_course_grader(course, round_trips) -> None:
    table = round_trips[NOTEBOOK]
    _show(NOTEBOOK, table)
    assert [r[2] for r in table] == [r[3] for r in table]
    # The points differ between the submissions, so the comparison can fail.
    assert {r[2] for r in table} >= {"0", "1", "to mark"}
    # Under nbgrader the check cells still print the course's feedback above the failure.
    folder, _ = course
    graded = nbformat.read(folder / "autograded" / "partly" / "ps02" / NOTEBOOK, as_version=4)
    check = next(c for c in graded.cells if c.metadata["nbgrader"]["grade_id"] == "q2_1-check")
    text = "".join(o.get("text", "") for o in check.outputs if o.output_type == "stream")
    assert "NOT YET  q2_1: that is the share of workers alone" in text
    assert any(o.output_type == "error" and o.ename == "AssertionError" for o in check.outputs)


@pytest.mark.parametrize("name", [n for n in LESSONS if n != NOTEBOOK])
def test_autograde_agrees_on_the_other_lessons(round_trips, name: str) -> None:
    """Right, and every other checked answer replaced by a wrong value (-1 or None)."""
    table = round_trips[name]
    _show(name, table)
    assert [r[2] for r in table] == [r[3] for r in table]
    assert {r[2] for r in table} >= {"0", "1"}
    auto = {q.qid for q in _checked(name)}
    assert all(r[2] == "1" for r in table if r[0] == "good" and r[1] in auto)


def test_released_checksums_are_nbgrader_s_own(course) -> None:
    """The export predicts the checksum nbgrader stores in each released check cell."""
    from nbgrader.utils import compute_checksum

    from defection_course.grading.nbgrader_export import released_checksum

    folder, _ = course
    seen = 0
    for released in sorted((folder / "release").glob("*/*.ipynb")):
        source = nbformat.read(folder / "source" / released.parent.name / released.name, as_version=4)
        hidden = {
            c.metadata["nbgrader"]["grade_id"]: c for c in source.cells if "BEGIN HIDDEN TESTS" in c.source
        }
        for cell in nbformat.read(released, as_version=4).cells:
            gid = cell.metadata["nbgrader"]["grade_id"]
            if gid in hidden:
                seen += 1
                want = cell.metadata["nbgrader"]["checksum"]
                assert want == compute_checksum(cell)
                assert released_checksum(hidden[gid].source, hidden[gid].metadata["nbgrader"]) == want, gid
    assert seen >= 10


def test_autograde_warns_about_an_edited_check_cell_only(autograded: Autograded) -> None:
    """nbgrader called every untouched check cell changed (jupyter/nbgrader#1961); now only a real edit.

    Both students were autograded by the fixture's nbgrader calls; their logs are cut by student.
    """
    untouched, edited = (autograded.logs[s] for s in CHECK_CELL_STUDENTS)
    assert "has changed" not in untouched, untouched[-2000:]
    changed = [line for line in edited.splitlines() if "has changed" in line]
    assert len(changed) == 1 and "q2_3-check" in changed[0], edited[-2000:]
    # the other students' notebooks (released and filled in, checks untouched) were not called changed
    assert not any("has changed" in text for s, text in autograded.logs.items() if s != "edited_x")


def test_the_course_notebook_handed_in_to_nbgrader_gets_a_reason_not_zeros(course) -> None:
    """A student who hands in the course's own exercises/ notebook (not nbgrader's release) hands in
    no nbgrader cell; nbgrader alone would give every question 0 without an error."""
    folder, env = course
    student = folder / "submitted" / "course_copy" / "ps02"
    student.mkdir(parents=True)
    try:
        exercise = nbformat.read(ROOT / "exercises" / NOTEBOOK, as_version=4)
        nbformat.write(fill(exercise, solution_answers()), student / NOTEBOOK)  # right answers
        done = subprocess.run(
            [str(BIN / "nbgrader"), "autograde", "ps02", "--student", "course_copy", "--force"],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        log = done.stdout + done.stderr
        assert "has none of nbgrader's cells" in log and "defection_course grade" in log, log[-3000:]
        assert not (folder / "autograded" / "course_copy" / "ps02" / NOTEBOOK).exists()  # no zeros
    finally:
        import shutil

        shutil.rmtree(folder / "submitted" / "course_copy", ignore_errors=True)
        shutil.rmtree(folder / "autograded" / "course_copy", ignore_errors=True)
