"""The course registry: the one list of lessons, read from ``course.yml`` at the course's root.

Each lesson has a stable id (never derived from its file number), its file stem, title, times,
claims, tables, interactives and exercise points; see the comment at the top of ``course.yml``.
The file is read on first use (:func:`lessons`), never at import time, and checked against a
schema: an unknown or missing key, or a value of the wrong type, raises :class:`RegistryError`
naming the file, the lesson and the key.

What lists the lessons elsewhere is generated from here (:mod:`defection_course.authoring.course_blocks`
writes the README's table, the start page's map and the teaching guide's list) or checked against it
(``tests/tooling/test_course_registry.py``).
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import cells
from .errors import CourseError
from .paths import course_root

FILE_NAME = "course.yml"


class RegistryError(CourseError):
    """``course.yml`` does not follow its schema."""


@dataclass(frozen=True)
class Move:
    """One change a browser test makes to an interactive: the control (by its label) and the option."""

    control: str
    choose: str | tuple[str, ...]


@dataclass(frozen=True)
class Interactive:
    """One explorer of a lesson: the function in the lesson's module, its dashboard text and the
    changes a browser test makes to it (each must redraw its figure and summary)."""

    name: str
    dashboard: str | None = None
    moves: tuple[Move, ...] = ()


@dataclass(frozen=True)
class Exercises:
    """A lesson's exercise notebook: the prefix of its question ids and its automatic points."""

    questions: str
    points: int

    @property
    def check_number(self) -> int:
        """The number ``check_all`` and the notebooks' ``lesson`` metadata use (q5 -> 5)."""
        return int(self.questions[1:])


@dataclass(frozen=True)
class Lesson:
    """One lesson of the course, as ``course.yml`` declares it."""

    number: int  #: its position in the course (0 = the start page); shown, never an identity
    id: str
    stem: str
    title: str
    summary: str
    teaching_minutes: int
    exercise_minutes: int
    claims: tuple[str, ...]
    tables: tuple[str, ...]
    module: str | None = None
    interactives: tuple[Interactive, ...] = ()
    exercises: Exercises | None = None

    @property
    def notebook(self) -> str:
        """The lesson notebook's repository path."""
        return f"notebooks/{self.stem}.ipynb"

    @property
    def metadata_lesson(self) -> int:
        """The ``lesson`` number its notebooks carry: the question prefix's, else its position."""
        return self.exercises.check_number if self.exercises else self.number

    def interactive(self, name: str) -> Callable[[], Any]:
        """The function that builds one of its interactives (imported on demand)."""
        if self.module is None:
            raise RegistryError(f"{FILE_NAME}: lesson {self.id!r} has no module for interactive {name!r}")
        module = importlib.import_module(f"defection_course.lessons.{self.module}")
        build: Callable[[], Any] = getattr(module, name)
        return build


# ----------------------------------------------------------------------------- schema
_STR, _INT, _LIST = "a string", "a whole number", "a list of strings"
_REQUIRED = {
    "id": _STR,
    "stem": _STR,
    "title": _STR,
    "summary": _STR,
    "time": "",
    "claims": _LIST,
    "tables": _LIST,
}
_OPTIONAL = {"module": _STR, "interactives": "", "exercises": ""}
_TIME_KEYS = {"teaching": _INT, "exercises": _INT}
_EXERCISE_KEYS = {"questions": _STR, "points": _INT}
_INTERACTIVE_KEYS = {"name": _STR, "dashboard": _STR, "moves": ""}
_MOVE_KEYS = {"control": _STR, "choose": ""}


def _is(value: Any, kind: str) -> bool:
    if kind == _STR:
        return isinstance(value, str) and bool(value.strip())
    if kind == _INT:
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    if kind == _LIST:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return True


