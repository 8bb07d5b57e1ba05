"""The hand-out for graded work holds no answer: searched for every model-answer sentence, every
rubric sentence and every expected value, in the files where an answer key could hide.

What counts as an answer comes from outside the hand-out code: the generated answer cases
(tests/generated/qN.answer_cases.json, every question's expected value) and the solution notebooks'
rubric cells.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from support import ROOT, answer_cases, cli

from defection_course import cells
from defection_course.questions import QUESTIONS

CASES = answer_cases()


@pytest.fixture(scope="module")
def handout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("handout") / "class"
    done = cli.run("handout", str(out), "--list")  # in this process (tests/support/cli.py)
    assert done.returncode == 0, done.stderr
    print("\n" + done.stdout)
    return out


def _texts(folder: Path) -> dict[str, str]:
    found = {}
    for p in folder.rglob("*"):
        if p.is_file() and p.suffix not in (".png", ".jpg", ".svg", ".woff2"):
            found[p.relative_to(folder).as_posix()] = " ".join(
                p.read_text(encoding="utf-8", errors="replace").split()
            )
    return found


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?:;])\s+", " ".join(text.split())) if len(s) >= 40]


def model_answer_sentences() -> list[str]:
    """Every sentence of every written question's model answer (the expected value of a text question)."""
    return [
        s
        for qid, case in CASES.items()
        if QUESTIONS[qid].kind == "text" and case["expected"]["type"] == "string"
        for s in _sentences(case["expected"]["value"])
    ]


def rubric_sentences() -> list[str]:
    found = []
    for path in sorted((ROOT / "solutions").glob("[0-9][0-9]_*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cells.is_rubric_cell(cell):
                text = re.sub(r"<!--.*?-->", "", cell.source, flags=re.S)  # authoring tags
                found += _sentences(re.sub(r"[*_#`]", "", text))
    return found


def number_forms(expected: dict) -> list[str]:
    """How an expected number would be written (only those specific enough to search: 3+ digits)."""
    x = expected["value"]
    forms = {f"{int(x)}", f"{int(x):,}"} if expected["integer"] else {f"{x}"}
    return [
        f for f in forms if len(re.sub(r"\D", "", f)) >= 3 and f not in {str(y) for y in range(1900, 2031)}
    ]


def test_nothing_that_holds_an_answer_is_handed_out(handout: Path) -> None:
    files = {p.relative_to(handout).as_posix() for p in handout.rglob("*") if p.is_file()}
    assert files, "empty hand-out"
    for part in ("solutions/", "tests/", "docs/", "site/", "benchmarks/", "defection_course/authoring/"):
        assert not any(f.startswith(part) for f in files), part
    assert "notebooks/instructor_guide.md" not in files
    assert {f"exercises/{p.name}" for p in (ROOT / "exercises").glob("*.ipynb")} <= files
    assert {f"data/{p.name}" for p in (ROOT / "data").glob("*.csv")} <= files
    assert "defection_course/questions/q1.keys.json" in files and "defection_course/checks/spec.py" in files
    for path in sorted((handout / "exercises").glob("*.ipynb")):  # no solution-only cell slipped in
        for cell in nbformat.read(path, as_version=4).cells:
            assert not cells.is_rubric_cell(cell), path


def test_no_model_answer_or_rubric_sentence_anywhere(handout: Path) -> None:
    texts = _texts(handout)
    sentences = model_answer_sentences() + rubric_sentences()
    assert len(sentences) > 30  # the search has something to find
    failures = []
    for sentence in sentences:
        hits = [name for name, text in texts.items() if sentence in text]
        if hits:
            failures.append((sentence, hits))
    assert not failures, failures


def test_no_expected_value_where_an_answer_key_could_hide(handout: Path) -> None:
    """The exercises, the package's question and check code, and the top-level files hold no expected
    value (the lessons and the data are the course's teaching material, handed out on purpose)."""
    texts = {
        name: text
        for name, text in _texts(handout).items()
        if name.startswith(("exercises/", "defection_course/questions/", "defection_course/checks/"))
        or "/" not in name
    }
    searched, found = 0, []
    for qid, case in CASES.items():
        expected = case["expected"]
        if expected["type"] != "number":
            continue
        for form in number_forms(expected):
            searched += 1
            pattern = re.compile(r"(?<![\w.,])" + re.escape(form) + r"(?![\w]|[.,]\d)")
            hits = [name for name, text in texts.items() if pattern.search(text)]
            found += [(qid, form, hits)] if hits else []
    assert not found, found
    assert searched >= 10


def test_no_link_or_pointer_to_the_solutions(handout: Path) -> None:
    for name, text in _texts(handout).items():
        if name.endswith((".ipynb", ".md")):
            assert "solutions/" not in text, name
            assert "instructor_guide" not in text and "docs/teaching" not in text, name
    start = (handout / "notebooks" / "00_start_here.md").read_text(encoding="utf-8")
    assert "| # | Lesson | Exercises | Claims |" in start  # the course map, without its Solutions column
    assert "[exercises](../exercises/02_social_origins.ipynb)" in start


def test_a_second_handout_into_the_same_folder_is_refused(handout: Path) -> None:
    done = cli.run("handout", str(handout))
    assert done.returncode == 2 and "not empty" in done.stderr
