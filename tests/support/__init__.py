"""Support code for the test suite: paths, notebook lists, browser, class and prose-fact helpers."""

from __future__ import annotations

from pathlib import Path

from defection_course import course

ROOT = Path(__file__).resolve().parents[2]

#: The notebooks of the lessons in the course registry (course.yml), in its order; the files on
#: disk are held to it by tests/tooling/test_course_registry.py.
LESSONS = [ROOT / "notebooks" / f"{lesson.stem}.ipynb" for lesson in course.lessons(ROOT)]
SOLUTIONS = [ROOT / "solutions" / f"{lesson.stem}.ipynb" for lesson in course.with_exercises(ROOT)]
EXERCISES = [ROOT / "exercises" / f"{lesson.stem}.ipynb" for lesson in course.with_exercises(ROOT)]
DEMO = [ROOT / "notebooks" / "demo" / "dashboard.ipynb"]
ALL_NOTEBOOKS = LESSONS + SOLUTIONS + EXERCISES + DEMO
OFFLINE = ROOT / "tests" / "support" / "offline"  #: a sitecustomize that blocks the network

#: The answer cases ``build-questions`` writes, one file per lesson (``qN.answer_cases.json``).
GENERATED = ROOT / "tests" / "generated"


def answer_cases() -> dict[str, dict[str, object]]:
    """Every question's described cases (all lessons' files merged), by question id."""
    import json

    cases: dict[str, dict[str, object]] = {}
    for path in sorted(GENERATED.glob("q*.answer_cases.json"), key=lambda p: int(p.name[1:].split(".")[0])):
        cases.update(json.loads(path.read_text(encoding="utf-8")))
    return cases
