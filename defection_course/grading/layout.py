"""Find the submissions in the folders teachers really get, one entry per student.

Three layouts are recognised, and may be mixed:

* one file per student, named after the student: ``alice.ipynb`` -> ``alice``; a browser's second
  download ``alice (1).ipynb`` is the same student's resubmission;
* nbgrader's ``submitted/<student>/<assignment>/<notebook>.ipynb`` (pass ``submitted/`` or the
  folder above it): the student is the folder name; a copy made in Jupyter
  (``<notebook>-Copy1.ipynb``) is a second file of that student; nbgrader's ``timestamp.txt``
  gives the submission time (compared with ``--due`` for the ``late`` column);
* learning-platform bulk downloads that put the student in the name. Canvas:
  ``<lastfirst>_[LATE_]<user id>_<attachment id>_<file>`` (a re-upload of the same file name gets
  ``-1``, ``-2`` before the extension); the Canvas user id is kept, so the LMS export can fill
  Canvas's ``ID`` column, and so is the ``LATE_`` flag. Moodle's "Download all submissions":
  ``<Full Name>_<participant no.>_assignsubmission_file_<file>``, also with "Download submissions
  in folders" (one folder ``<Full Name>_<participant no.>_assignsubmission_file_/`` per student).
  The participant number is not a user id Moodle's grade import can match: the LMS export matches
  the full name against Moodle's own grade export instead.

Two files for one student are never merged or silently dropped: :func:`resolve` applies the
teacher's policy (``--keep reject``, the default: grade neither and say why; ``--keep latest``:
grade the latest, by Canvas's attachment id and re-upload number, a copy number (`` (N)``,
``-CopyN``), then the file's modification time, and say which files were set aside).
"One student" means one identity (:mod:`.identity`): ``José`` in NFC and NFD, ``Alice`` and
``alice`` are the same person. A name that is not an identity (a line break or a control
character, undecodable bytes, too long) and a symbolic link anywhere in a submission (a link to
``solutions/``, a student folder linked elsewhere) give an entry with a ``problem``:
that student's row says why, the rest of the class is graded.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..errors import CourseError
from .identity import BadName, identity, shown
from .safefs import TooLarge, read_no_follow
from .submission import student_id

LINKED = (
    "{what} is a symbolic link, not a file the student handed in: not graded (copy the student's "
    "own file into the submissions folder and grade again)"
)

CANVAS = re.compile(r"^(?P<name>[^_]+?)_(?P<late>LATE_)?(?P<uid>\d+)_(?P<sid>\d+)_(?P<file>.+)$", re.I)
MOODLE = re.compile(r"^(?P<name>.+?)_(?P<uid>\d+)_assignsubmission_(?:file|onlinetext)_(?P<file>.*)$")
#: a browser's or the operating system's second copy: ``alice (1).ipynb``, ``alice(2).ipynb``
COPY_NUMBER = re.compile(r"^(?P<stem>.+?)\s?\((?P<n>\d+)\)$")
#: Jupyter's "Duplicate" / "Make a copy": ``02_social_origins-Copy1.ipynb``
JUPYTER_COPY = re.compile(r"^(?P<stem>.+?)-Copy(?P<n>\d+)$")
#: Canvas's re-upload of a file of the same name: ``02_social_origins-1.ipynb``
CANVAS_REUPLOAD = re.compile(r"^(?P<stem>.+?)-(?P<n>\d+)$")
KEEP_POLICIES = ("reject", "latest")
TIMESTAMP = "timestamp.txt"  #: nbgrader's submission time, next to the notebook
TIMESTAMP_BYTES = 256  #: more than nbgrader writes; a longer file is not read as a time


@dataclass
class Entry:
    """One student's submission(s), as found in the folder."""

    student: str
    paths: list[Path] = field(default_factory=list)
    layout: str = "file"  #: file | nbgrader | canvas | moodle
    key: str = ""  #: what identifies the student (name and platform id), for duplicates
    problem: str = ""  #: why this entry cannot be graded (a bad name, a link), for its row
    identity_key: str = ""  #: the student's identity (see :mod:`.identity`)
    name: str = ""  #: the name as the LMS wrote it (Canvas ``lastfirst``, Moodle full name)
    lms_id: str = ""  #: Canvas user id, or Moodle participant number
    order: dict[str, tuple] = field(default_factory=dict)  #: per path: sort key, latest last
    late_flag: dict[str, bool] = field(default_factory=dict)  #: per path: Canvas's LATE_
    submitted: str = ""  #: nbgrader's timestamp.txt, as written
    set_aside: list[Path] = field(default_factory=list)  #: files not graded under --keep latest

    @property
    def duplicate(self) -> bool:
        return len(self.paths) > 1

    def late(self, due: datetime | None = None) -> bool | None:
        """True/False when the LMS or nbgrader says so (against ``due``); None when unknown."""
        if self.paths and str(self.paths[0]) in self.late_flag:
            return self.late_flag[str(self.paths[0])]
        if self.submitted and due is not None:
            when = parse_time(self.submitted)
            return None if when is None else when > due
        return None


