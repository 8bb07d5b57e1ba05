"""The exercise questions of every lesson (prompts are in the notebooks; here: what to check).

Each lesson module defines ``QUESTIONS`` (a list of :class:`~defection_course.checks.Question`).
The hashed answer keys are in ``keys.json``, written by ``tools/make_answer_keys.py``.
"""

from __future__ import annotations

from importlib import import_module

from ..checks.spec import Question

LESSON_MODULES = {1: "lesson1", 2: "lesson2", 3: "lesson3", 4: "lesson4", 5: "lesson5"}


def _load() -> dict[str, Question]:
    out: dict[str, Question] = {}
    for lesson, name in LESSON_MODULES.items():
        try:
            module = import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__name__}.{name}":
                continue  # lesson not written yet
            raise
        for q in module.QUESTIONS:
            if q.qid in out:
                raise ValueError(f"duplicate question id {q.qid}")
            if q.lesson != lesson:
                raise ValueError(f"{q.qid} is in lesson module {lesson} but says lesson {q.lesson}")
            out[q.qid] = q
    return out


QUESTIONS: dict[str, Question] = _load()


def questions_for(lesson: int) -> list[Question]:
    """The questions of one lesson, in order."""
    return [q for q in QUESTIONS.values() if q.lesson == lesson]