def _mapping(value: Any, keys: dict[str, str], required: set[str], where: str) -> dict[str, Any]:
    """``value`` checked as a mapping with only ``keys``, each of its kind, ``required`` present."""
    if not isinstance(value, dict):
        raise RegistryError(f"{where}: expected a mapping, found {type(value).__name__}")
    unknown = sorted(set(value) - set(keys))
    if unknown:
        raise RegistryError(f"{where}: unknown key {unknown[0]!r} (allowed: {', '.join(keys)})")
    missing = sorted(required - set(value))
    if missing:
        raise RegistryError(f"{where}: missing key {missing[0]!r}")
    for key, kind in keys.items():
        if key in value and not _is(value[key], kind):
            raise RegistryError(f"{where}: key {key!r} must be {kind}, found {value[key]!r}")
    return value


def _move(raw: Any, where: str) -> Move:
    data = _mapping(raw, _MOVE_KEYS, set(_MOVE_KEYS), where)
    choose = data["choose"]
    if isinstance(choose, list) and choose and all(isinstance(c, str) for c in choose):
        return Move(data["control"], tuple(choose))
    if not isinstance(choose, str):
        raise RegistryError(f"{where}: key 'choose' must be an option or a list of options, found {choose!r}")
    return Move(data["control"], choose)


def _interactive(raw: Any, where: str) -> Interactive:
    data = _mapping(raw, _INTERACTIVE_KEYS, {"name", "moves"}, where)
    where = f"{where} ({data['name']}), key 'moves'"
    if not isinstance(data["moves"], list) or not data["moves"]:
        raise RegistryError(f"{where}: list at least one change a browser test can make")
    moves = tuple(_move(m, where) for m in data["moves"])
    return Interactive(data["name"], data.get("dashboard"), moves)


def _lesson(number: int, raw: Any, where: str) -> Lesson:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        where = f"{where} ({raw['id']})"
    data = _mapping(raw, {**_REQUIRED, **_OPTIONAL}, set(_REQUIRED), where)
    time = _mapping(data["time"], _TIME_KEYS, set(_TIME_KEYS), f"{where}, key 'time'")
    interactives = data.get("interactives") or []
    if not isinstance(interactives, list):
        raise RegistryError(f"{where}: key 'interactives' must be a list")
    found = [_interactive(i, f"{where}, key 'interactives'") for i in interactives]
    exercises = None
    if "exercises" in data:
        ex = _mapping(data["exercises"], _EXERCISE_KEYS, set(_EXERCISE_KEYS), f"{where}, key 'exercises'")
        if not (ex["questions"].startswith("q") and ex["questions"][1:].isdigit()):
            raise RegistryError(
                f"{where}, key 'exercises': 'questions' must look like q1, found {ex['questions']!r}"
            )
        exercises = Exercises(**ex)
    if found and "module" not in data:
        raise RegistryError(f"{where}: key 'interactives' needs the key 'module'")
    return Lesson(
        number=number,
        id=data["id"],
        stem=data["stem"],
        title=data["title"],
        summary=data["summary"],
        teaching_minutes=time["teaching"],
        exercise_minutes=time["exercises"],
        claims=tuple(data["claims"]),
        tables=tuple(data["tables"]),
        module=data.get("module"),
        interactives=tuple(found),
        exercises=exercises,
    )


def _unique(lessons: list[Lesson], path: Path) -> None:
    for attr in ("id", "stem"):
        values = [getattr(lesson, attr) for lesson in lessons]
        twice = sorted({v for v in values if values.count(v) > 1})
        if twice:
            raise RegistryError(f"{path}: key {attr!r} repeats {twice[0]!r}")
    prefixes = [lesson.exercises.questions for lesson in lessons if lesson.exercises]
    twice = sorted({p for p in prefixes if prefixes.count(p) > 1})
    if twice:
        raise RegistryError(f"{path}: key 'exercises.questions' repeats {twice[0]!r}")