def parse_time(text: str) -> datetime | None:
    """nbgrader's ``2026-11-30 10:00:00.000000 UTC`` (or an ISO time); naive times are UTC."""
    text = text.strip().replace(" UTC", "").replace("Z", "+00:00")
    for candidate in (text, text.replace(" ", "T", 1)):
        try:
            when = datetime.fromisoformat(candidate)
        except ValueError:
            continue
        return when if when.tzinfo else when.replace(tzinfo=UTC)
    return None


def _visible(p: Path) -> bool:
    return not p.name.startswith(".") and ".ipynb_checkpoints" not in p.parts


def _copy_of(stem: str, notebook_stem: str) -> int | None:
    """0 for the notebook itself, N for its N-th copy (``-CopyN``, `` (N)``), None otherwise."""
    if stem == notebook_stem:
        return 0
    for pattern in (JUPYTER_COPY, COPY_NUMBER):
        m = pattern.match(stem)
        if m and m.group("stem") == notebook_stem:
            return int(m.group("n"))
    return None


def _mtime(p: Path) -> float:
    try:
        return p.lstat().st_mtime
    except OSError:
        return 0.0


def _nbgrader(student_dir: Path, notebook: str) -> tuple[list[Path], str, str]:
    """The notebook(s) of one student in nbgrader's layout (``<student>/<assignment>/<nb>.ipynb``):
    the named notebook and its copies; a problem when a link sits among them (links are never
    followed); and nbgrader's ``timestamp.txt`` as written (read without following a link)."""
    found: list[Path] = []
    links: list[str] = []
    stamps: list[Path] = []
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
            elif f == TIMESTAMP:
                stamps.append(p)
    found.sort()
    stem = Path(notebook).stem
    named = [p for p in found if notebook and _copy_of(p.stem, stem) is not None]
    problem = LINKED.format(what=f"{student_dir.name}/{links[0]}") if links else ""
    submitted = ""
    for stamp in sorted(stamps)[:1]:
        try:
            if stat.S_ISREG(stamp.lstat().st_mode):  # never a link, a pipe or a device
                submitted = read_no_follow(stamp, TIMESTAMP_BYTES).decode("utf-8", "replace").strip()[:64]
        except (OSError, TooLarge):  # no time: "late" stays unknown
            submitted = ""
    return (named or found), problem, submitted


def _platform(name: str) -> tuple[re.Match[str], str] | None:
    """The match and layout of a Canvas or Moodle bulk-download file (or Moodle folder) name."""
    for layout, pattern in (("moodle", MOODLE), ("canvas", CANVAS)):
        m = pattern.match(name)
        if m:
            return m, layout
    return None


def _add(entries: dict[str, Entry], key: str, entry: Entry, path: Path, order: tuple) -> Entry:
    entry = entries.setdefault(key, entry)
    entry.paths.append(path)
    # always (int, int, mtime, name): one student's files from two layouts still compare
    entry.order[str(path)] = (*(order + (0, 0))[:2], _mtime(path), path.name)
    return entry


