"""The exercise questions, as the checks need them at run time.

Every question is defined once, in its solution's MyST source (see
:mod:`defection_course.authoring.questions`); ``python -m defection_course build-questions``
writes what the checks need from those definitions into ``questions.json`` (kinds, messages,
hints: no code and no answers) and the salted answer hashes into ``keys.json``. Edit the
solution source, never these files.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..checks.spec import Question, question_from_json

SPECS_PATH = Path(__file__).resolve().parent / "questions.json"


def _load() -> dict[str, Question]:
    data = json.loads(SPECS_PATH.read_text(encoding="utf-8"))
    return {qid: question_from_json(data["questions"][qid]) for qid in data["order"]}


QUESTIONS: dict[str, Question] = _load()


def questions_for(lesson: int) -> list[Question]:
    """The questions of one lesson, in order."""
    return [q for q in QUESTIONS.values() if q.lesson == lesson]
