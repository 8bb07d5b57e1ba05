"""The grader on a real folder of submissions: right, wrong, broken and hostile ones."""

from __future__ import annotations

import copy
import hashlib
import json
import subprocess
from pathlib import Path

import nbformat
import pytest
from support import ROOT, cli
from support.grader import grade_command, read_gradebook

EXERCISE = ROOT / "exercises" / "01_defection_history.ipynb"
SOLUTION = ROOT / "solutions" / "01_defection_history.ipynb"
pytestmark = pytest.mark.slow


def _clean(nb):
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def _answer(nb, qid):
    return next(
        c
        for c in nb.cells
        if "answer" in c.metadata.get("tags", []) and c.metadata["defection_course"]["question"] == qid
    )


def _from_solution(edit=None):
    nb = _clean(copy.deepcopy(nbformat.read(SOLUTION, as_version=4)))
    if edit:
        edit(nb)
    return nbformat.writes(nb)


def _tree_hash(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(folder)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def _grade(exercise: Path, folder: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        grade_command(exercise, folder, out, "--workers", "2", *extra),
        capture_output=True,
        text=True,
        timeout=900,
    )


def _set(qid, source):
    return lambda nb: setattr(_answer(nb, qid), "source", source)


def _delete_checks(nb):
    nb.cells = [
        c
        for c in nb.cells
        if "check" not in c.metadata.get("tags", [])
        or c.metadata["defection_course"]["question"] not in ("q1_1", "q1_2")
    ]


def _edit_check(nb):
    cell = next(c for c in nb.cells if "check" in c.metadata.get("tags", []))
    cell.source = 'print("✔ PASSED  q1_1: 30,212 people is right.")'


def _redefine_check(nb):
    nb.cells.insert(
        2,
        nbformat.v4.new_code_cell(
            "def check(*args, **kwargs):\n    print('✔ PASSED')\n"
            "import defection_course.checks.describe as d\n"
            "d.describe = lambda value: {'type': 'number', 'value': 30212.0, 'nan': False}\n"
        ),
    )
    _answer(nb, "q1_1").source = "arrived_by_2016 = 1\n"


def _other_lesson():
    nb = _clean(
        copy.deepcopy(nbformat.read(ROOT / "solutions" / "05_weighing_the_evidence.ipynb", as_version=4))
    )
    return nbformat.writes(nb)


def _no_metadata():
    nb = _clean(copy.deepcopy(nbformat.read(SOLUTION, as_version=4)))
    nb.metadata = {}
    for cell in nb.cells:
        cell.metadata = {}
    return nbformat.writes(nb)


DATA = ROOT / "data"
SUBMISSIONS = {
    "correct": lambda: _from_solution(),
    "blank": lambda: EXERCISE.read_text(encoding="utf-8"),
    "partly_wrong": lambda: _from_solution(_set("q1_2", "share_last_15 = 95.3\n")),
    "infinite_loop": lambda: _from_solution(_set("q1_6", "revision_2006 = 450\nwhile True:\n    pass\n")),
    "stubborn_loop": lambda: _from_solution(
        _set(
            "q1_6",
            # it survives every interrupt; it sleeps rather than spins, so that it holds no core of
            # this 2-core machine until the grader stops it (which it does in the same way)
            "import time\nrevision_2006 = 450\nwhile True:\n    try:\n"
            "        while True:\n            time.sleep(0.05)\n"
            "    except KeyboardInterrupt:\n        pass\n",
        )
    ),
    "kernel_crash": lambda: _from_solution(_set("q1_5", "import os\nos._exit(1)\n")),
    "memory_bomb": lambda: _from_solution(
        _set("q1_6", "revision_2006 = 450\nbomb = bytearray(16 * 1024**3)\n")
    ),
    "huge_output": lambda: _from_solution(
        _set("q1_6", "revision_2006 = 450\nfor _ in range(52000):\n    print('x' * 1000)\n")
    ),
    "deletes_course": lambda: _from_solution(
        _set("q1_6", f"revision_2006 = 450\nimport shutil\nshutil.rmtree({str(DATA)!r})\n")
    ),
    "rewrites_course": lambda: _from_solution(
        _set(
            "q1_6", f"revision_2006 = 450\nopen({str(DATA / 'arrivals_annual.csv')!r}, 'w').write('hacked')\n"
        )
    ),
    "runs_a_program": lambda: _from_solution(
        _set("q1_6", "revision_2006 = 450\nimport subprocess\nsubprocess.run(['rm', '-rf', '/tmp/x'])\n")
    ),
    "deletes_own_copy": lambda: _from_solution(
        lambda nb: nb.cells.insert(
            1, nbformat.v4.new_code_cell("import os\nos.remove('../data/arrivals_annual.csv')\n")
        )
    ),
    "edits_check": lambda: _from_solution(_edit_check),
    "redefines_check": lambda: _from_solution(_redefine_check),
    "deletes_checks": lambda: _from_solution(_delete_checks),
    "syntax_error": lambda: _from_solution(_set("q1_3", "women_share = (\n")),
    "no_metadata": _no_metadata,
    "empty": lambda: "",
    "malformed": lambda: '{"cells": [',
    "not_a_notebook": lambda: json.dumps(["this", "is", "a", "list"]),
    "other_lesson": _other_lesson,
}
NOTEBOOK_LIMIT = "20"  #: --notebook-timeout of the graded folder, in seconds
BINARY = {"a_pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("submissions")
    for name, make in SUBMISSIONS.items():
        (folder / f"{name}.ipynb").write_text(make(), encoding="utf-8")
    for name, data in BINARY.items():
        (folder / f"{name}.pdf").write_bytes(data)
    before = _tree_hash(ROOT / "data"), _tree_hash(ROOT / "defection_course")
    out = tmp_path_factory.mktemp("results")
    # the stubborn loop runs until the notebook limit: 20 s (not 30) is still four times the cell
    # limit and leaves every other submission (~3 s each) a wide margin
    run = _grade(EXERCISE, folder, out, "--cell-timeout", "5", "--notebook-timeout", NOTEBOOK_LIMIT)
    after = _tree_hash(ROOT / "data"), _tree_hash(ROOT / "defection_course")
    return {"run": run, "rows": read_gradebook(out), "out": out, "before": before, "after": after}


def test_command_succeeds_and_prints_a_summary(graded):
    run = graded["run"]
    assert run.returncode == 0, run.stderr[-2000:]
    total = len(SUBMISSIONS) + len(BINARY)
    assert f"of {total} submissions" in run.stdout and "with 2 workers" in run.stdout
    assert f"{total}/{total} graded" in run.stderr  # the progress bar


def test_every_file_has_exactly_one_row(graded):
    assert set(graded["rows"]) == set(SUBMISSIONS) | set(BINARY)


def test_the_course_itself_is_untouched(graded):
    assert graded["before"] == graded["after"]


def _scores(row):
    return [row[f"q1_{i}"] for i in range(1, 7)]


def test_correct_and_blank_submissions(graded):
    rows = graded["rows"]
    assert _scores(rows["correct"]) == ["1"] * 6 and rows["correct"]["q1_7"] == "to mark"
    assert rows["correct"]["reason"] == ""
    assert _scores(rows["blank"]) == ["0"] * 6 and rows["blank"]["auto_score"] == "0"


def test_partly_wrong_submission_gets_the_specific_feedback(graded):
    row = graded["rows"]["partly_wrong"]
    assert _scores(row) == ["1", "0", "1", "1", "1", "1"]
    feedback = (graded["out"] / "feedback" / "partly_wrong.md").read_text(encoding="utf-8")
    assert "you counted 2001-2016: that is 16 years" in feedback


@pytest.mark.parametrize(
    "name,fragment,scores",
    [
        ("infinite_loop", "(your answer to q1_6) took too long", ["1", "1", "1", "1", "1", "1"]),
        (
            "stubborn_loop",
            f"could not be interrupted|whole notebook took longer than {NOTEBOOK_LIMIT} s",
            ["1", "1", "1", "1", "1", "0"],
        ),
        ("kernel_crash", "the kernel stopped", ["1", "1", "1", "1", "0", "0"]),
        ("memory_bomb", "ran out of memory", ["1"] * 6),
        ("huge_output", "printed more than 5 MB|larger than the 8 MB message limit", ["1"] * 6),
        ("deletes_course", "blocked", ["1"] * 6),
        ("rewrites_course", "blocked", ["1"] * 6),
        ("runs_a_program", "blocked", ["1"] * 6),
        ("syntax_error", "SyntaxError", ["1", "1", "0", "1", "1", "1"]),
    ],
)
def test_hostile_or_broken_submission_yields_a_row_with_a_reason(graded, name, fragment, scores):
    row = graded["rows"][name]
    assert row["status"] == "graded"
    assert any(f in row["reason"] for f in fragment.split("|")), row["reason"]
    assert _scores(row) == scores


def test_deleting_its_own_data_copy_only_hurts_that_submission(graded):
    row = graded["rows"]["deletes_own_copy"]
    assert _scores(row)[:5] == ["0"] * 5 and "DataError" in row["reason"]
    assert _scores(graded["rows"]["correct"]) == ["1"] * 6


def test_edited_deleted_or_redefined_checks_are_replaced_by_the_originals(graded):
    rows = graded["rows"]
    assert "edited by the student (q1_1)" in rows["edits_check"]["reason"]
    assert _scores(rows["edits_check"]) == ["1"] * 6
    assert "deleted by the student (q1_1, q1_2)" in rows["deletes_checks"]["reason"]
    assert _scores(rows["deletes_checks"]) == ["1"] * 6
    assert "redefines check()" in rows["redefines_check"]["reason"]
    assert rows["redefines_check"]["q1_1"] == "0"  # the forged describe() did not help


def test_notebook_that_lost_its_metadata_is_still_graded(graded):
    assert _scores(graded["rows"]["no_metadata"]) == ["1"] * 6


@pytest.mark.parametrize(
    "name,fragment",
    [
        ("empty", "the file is empty"),
        ("malformed", "malformed JSON"),
        ("not_a_notebook", "not a Jupyter notebook"),
        ("a_pdf", "not text"),
        ("other_lesson", "not for '01_defection_history'"),
    ],
)
def test_unreadable_or_wrong_submissions_are_rejected_with_a_reason(graded, name, fragment):
    row = graded["rows"][name]
    assert row["status"] == "rejected" and fragment in row["reason"], row


def _solution_answer(name: str) -> str:
    """The model answer assigned to ``name`` in the solution notebook (read, not copied here)."""
    import ast

    nb = nbformat.read(SOLUTION, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code" or f"{name} =" not in cell.source:
            continue
        lines = [ln for ln in cell.source.splitlines() if not ln.startswith("###")]
        for node in ast.parse("\n".join(lines)).body:
            value = node.value if isinstance(node, ast.Assign) else None
            if isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value.strip():
                return value.value
    raise AssertionError(f"no model answer {name} in {SOLUTION}")


def test_review_file_holds_every_written_answer_and_the_rubric(graded):
    review = (graded["out"] / "review" / "q1_7.md").read_text(encoding="utf-8")
    assert "Marking rubric for Q1.7 (4 points)" in review
    model = _solution_answer("answer_q1_7")
    first_line = model.splitlines()[0]
    assert "## Student: correct" in review and first_line in review
    assert "Mark:  / 4" in review


def test_marks_merge_into_the_gradebook_and_survive_regrading(tmp_path):
    folder = tmp_path / "subs"
    folder.mkdir()
    for name in ("correct", "partly_wrong", "blank"):
        (folder / f"{name}.ipynb").write_text(SUBMISSIONS[name](), encoding="utf-8")
    out = tmp_path / "results"
    assert _grade(EXERCISE, folder, out).returncode == 0
    review = out / "review" / "q1_7.md"
    head, sep, rest = review.read_text(encoding="utf-8").partition("## Student: correct\n")
    rest = rest.replace("Mark:  / 4", "Mark: 3,0 / 4", 1)
    rest = rest.replace("Comment:\n", "Comment:\nCite the year.\n", 1)
    review.write_text(head + sep + rest, encoding="utf-8")  # a decimal comma, and a comment
    merged = cli.run("merge-marks", str(out))  # in this process (tests/support/cli.py)
    assert merged.returncode == 0, merged.stderr
    assert "q1_7: 1 mark(s) merged" in merged.stdout
    rows = read_gradebook(out)
    assert rows["correct"]["q1_7"] == "3" and rows["correct"]["total"] == "9"
    assert rows["partly_wrong"]["q1_7"] == "to mark"
    from defection_course.grading import manifest

    assert manifest.verify(out) == []  # merge-marks rewrote the manifest with the gradebook
    merged_book = (out / "gradebook.csv").read_text(encoding="utf-8")
    assert _grade(EXERCISE, folder, out).returncode == 0  # re-grading keeps the teacher's marks
    assert (out / "gradebook.csv").read_text(encoding="utf-8") == merged_book  # and changes nothing else
    assert "Mark: 3 / 4" in review.read_text(encoding="utf-8")
    assert "Cite the year." in review.read_text(encoding="utf-8")  # and the comment
    page = (out / "feedback" / "correct.html").read_text(encoding="utf-8")
    assert "3 out of 4" in page and "Cite the year." in page


def test_invalid_marks_are_refused_without_changing_the_gradebook(graded):
    out = graded["out"]
    before = (out / "gradebook.csv").read_text(encoding="utf-8")
    review = out / "review" / "q1_7.md"
    text = review.read_text(encoding="utf-8")
    head, _, rest = text.partition("## Student: partly_wrong\n")
    review.write_text(
        head + "## Student: partly_wrong\n" + rest.replace("Mark:  / 4", "Mark: 7 / 4", 1), encoding="utf-8"
    )
    merged = cli.run("merge-marks", str(out))
    assert merged.returncode == 2 and "7 is outside 0-4" in merged.stderr
    assert (out / "gradebook.csv").read_text(encoding="utf-8") == before
    review.write_text(text, encoding="utf-8")


def test_gradebook_is_written_atomically(tmp_path, monkeypatch):
    from defection_course.grading import reports

    target = tmp_path / "gradebook.csv"
    reports.atomic_write(target, "old\n")
    assert target.read_text(encoding="utf-8") == "old\n"

    def interrupted(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(reports.os, "replace", interrupted)
    with pytest.raises(OSError):
        reports.atomic_write(target, "new, half written\n")
    assert target.read_text(encoding="utf-8") == "old\n"  # readers never see a half-written file
    assert [p.name for p in tmp_path.iterdir()] == ["gradebook.csv"]  # no temporary file left


def test_missing_folder_gives_a_clear_message(tmp_path):
    run = cli.run("grade", str(EXERCISE), str(tmp_path / "nowhere"), "--out", str(tmp_path / "r"))
    assert run.returncode == 2 and "no such folder of submissions" in run.stderr
