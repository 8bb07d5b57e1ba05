"""Find the submissions in the folders teachers really get, one entry per student.

Three layouts are recognised, and may be mixed:

* one file per student, named after the student: ``alice.ipynb`` -> ``alice``;
* nbgrader's ``submitted/<student>/<assignment>/<notebook>.ipynb`` (pass ``submitted/`` or the
  folder above it): the student is the folder name;
* learning-platform bulk downloads that put the student in the file name: Canvas
  (``lastfirst_12345_67890_02_social_origins.ipynb``, also ``lastfirst_LATE_...``) and Moodle
  (``Jane Doe_12345_assignsubmission_file_02_social_origins.ipynb``).

Two files for one student are never merged or silently dropped: the entry keeps both, and the
grader reports it. "One student" means one identity (:mod:`.identity`): ``José`` in NFC and NFD,
``Alice`` and ``alice`` are the same person. A name that is not an identity (a line break or a
control character, undecodable bytes, too long) and a symbolic link anywhere in a submission
(a link to ``solutions/``, a student folder linked elsewhere) give an entry with a ``problem``:
that student's row says why, the rest of the class is graded.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CourseError
from .identity import BadName, identity, shown
from .submission import student_id

LINKED = (
    "{what} is a symbolic link, not a file the student handed in: not graded (copy the student's "
    "own file into the submissions folder and grade again)"
)

CANVAS = re.compile(r"^(?P<name>[^_]+?)(?:_late)?_(?P<uid>\d+)_(?P<sid>\d+)_(?P<file>.+)$", re.I)
MOODLE = re.compile(r"^(?P<name>.+?)_(?P<uid>\d+)_assignsubmission_file_(?P<file>.+)$")


@dataclass
class Entry:
    """One student's submission(s), as found in the folder."""

    student: str
    paths: list[Path] = field(default_factory=list)
    layout: str = "file"  #: file | nbgrader | canvas | moodle
    key: str = ""  #: what identifies the student (name and platform id), for duplicates
    problem: str = ""  #: why this entry cannot be graded (a bad name, a link), for its row
    identity_key: str = ""  #: the student's identity (see :mod:`.identity`)

    @property
    def duplicate(self) -> bool:
        return len(self.paths) > 1


def _visible(p: Path) -> bool:
    return not p.name.startswith(".") and ".ipynb_checkpoints" not in p.parts


def _nbgrader(student_dir: Path, notebook: str) -> tuple[list[Path], str]:
    """The notebook(s) of one student in nbgrader's layout (``<student>/<assignment>/<nb>.ipynb``),
    and a problem when a link sits among them (links are never followed)."""
    found: list[Path] = []
    links: list[str] = []
    for dirpath, dirnames, filenames in os.walk(student_dir, followlinks=False):
        here = Path(dirpath)
        dirnames[:] = [d for d in dirnames if _visible(here / d)]
        for d in dirnames:
            if (here / d).is_symlink():
                links.append((here / d).relative_to(student_dir).as_posix())
        for f in filenames:
            p = here / f
            if f.endswith(".ipynb") and _visible(p.relative_to(student_dir)):
                if p.is_symlink():
                    links.append(p.relative_to(student_dir).as_posix())
                elif p.is_file():
                    found.append(p)
    found.sort()
    named = [p for p in found if p.name == notebook]
    problem = LINKED.format(what=f"{student_dir.name}/{links[0]}") if links else ""
    return (named or found), problem


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
        if item.is_symlink():
            name = student_id(item)
            entry = entries.setdefault("link:" + item.name, Entry(name, layout="link"))
            entry.paths.append(item)
            entry.problem = LINKED.format(what=item.name)
            continue
        if item.is_dir():
            paths, problem = _nbgrader(item, notebook)
            if paths or problem:
                entry = entries.setdefault("dir:" + item.name, Entry(item.name, layout="nbgrader"))
                entry.paths += paths or [item]
                entry.problem = entry.problem or problem
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
    for entry in entries.values():  # the same student in two layouts or spellings is a duplicate too
        try:
            who = identity(entry.student)
            entry.student, entry.identity_key = who.display, who.key
        except BadName as exc:
            entry.problem = entry.problem or str(exc)
            entry.student = shown(entry.student)
            entry.identity_key = "\0" + entry.student
        if entry.identity_key in by_student:
            kept = by_student[entry.identity_key]
            kept.paths += entry.paths
            kept.problem = kept.problem or entry.problem
        else:
            by_student[entry.identity_key] = entry
    return sorted(by_student.values(), key=lambda e: e.identity_key)