def discover(folder: Path, notebook: str = "") -> list[Entry]:
    """Every student's submission in ``folder`` (``notebook`` is the exercise's file name)."""
    if not folder.is_dir():
        raise CourseError(f"{folder} is not a folder of submissions.")
    if (folder / "submitted").is_dir() and not any(p.is_file() and _visible(p) for p in folder.iterdir()):
        folder = folder / "submitted"  # the nbgrader course folder itself
    entries: dict[str, Entry] = {}
    platform_names: dict[str, set[str]] = {}
    notebook_stem = Path(notebook).stem
    for item in sorted(p for p in folder.iterdir() if _visible(p)):
        if item.is_symlink():
            name = student_id(item)
            entry = entries.setdefault("link:" + item.name, Entry(name, layout="link"))
            entry.paths.append(item)
            entry.problem = LINKED.format(what=item.name)
            continue
        found = _platform(item.name)
        if item.is_dir():
            paths, problem, submitted = _nbgrader(item, notebook)
            if not (paths or problem):
                continue
            if found and found[1] == "moodle":  # Moodle's "download submissions in folders"
                name, uid = found[0].group("name"), found[0].group("uid")
                platform_names.setdefault(name, set()).add(uid)
                key = f"moodle:{name}_{uid}"
                new = Entry(name, layout="moodle", key=f"{name}_{uid}", name=name, lms_id=uid)
            else:
                key, new = "dir:" + item.name, Entry(item.name, layout="nbgrader")
            entry = entries.setdefault(key, new)
            for p in paths or [item]:
                _add(entries, key, entry, p, (_copy_of(p.stem, notebook_stem) or 0,))
            entry.problem = entry.problem or problem
            entry.submitted = entry.submitted or submitted
            continue
        if not item.is_file():
            continue
        if found:
            m, layout = found
            name, uid = m.group("name"), m.group("uid")
            platform_names.setdefault(name, set()).add(uid)
            new = Entry(name, layout=layout, key=f"{name}_{uid}", name=name, lms_id=uid)
            order: tuple = (0,)
            if layout == "canvas":
                reupload = CANVAS_REUPLOAD.match(Path(m.group("file")).stem)
                order = (int(m.group("sid")), int(reupload.group("n")) if reupload else 0)
            entry = _add(entries, f"{layout}:{name}_{uid}", new, item, order)
            if layout == "canvas":
                entry.late_flag[str(item)] = bool(m.group("late"))
        else:
            sid = student_id(item)
            copy = COPY_NUMBER.match(sid)
            base, n = (copy.group("stem"), int(copy.group("n"))) if copy else (sid, 0)
            _add(entries, "file:" + base, Entry(base), item, (n,))
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
            kept.order.update(entry.order)
            kept.late_flag.update(entry.late_flag)
            kept.submitted = kept.submitted or entry.submitted
        else:
            by_student[entry.identity_key] = entry
    return sorted(by_student.values(), key=lambda e: e.identity_key)


def resolve(entry: Entry, keep: str) -> Entry:
    """Apply the duplicate policy: under ``latest`` keep only the latest file (others set aside).

    An entry with a problem (a link, a bad name) is never resolved: it is not graded at all.
    """
    if keep not in KEEP_POLICIES:
        raise CourseError(f"unknown --keep policy {keep!r}: use one of {', '.join(KEEP_POLICIES)}")
    if keep == "reject" or not entry.duplicate or entry.problem:
        return entry
    ranked = sorted(entry.paths, key=lambda p: entry.order.get(str(p), (0,)))
    entry.set_aside = ranked[:-1]
    entry.paths = ranked[-1:]
    return entry


def describe(entry: Entry, folder: Path, due: datetime | None = None) -> dict:
    """What the results store keeps about a student's submission (for the LMS export and reports)."""
    late = entry.late(due)
    return {
        "layout": entry.layout,
        "name": entry.name,
        "lms_id": entry.lms_id,
        "late": "" if late is None else ("yes" if late else "no"),
        "submitted": entry.submitted,
        "set_aside": [_shown_path(p, folder) for p in entry.set_aside],
    }


def _shown_path(path: Path, folder: Path) -> str:
    """A path relative to the submissions folder, printable even when its name is not valid text."""
    text = path.relative_to(folder).as_posix() if path.is_relative_to(folder) else path.name
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace").replace("\n", "\\n")