def parse(text: str, path: Path) -> tuple[Lesson, ...]:
    """The lessons a registry text declares, checked against the schema (``path`` names it in errors)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise RegistryError(f"{path}: not valid YAML: {err}") from None
    top = _mapping(data, {"lessons": ""}, {"lessons"}, str(path))
    if not isinstance(top["lessons"], list) or not top["lessons"]:
        raise RegistryError(f"{path}: key 'lessons' must be a non-empty list")
    found = [_lesson(i, raw, f"{path}: lesson {i}") for i, raw in enumerate(top["lessons"])]
    _unique(found, path)
    return tuple(found)


def load(path: Path) -> tuple[Lesson, ...]:
    """The lessons declared in one registry file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise RegistryError(f"{path}: cannot read the course registry ({err.strerror})") from None
    return parse(text, path)


@functools.lru_cache(maxsize=8)
def _cached(path: Path, stamp: tuple[int, int]) -> tuple[Lesson, ...]:
    return load(path)


def registry_path(root: Path | None = None) -> Path:
    """Where the registry of the course at ``root`` (default: this course) lives."""
    return (root or course_root()) / FILE_NAME


def lessons(root: Path | None = None) -> tuple[Lesson, ...]:
    """The course's lessons in teaching order (read on first use, again only when the file changes)."""
    path = registry_path(root)
    try:
        stat = path.stat()
    except OSError:
        return load(path)  # raises RegistryError naming the file
    return _cached(path, (stat.st_mtime_ns, stat.st_size))


def lesson(key: str, root: Path | None = None) -> Lesson:
    """One lesson, by its id or its file stem."""
    for found in lessons(root):
        if key in (found.id, found.stem):
            return found
    raise RegistryError(f"{registry_path(root)}: no lesson with id or stem {key!r}")


def notebook_tables(meta: Mapping[str, Any], root: Path | None = None) -> tuple[str, ...]:
    """The tables a lesson notebook loads, from its ``course.yml`` entry (found by the notebook's
    ``assignment``, its stem); ``()`` for other notebooks (solutions, the demo page).

    ``meta`` is the notebook's course metadata (:func:`defection_course.cells.course_meta`).
    """
    if meta.get(cells.ROLE) != "lesson" or not meta.get(cells.ASSIGNMENT):
        return ()
    return lesson(str(meta[cells.ASSIGNMENT]), root).tables


def with_exercises(root: Path | None = None) -> tuple[Lesson, ...]:
    """The lessons that have an exercise notebook (and a solution), in order."""
    return tuple(found for found in lessons(root) if found.exercises)


# ----------------------------------------------------------------------------- completeness
def _expected_files(found: Lesson) -> list[str]:
    """The repository files a registered lesson must have."""
    files = [f"notebooks/{found.stem}.md", f"notebooks/{found.stem}.ipynb"]
    if found.exercises:
        files += [
            f"solutions/{found.stem}.md",
            f"solutions/{found.stem}.ipynb",
            f"exercises/{found.stem}.ipynb",
        ]
    if found.module:
        files.append(f"defection_course/lessons/{found.module}.py")
    return files


def missing_pieces(root: Path | None = None) -> list[str]:
    """What keeps the course and its registry from matching: each a sentence saying what to add.

    Every registered lesson needs its lesson file, its solution and exercise (when it has
    exercises) and its lesson module; every lesson, solution, exercise and lesson module on disk
    needs a registry entry.
    """
    root = root or course_root()
    registered = lessons(root)
    problems = [
        f"{path} is missing (lesson {found.id!r} in {FILE_NAME})"
        for found in registered
        for path in _expected_files(found)
        if not (root / path).is_file()
    ]
    expected = {path for found in registered for path in _expected_files(found)}
    on_disk = [
        *sorted((root / "notebooks").glob("[0-9][0-9]_*.md")),
        *sorted((root / "solutions").glob("[0-9][0-9]_*.md")),
        *sorted((root / "exercises").glob("[0-9][0-9]_*.ipynb")),
        *sorted(p for p in (root / "defection_course" / "lessons").glob("*.py") if p.name != "__init__.py"),
    ]
    problems += [
        f"{path.relative_to(root).as_posix()} has no lesson in {FILE_NAME}: add its entry"
        for path in on_disk
        if path.relative_to(root).as_posix() not in expected
    ]
    return problems
