"""The lesson lists written from the course registry (``course.yml``) into the documentation.

Each list sits in its file between two HTML comments (invisible when rendered)::

    <!-- begin generated: lesson-table (from course.yml; `make sync` rewrites it) -->
    ...
    <!-- end generated: lesson-table -->

``python -m defection_course sync`` rewrites every block that differs from the registry (before
it syncs the notebooks, so the start page's ``.ipynb`` follows its ``.md``); ``sync --check``
fails while one is stale. Text outside the markers is never touched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .. import course
from ..course import Lesson
from ..errors import CourseError
from ..paths import course_root


class BlockError(CourseError):
    """A generated block's markers are missing or out of order."""


def _begin(name: str) -> str:
    return f"<!-- begin generated: {name} (from course.yml; `make sync` rewrites it) -->"


def _end(name: str) -> str:
    return f"<!-- end generated: {name} -->"


def _time(lesson: Lesson) -> str:
    if lesson.exercise_minutes:
        return f"{lesson.teaching_minutes} + {lesson.exercise_minutes} min"
    return f"{lesson.teaching_minutes} min"


def _claims(lesson: Lesson, every: tuple[str, ...]) -> str:
    return "all" if set(lesson.claims) == set(every) else ", ".join(lesson.claims)


def _all_claims() -> tuple[str, ...]:
    from ..claims import CLAIMS

    return tuple(c.id for c in CLAIMS)


def readme_table(lessons: tuple[Lesson, ...]) -> str:
    """The README's table of lessons: number, link, what it tests, time."""
    rows = ["| # | Notebook | Claim tested | Time (teach + exercises) |", "|---|---|---|---|"]
    rows += [f"| {x.number} | [{x.title}]({x.notebook}) | {x.summary} | {_time(x)} |" for x in lessons]
    return "\n".join(rows)


def start_map(lessons: tuple[Lesson, ...]) -> str:
    """The start page's course map: each lesson with exercises, its notebooks and claims (no
    solutions: learners see them when their teacher decides; see the start page)."""
    every = _all_claims()
    rows = ["| # | Lesson | Exercises | Claims |", "|---|---|---|---|"]
    rows += [
        f"| {x.number} | [{x.title}]({x.stem}.ipynb) | [exercises](../exercises/{x.stem}.ipynb) "
        f"| {_claims(x, every)} |"
        for x in lessons
        if x.exercises
    ]
    return "\n".join(rows)


def teaching_list(lessons: tuple[Lesson, ...]) -> str:
    """The teaching guide's list of exercise notebooks, their claims, points and times."""
    every = _all_claims()
    rows = [
        "| Exercise notebook | Lesson | Claims | Automatically checked points | Time |",
        "|---|---|---|---|---|",
    ]
    rows += [
        f"| `exercises/{x.stem}.ipynb` | {x.number}. {x.title} | {_claims(x, every)} "
        f"| {x.exercises.points} (questions {x.exercises.questions}_*) | {x.exercise_minutes} min |"
        for x in lessons
        if x.exercises
    ]
    return "\n".join(rows)


@dataclass(frozen=True)
class Block:
    """One generated list: the file it lives in, its marker name and how it is written."""

    path: str  #: repository path
    name: str
    render: Callable[[tuple[Lesson, ...]], str]


BLOCKS = (
    Block("README.md", "lesson-table", readme_table),
    Block("notebooks/00_start_here.md", "course-map", start_map),
    Block("docs/teaching.md", "exercise-list", teaching_list),
)


def replace_block(text: str, name: str, body: str, where: str) -> str:
    """``text`` with the block ``name`` holding ``body`` (the markers themselves kept)."""
    begin, end = _begin(name), _end(name)
    start, stop = text.find(begin), text.find(end)
    if start < 0 or stop < start:
        raise BlockError(f"{where}: the markers of the generated block {name!r} are missing or out of order")
    return text[: start + len(begin)] + "\n" + body + "\n" + text[stop:]


def update(root: Path | None = None, check_only: bool = False) -> list[str]:
    """Rewrite each stale block (or, with ``check_only``, only list them); return the stale files."""
    root = root or course_root()
    lessons = course.lessons(root)
    stale = []
    for block in BLOCKS:
        path = root / block.path
        text = path.read_text(encoding="utf-8")
        fresh = replace_block(text, block.name, block.render(lessons), block.path)
        if fresh != text:
            stale.append(block.path)
            if not check_only:
                path.write_text(fresh, encoding="utf-8")
    return stale
