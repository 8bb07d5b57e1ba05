"""Read one submitted file and decide whether it can be graded, and for which exercise."""

from __future__ import annotations

import errno
import json
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .. import cells
from .safefs import TooLarge, read_no_follow

MAX_BYTES = 20 * 1024 * 1024  #: the default of ``Limits.submission_mb``
QID = re.compile(r"""check\(\s*["'](q(\d+)_\d+)["']""")


class Rejected(Exception):
    """The file cannot be graded; the message is the reason written to the gradebook."""


@dataclass
class Submission:
    """A submission that parsed as a notebook."""

    student: str
    path: Path
    notebook: nbformat.NotebookNode


def student_id(path: Path) -> str:
    """The student id is the file name without its extension (e.g. ``alice.ipynb`` -> ``alice``)."""
    name = path.name
    for suffix in (".ipynb", ".json", ".txt"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def _too_large(size: int, max_bytes: int) -> Rejected:
    return Rejected(
        f"the file is {size // 2**20} MB, larger than the {max_bytes // 2**20} MB "
        "limit: ask for a copy with outputs cleared"
    )


def read_bounded(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes, never through a link, refused by its size (``fstat``) before any is read,
    and never more than ``max_bytes`` read (a file that grows meanwhile is refused too)."""
    try:
        return read_no_follow(path, max_bytes)
    except TooLarge as exc:
        raise _too_large(exc.size, max_bytes) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Rejected("the file is a symbolic link, not a file the student handed in") from None
        raise Rejected(f"the file could not be read ({exc.strerror})") from None


def read(path: Path, max_bytes: int = MAX_BYTES) -> Submission:
    """Parse a submission, or raise :class:`Rejected` with a reason a teacher can act on."""
    sid = student_id(path)
    raw = read_bounded(path, max_bytes)
    if not raw.strip():
        raise Rejected("the file is empty: ask the student to save the notebook and submit it again")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Rejected(
            "the file is not a Jupyter notebook (it is not text: perhaps a PDF or a zip file)"
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise Rejected(
            f"the notebook file is damaged (malformed JSON at line {exc.lineno}, "
            f"column {exc.colno}): ask the student for a fresh copy"
        ) from None
    if not isinstance(data, dict) or "cells" not in data:
        raise Rejected("the file is JSON but not a Jupyter notebook (it has no cells)")
    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception as exc:  # nbformat raises several types for bad structure
        raise Rejected(f"the notebook cannot be read ({type(exc).__name__}): ask for a fresh copy") from None
    return Submission(sid, path, nb)


def assignment_of(nb: nbformat.NotebookNode) -> str | None:
    """Which exercise a notebook was made for: its metadata, or the lesson of its check cells."""
    assignment = cells.course_meta(nb).get(cells.ASSIGNMENT)
    if assignment:
        return str(assignment)
    return None


def lesson_of(nb: nbformat.NotebookNode) -> int | None:
    """The lesson number, from metadata or from the question ids in the notebook's check calls."""
    lesson = cells.course_meta(nb).get(cells.LESSON)
    if isinstance(lesson, int):
        return lesson
    lessons = {int(m.group(2)) for cell in nb.cells for m in QID.finditer(cell.get("source", ""))}
    return lessons.pop() if len(lessons) == 1 else None


def ensure_matches(sub: Submission, exercise: nbformat.NotebookNode) -> None:
    """Reject a submission made for a different exercise notebook."""
    want, got = assignment_of(exercise), assignment_of(sub.notebook)
    if got is not None and want is not None and got != want:
        raise Rejected(
            f"this is the notebook for '{got}', not for '{want}': the student submitted the wrong exercise"
        )
    want_lesson, got_lesson = lesson_of(exercise), lesson_of(sub.notebook)
    if got_lesson is not None and want_lesson is not None and got_lesson != want_lesson:
        raise Rejected(
            f"this notebook has the checks of lesson {got_lesson}, not lesson "
            f"{want_lesson}: the student submitted the wrong exercise"
        )
    if got is None and got_lesson is None:
        raise Rejected(
            "the notebook is not one of the course's exercise notebooks (no course "
            "metadata and no check cells)"
        )
