"""The exercise questions, as the checks need them at run time.

Every question is defined once, in its solution's MyST source (see
:mod:`defection_course.authoring.questions`); ``python -m defection_course build-questions``
writes, for each lesson N, what the checks need from those definitions into ``qN.questions.json``
(kinds, messages, hints: no code and no answers) and the salted answer hashes into
``qN.keys.json`` (:mod:`defection_course.checks.keys`), both in this folder. Edit the solution
source, never these files.

Nothing is read at import time: :data:`QUESTIONS` reads every lesson's file the first time it is
used, and :func:`questions_for` reads only its lesson's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from functools import cache, lru_cache
from pathlib import Path

from ..checks.spec import Question, question_from_json

#: The folder of the generated question files (next to this module, so a kernel whose course root
#: points elsewhere still reads the package's own).
SPECS_DIR = Path(__file__).resolve().parent
_SPEC_NAME = re.compile(r"q(\d+)\.questions\.json")


def spec_path(lesson: int, folder: Path = SPECS_DIR) -> Path:
    """The file holding one lesson's questions."""
    return folder / f"q{lesson}.questions.json"


def lessons() -> list[int]:
    """The lessons that have questions, in order."""
    found = (_SPEC_NAME.fullmatch(p.name) for p in SPECS_DIR.glob("q*.questions.json"))
    return sorted(int(m.group(1)) for m in found if m)


@cache
def _lesson(lesson: int) -> tuple[Question, ...]:
    path = spec_path(lesson)
    if not path.exists():
        return ()
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(question_from_json(data["questions"][qid]) for qid in data["order"])


def questions_for(lesson: int) -> list[Question]:
    """The questions of one lesson, in order (read from its own file only)."""
    return list(_lesson(int(lesson)))


@lru_cache(maxsize=1)
def _everything() -> dict[str, Question]:
    return {q.qid: q for lesson in lessons() for q in _lesson(lesson)}


def forget() -> None:
    """Drop what was read, so the next use reads the files again (after ``build-questions`` wrote them)."""
    _lesson.cache_clear()
    _everything.cache_clear()


class _AllQuestions(Mapping[str, Question]):
    """Every question by id, in course order; read on first use."""

    def _all(self) -> dict[str, Question]:
        return _everything()

    def __getitem__(self, qid: str) -> Question:
        return self._all()[qid]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def __repr__(self) -> str:
        return f"QUESTIONS({list(self)})"


QUESTIONS: Mapping[str, Question] = _AllQuestions()
