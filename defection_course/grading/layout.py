"""Find the submissions in the folders teachers really get, one entry per student.

Three layouts are recognised, and may be mixed:

* one file per student, named after the student: ``alice.ipynb`` -> ``alice``;
* nbgrader's ``submitted/<student>/<assignment>/<notebook>.ipynb`` (pass ``submitted/`` or the
  folder above it): the student is the folder name;
* learning-platform bulk downloads that put the student in the file name: Canvas
  (``lastfirst_12345_67890_02_social_origins.ipynb``, also ``lastfirst_LATE_...``) and Moodle
  (``Jane Doe_12345_assignsubmission_file_02_social_origins.ipynb``).

Two files for one student are never merged or silently dropped: the entry keeps both, and the
grader reports it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CourseError
from .submission import student_id

CANVAS = re.compile(r"^(?P<name>[^_]+?)(?:_late)?_(?P<uid>\d+)_(?P<sid>\d+)_(?P<file>.+)$", re.I)
MOODLE = re.compile(r"^(?P<name>.+?)_(?P<uid>\d+)_assignsubmission_file_(?P<file>.+)$")


@dataclass
class Entry:
    """One student's submission(s), as found in the folder."""

    student: str
    paths: list[Path] = field(default_factory=list)
    layout: str = "file"  #: file | nbgrader | canvas | moodle
    key: str = ""  #: what identifies the student (name and platform id), for duplicates

    @property
    def duplicate(self) -> bool:
        return len(self.paths) > 1


def _visible(p: Path) -> bool:
    return not p.name.startswith(".") and ".ipynb_checkpoints" not in p.parts


def _nbgrader(student_dir: Path, notebook: str) -> list[Path]:
    """The notebook(s) of one student in nbgrader's layout (``<student>/<assignment>/<nb>.ipynb``)."""
    found = sorted(
        p for p in student_dir.rglob("*.ipynb") if p.is_file() and _visible(p.relative_to(student_dir))
    )
    named = [p for p in found if p.name == notebook]
    return named or found


def _platform(path: Path) -> tuple[str, str, str] | None:
    """(name, platform id, layout) for a Canvas or Moodle bulk-download file name."""
    for layout, pattern in (("moodle", MOODLE), ("canvas", CANVAS)):
        m = pattern.match(path.name)
        if m:
            return m.group("name"), m.group("uid"), layout
    return None


def discover(folder: Path, notebook: str = "") -> list[Entry]:
    """Every student's submission in ``folder`` (``notebook`` is the exercise's file name)."""
    if not folder.is_dir():
        raise CourseError(f"{folder} is not a folder of submissions.")
    if (folder / "submitted").is_dir() and not any(p.is_file() and _visible(p) for p in folder.iterdir()):
        folder = folder / "submitted"  # the nbgrader course folder itself
    entries: dict[str, Entry] = {}
    platform_names: dict[str, set[str]] = {}
    for item in sorted(p for p in folder.iterdir() if _visible(p)):
        if item.is_dir():
            paths = _nbgrader(item, notebook)
            if paths:
                entry = entries.setdefault("dir:" + item.name, Entry(item.name, layout="nbgrader"))
                entry.paths += paths
            continue
        if not item.is_file():
            continue
        found = _platform(item)
        if found:
            name, uid, layout = found
            platform_names.setdefault(name, set()).add(uid)
            entry = entries.setdefault(
                f"{layout}:{name}_{uid}", Entry(name, layout=layout, key=f"{name}_{uid}")
            )
        else:
            sid = student_id(item)
            entry = entries.setdefault("file:" + sid, Entry(sid))
        entry.paths.append(item)
    for entry in entries.values():  # two students with the same name on a platform: add the id
        if entry.key and len(platform_names.get(entry.student, ())) > 1:
            entry.student = entry.key
    by_student: dict[str, Entry] = {}
    for entry in entries.values():  # the same student in two layouts is a duplicate too
        if entry.student in by_student:
            by_student[entry.student].paths += entry.paths
        else:
            by_student[entry.student] = entry
    return sorted(by_student.values(), key=lambda e: e.student)
