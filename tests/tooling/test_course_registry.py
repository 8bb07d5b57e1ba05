"""The course registry (course.yml): its schema, and everything that lists the lessons held to it.

A new lesson fails here until it has each piece: its lesson file, its solution (and the exercise
built from it), its module in defection_course/lessons/ and its registry entry; the lists of
lessons elsewhere (README, start page, teaching guide, dashboard, website, benchmark, the notebooks'
own metadata and times, the questions' ids) are compared with the registry, not with a number
typed into a test.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jupytext
import pytest
from support import ROOT

from defection_course import cells, course, widgets
from defection_course.authoring import course_blocks, site_build
from defection_course.claims import CLAIMS
from defection_course.lessons.evidence import CLAIM_TABLES
from defection_course.questions import QUESTIONS

LESSONS = course.lessons(ROOT)
ENTRY = """lessons:
  - id: x
    stem: 01_x
    title: X
    summary: s
    time: {teaching: 10, exercises: 5}
    claims: []
    tables: []
"""


def _parse(text: str):
    return course.parse(text, Path("course.yml"))


def _meta(path: Path) -> dict:
    return cells.course_meta(jupytext.read(path, fmt="md:myst"))


# ----------------------------------------------------------------------------- the schema
def test_a_valid_entry_parses():
    (found,) = _parse(ENTRY)
    assert (found.number, found.id, found.stem, found.teaching_minutes, found.exercises) == (
        0,
        "x",
        "01_x",
        10,
        None,
    )


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (ENTRY + "    colour: red\n", "course.yml: lesson 0 (x): unknown key 'colour'"),
        (ENTRY.replace("    title: X\n", ""), "course.yml: lesson 0 (x): missing key 'title'"),
        (ENTRY.replace("teaching: 10", "teaching: ten"), "key 'time': key 'teaching' must be a whole number"),
        (ENTRY.replace("teaching: 10", "teching: 10"), "key 'time': unknown key 'teching'"),
        (
            ENTRY + "    exercises: {questions: q1, points: 3, bonus: 1}\n",
            "key 'exercises': unknown key 'bonus'",
        ),
        (ENTRY + "    exercises: {questions: Q1, points: 3}\n", "'questions' must look like q1"),
        (
            ENTRY + "    interactives: [{name: f, moves: [{control: C, choose: o}]}]\n",
            "needs the key 'module'",
        ),
        (ENTRY + "    module: m\n    interactives: [{name: f, dashbord: t}]\n", "unknown key 'dashbord'"),
        (ENTRY + "    module: m\n    interactives: [{name: f}]\n", "key 'interactives': missing key 'moves'"),
        (
            ENTRY + "    module: m\n    interactives: [{name: f, moves: []}]\n",
            "(f), key 'moves': list at least one",
        ),
        (
            ENTRY + "    module: m\n    interactives: [{name: f, moves: [{control: C, choose: 3}]}]\n",
            "'choose' must be",
        ),
        (ENTRY + ENTRY.replace("lessons:\n", ""), "course.yml: key 'id' repeats 'x'"),
        (ENTRY.replace("lessons:", "lesons:"), "course.yml: unknown key 'lesons'"),
        ("lessons: [\n", "course.yml: not valid YAML"),
    ],
)
def test_the_schema_rejects_a_wrong_entry_naming_the_file_and_key(text, says):
    with pytest.raises(course.RegistryError) as err:
        _parse(text)
    assert says in str(err.value)


def test_the_registry_is_read_on_first_use_not_at_import(tmp_path):
    code = (
        "import defection_course.course as c, defection_course.dashboard\n"
        "try:\n    c.lessons()\nexcept c.RegistryError as err:\n    print(err)\n"
    )
    env = {"DEFECTION_COURSE_ROOT": str(tmp_path), "PYTHONPATH": str(ROOT), "PATH": ""}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith(f"{tmp_path / 'course.yml'}: cannot read the course registry")


# ----------------------------------------------------------------------------- every piece of a lesson
def test_every_registered_lesson_has_each_piece_and_every_piece_is_registered():
    assert course.missing_pieces(ROOT) == []


def _scratch(tmp_path: Path) -> Path:
    """A copy of the files the completeness check reads."""
    for sub in ("notebooks", "solutions", "exercises", "defection_course/lessons"):
        shutil.copytree(ROOT / sub, tmp_path / sub, ignore=shutil.ignore_patterns("__pycache__", "demo"))
    shutil.copy(ROOT / "course.yml", tmp_path / "course.yml")
    return tmp_path


def test_a_new_lesson_fails_until_each_piece_is_there(tmp_path):
    root = _scratch(tmp_path)
    (root / "notebooks" / "99_new.md").write_text("# 6. New\n", encoding="utf-8")
    assert course.missing_pieces(root) == ["notebooks/99_new.md has no lesson in course.yml: add its entry"]
    with (root / "course.yml").open("a", encoding="utf-8") as fh:
        fh.write(
            "\n  - id: new\n    stem: 99_new\n    title: New\n    summary: s\n"
            "    time: {teaching: 10, exercises: 5}\n    claims: []\n    tables: []\n    module: new\n"
            "    exercises: {questions: q99, points: 1}\n"
        )
    expected = [
        "notebooks/99_new.ipynb",
        "solutions/99_new.md",
        "solutions/99_new.ipynb",
        "exercises/99_new.ipynb",
        "defection_course/lessons/new.py",
    ]
    for i, path in enumerate(expected):
        assert course.missing_pieces(root) == [
            f"{p} is missing (lesson 'new' in course.yml)" for p in expected[i:]
        ]
        (root / path).write_text("", encoding="utf-8")
    assert course.missing_pieces(root) == []
    (root / "defection_course" / "lessons" / "stray.py").write_text("", encoding="utf-8")
    assert course.missing_pieces(root) == [
        "defection_course/lessons/stray.py has no lesson in course.yml: add its entry"
    ]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda x: x.id)
def test_each_notebook_states_its_registered_number_stem_tables_and_time(lesson):
    meta = _meta(ROOT / "notebooks" / f"{lesson.stem}.md")
    assert (meta[cells.LESSON], meta[cells.ASSIGNMENT]) == (lesson.metadata_lesson, lesson.stem)
    assert "tables" not in meta, "course.yml lists the lesson's tables; the notebook must not repeat them"
    text = (ROOT / "notebooks" / f"{lesson.stem}.md").read_text(encoding="utf-8")
    assert f"\n# {lesson.number}. {lesson.title}" in text
    assert (
        f"**Teaching:** {lesson.teaching_minutes} min · **Exercises:** {lesson.exercise_minutes} min" in text
    )
    if lesson.exercises:
        solution = ROOT / "solutions" / f"{lesson.stem}.md"
        assert _meta(solution)[cells.LESSON] == lesson.metadata_lesson
        said = f"**Time:** about {lesson.exercise_minutes} minutes · **Lesson:** "
        assert said + f"[{lesson.number}. {lesson.title}]" in solution.read_text(encoding="utf-8")


def test_question_ids_keep_their_registered_prefix_and_points():
    prefixes = {x.exercises.questions: x for x in course.with_exercises(ROOT)}
    assert {qid.split("_")[0] for qid in QUESTIONS} == set(prefixes)
    for prefix, lesson in prefixes.items():
        mine = [q for q in QUESTIONS.values() if q.qid.startswith(prefix + "_")]
        assert all(q.lesson == lesson.exercises.check_number for q in mine)
        auto = sum(q.points for q in mine if q.kind != "text")
        assert auto == lesson.exercises.points, (
            f"{lesson.id}: course.yml says {lesson.exercises.points} points"
        )


def test_claims_and_their_tables_belong_to_the_lesson_that_tests_them():
    by_number = {x.metadata_lesson: x for x in LESSONS}
    for claim in CLAIMS:
        assert claim.id in by_number[claim.lesson].claims, f"{claim.id}: course.yml does not list it"
        assert set(CLAIM_TABLES[claim.id]) <= set(by_number[claim.lesson].tables), claim.id
    assert {c for x in LESSONS for c in x.claims} == {c.id for c in CLAIMS} == set(CLAIM_TABLES)


# ----------------------------------------------------------------------------- lists generated or checked
def test_the_generated_lesson_lists_are_up_to_date():
    assert course_blocks.update(ROOT, check_only=True) == [], "run `make sync`"


def test_a_stale_lesson_list_is_found_and_rewritten(tmp_path):
    for block in course_blocks.BLOCKS:
        (tmp_path / block.path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / block.path, tmp_path / block.path)
    shutil.copy(ROOT / "course.yml", tmp_path / "course.yml")
    registry = tmp_path / "course.yml"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace("The purge shift", "Purges"), encoding="utf-8"
    )
    stale = [b.path for b in course_blocks.BLOCKS]
    assert course_blocks.update(tmp_path, check_only=True) == stale
    assert "Purges" not in (tmp_path / "README.md").read_text(encoding="utf-8")
    assert course_blocks.update(tmp_path) == stale
    assert course_blocks.update(tmp_path, check_only=True) == []
    start = (tmp_path / "notebooks" / "00_start_here.md").read_text(encoding="utf-8")
    assert "| 3 | [Purges](03_purge_shift.ipynb) |" in start


def test_a_block_without_its_markers_is_an_error():
    with pytest.raises(course_blocks.BlockError, match=r"x\.md: the markers of the generated block 'm'"):
        course_blocks.replace_block("no markers here", "m", "body", "x.md")


def test_the_dashboard_shows_the_registered_interactives_in_order():
    from defection_course.dashboard import sections

    expected = [(x, i) for x in LESSONS for i in x.interactives if i.dashboard]
    got = sections()
    assert [title for title, _, _ in got] == [f"Lesson {x.number} - {x.title}" for x, _ in expected]
    assert [build.__name__ for _, build, _ in got] == [i.name for _, i in expected]


def test_every_widget_of_the_facade_is_a_registered_interactive():
    registered = {i.name for x in LESSONS for i in x.interactives}
    assert {name for name in widgets.__all__ if not name[0].isupper()} <= registered  # classes aside
    for lesson in LESSONS:
        for item in lesson.interactives:
            assert callable(lesson.interactive(item.name)), f"{lesson.module}.{item.name}"


def test_the_site_shows_the_lessons_in_registry_order():
    shown = [path for path, kind in site_build.notebook_sources(ROOT, teacher=True)]
    assert [p for p in shown if p.startswith("notebooks/")] == [x.notebook for x in LESSONS]
    assert [p for p in shown if p.startswith("solutions/")] == [
        f"solutions/{x.stem}.ipynb" for x in course.with_exercises(ROOT)
    ]


def test_the_latency_benchmark_covers_every_registered_interactive():
    spec = importlib.util.spec_from_file_location("widget_latency", ROOT / "benchmarks" / "widget_latency.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    names = [re.sub(r" \(lesson \d+\)$", "", name) for name, _, _ in bench.scenarios()]
    assert names == [i.name for x in LESSONS for i in x.interactives]
    assert set(bench.CHANGES) <= set(names), "CHANGES lists an interactive the course no longer has"
