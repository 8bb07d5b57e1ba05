"""Marks in the CSV shapes Canvas and Moodle import as they are: ``python -m defection_course lms-export``.

``gradebook.csv`` stays the course's own file (one column per question); this module reads it (with
the hand marks merged so far) and writes one row per student the LMS can match, following the
importers' rules (written down with their sources in tests/grading/test_lms.py; the teacher's steps
are in docs/teaching.md):

* **Canvas** (Grades > Import, ``GradebookImporter``): ``Student``, ``ID``, ``SIS User ID``,
  ``SIS Login ID``, ``Section``, then the assignment column ``Title (assignment id)`` (given with
  ``--assignment`` or found in the roster's header; without the id Canvas would create a new
  assignment), and the ``Points Possible`` row. ``ID`` is the Canvas user id from the bulk-download
  file name, or from Canvas's own gradebook export (``--roster``, as downloaded).
* **Moodle** (Grades > Import > CSV file, ``grade/import/csv``): the identifier column of Moodle's
  own grade export (``--roster``, as downloaded: ``Email address``, else ``Username`` or
  ``ID number``), the grade column and a feedback column in plain words. Moodle's download names carry
  a participant number the import cannot match, so a Moodle roster is required.

The results folders are verified against their manifests first: marks that no longer match what
the grader (or merge-marks) signed are never exported.

Never written: a row without an identifier (Moodle gives its grade to the previous row's student), a
blank grade (both LMSs treat it as "clear the existing grade"), a student the LMS would not match.
Students whose written answers are not marked yet are left out (``--pending leave-out``, the
default) or given their automatic points with a feedback saying the grade will change
(``--pending auto``). Everyone left out is listed, with the reason.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CourseError
from . import feedback, manifest
from .batch import load_store
from .identity import key_of
from .reports import GRADEBOOK, atomic_write, neutralise, unneutralise

CANVAS_IDS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
CANVAS_ASSIGNMENT = re.compile(r"^(?P<title>.*\S)\s*\((?P<id>\d+)\)$")
MOODLE_IDENTIFIERS = ("Email address", "Username", "ID number")  #: in order of preference
PENDING_POLICIES = ("leave-out", "auto")


@dataclass
class Assignment:
    """One graded results folder: its name, maximum and each student's score and plain feedback."""

    name: str
    points: float
    scores: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    pending: list[str] = field(default_factory=list)
    left_out: dict[str, str] = field(default_factory=dict)  #: student -> why not in the file
    about: dict[str, dict] = field(default_factory=dict)  #: identity key -> layout.describe()


def assignment_title(exercise: str) -> str:
    """``02_social_origins.ipynb`` -> ``Exercise 2: Social origins``."""
    stem = Path(exercise).stem
    m = re.match(r"(\d+)_(.*)", stem)
    if not m:
        return stem
    return f"Exercise {int(m.group(1))}: {m.group(2).replace('_', ' ').capitalize()}"


def read_assignment(results: Path, pending: str = "leave-out") -> Assignment:
    """The scores of one results folder, from its gradebook.csv, with plain-words feedback."""
    if pending not in PENDING_POLICIES:
        raise CourseError(f"unknown --pending {pending!r}: use one of {', '.join(PENDING_POLICIES)}")
    _graded, store = load_store(results)
    path = results / GRADEBOOK
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [{k: unneutralise(v or "") for k, v in r.items()} for r in csv.DictReader(fh)]
    if not rows:
        raise CourseError(f"{path} has no rows")
    written = feedback.written_feedback(results)
    a = Assignment(assignment_title(store.get("exercise", results.name)), float(rows[0]["max"]))
    a.about = store.get("submissions", {})
    for r in rows:
        student = r["student"]
        if r["status"] != "graded":
            a.left_out[student] = f"not graded ({r['status']}): {r['reason'][:120]}"
            continue
        said = feedback.plain_feedback(r, written.get(key_of(student), []))
        to_mark = [q for q in r if re.fullmatch(r"q\d+_\d+", q) and r[q] == "to mark"]
        if to_mark:
            a.pending.append(student)
            if pending == "leave-out":
                a.left_out[student] = f"written answer(s) {', '.join(to_mark)} not marked yet"
                continue
            a.scores[student] = r["auto_score"]
        else:
            a.scores[student] = number(r["total"])
        a.notes[student] = said
    return a


def number(text: str) -> str:
    """A score as the importers read it: decimal point, no text (``4,5`` -> ``4.5``)."""
    value = text.strip().replace(",", ".")
    try:
        return f"{float(value):g}"
    except ValueError:
        raise CourseError(f"{text!r} is not a score") from None


def fold(text: str) -> str:
    """A name compared as Canvas writes it in download names: letters and digits, lower case."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _canvas_keys(row: dict[str, str]) -> set[str]:
    """Every spelling by which a Canvas roster row can be recognised."""
    keys = {row.get("ID", ""), row.get("SIS User ID", ""), row.get("SIS Login ID", "")}
    login = row.get("SIS Login ID", "")
    if "@" in login:
        keys.add(login.split("@")[0])
    student = row.get("Student", "")
    surname, _, given = student.partition(",")
    keys |= {fold(surname + given), fold(given + surname), fold(student)}  # lastfirst, firstlast
    return {k for k in keys if k}


def _moodle_keys(row: dict[str, str]) -> set[str]:
    first = row.get("First name", "")
    last = row.get("Last name", row.get("Surname", ""))
    keys = {row.get(c, "") for c in MOODLE_IDENTIFIERS}
    email = row.get("Email address", "")
    if "@" in email:
        keys.add(email.split("@")[0])
    keys |= {fold(first + last), fold(last + first)}
    return {k for k in keys if k}


@dataclass
class Roster:
    """The LMS's own gradebook export, as downloaded."""

    header: list[str]
    rows: list[dict[str, str]]

    def match(self, lms: str, student: str, about: dict) -> tuple[dict[str, str] | None, str]:
        """The roster row of a student, or None and why not."""
        if lms == "canvas" and about.get("layout") == "canvas" and about.get("lms_id"):
            found = [r for r in self.rows if r.get("ID") == about["lms_id"]]
        else:
            keyed = _canvas_keys if lms == "canvas" else _moodle_keys
            wanted = {student, fold(student)} | ({fold(about["name"])} if about.get("name") else set())
            found = [r for r in self.rows if keyed(r) & wanted]
        if len(found) == 1:
            return found[0], ""
        if not found:
            return None, "not in the roster (no row with this id, login, e-mail or name)"
        return None, f"{len(found)} roster rows fit this name: give the file the student's login"


def read_roster(path: Path, lms: str) -> Roster:
    """Read Canvas's or Moodle's grade export; refuse a file that is not one."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        header = list(reader.fieldnames or [])
        rows = [{k: (v or "").strip() for k, v in r.items() if k} for r in reader]
    if lms == "canvas":
        if header[:2] != ["Student", "ID"]:
            raise CourseError(
                f"{path} is not Canvas's gradebook export (it starts with Student, ID): "
                "download it from Grades > Export > Export Entire Gradebook and pass it as it is"
            )
        rows = [r for r in rows if r.get("ID", "").isdigit()]  # skips "Points Possible" and blank rows
    else:
        if not any(c in header for c in MOODLE_IDENTIFIERS):
            raise CourseError(
                f"{path} is not Moodle's grade export (no {', '.join(MOODLE_IDENTIFIERS)} column): "
                "download it from Grades > Export > Plain text file and pass it as it is"
            )
    return Roster(header, rows)


def canvas_column(assignment: str | None, title: str, roster: Roster | None) -> str:
    """The Canvas header ``Title (id)``: from ``--assignment``, completed from the roster if needed."""
    wanted = assignment or title
    if CANVAS_ASSIGNMENT.match(wanted):
        return wanted
    columns = [c for c in (roster.header if roster else []) if CANVAS_ASSIGNMENT.match(c)]
    same = [c for c in columns if CANVAS_ASSIGNMENT.match(c).group("title").strip() == wanted]  # type: ignore[union-attr]
    if len(same) == 1:
        return same[0]
    raise CourseError(
        f"Canvas needs the assignment's id: without it, the column '{wanted}' makes Canvas create a "
        "new assignment. Give --assignment exactly as the column is headed in Canvas's gradebook "
        "export, e.g. --assignment 'Exercise 2 (12345)'"
        + (f"; that export has: {', '.join(columns)}" if columns else "")
    )


def moodle_columns(assignment: str | None, title: str, roster: Roster) -> tuple[str, str]:
    """The grade and feedback headers, as Moodle's own export heads the grade item
    (``Assignment: Exercise 2 (Real)`` and ``Assignment: Exercise 2 (Feedback)``).

    The grade item must exist before the import (MoodleDocs "Grade import"), so an item the export
    does not have is refused with the list of those it has.
    """
    wanted = assignment or title
    items: list[str] = []
    for c in roster.header:
        m = re.match(r"^(?:[^:]+:\s*)?(?P<item>.+?)\s*\((?:Real|Letter|Percentage)\)$", c)
        if m and not c.startswith("Course total"):
            items.append(m.group("item"))
            if m.group("item") == wanted or c == wanted:
                return c, re.sub(r"\((?:Real|Letter|Percentage)\)$", "(Feedback)", c)
    raise CourseError(
        f"Moodle's grade export has no grade item '{wanted}': create it in Moodle (with its maximum), "
        "export the gradebook again, and give --assignment with the item's name"
        + (f"; the export has: {', '.join(items)}" if items else "")
    )


@dataclass
class Export:
    """The CSV text and what the teacher must know about it."""

    text: str
    written: int
    left_out: dict[str, str]  #: student -> reason
    unmatched: dict[str, str]  #: student -> reason (the loud list)
    how: str  #: how to import it


def render(
    assignments: list[Assignment],
    lms: str,
    roster: Roster | None = None,
    titles: list[str] | None = None,
) -> Export:
    """The CSV for Canvas or Moodle, one row per matched student with a score for every assignment."""
    titles = titles or [None] * len(assignments)  # type: ignore[list-item]
    if len(titles) != len(assignments):
        raise CourseError("give one --assignment per results folder, in the same order")
    students = sorted({s for a in assignments for s in a.scores})
    left_out: dict[str, str] = {}
    for a in assignments:
        for s, why in a.left_out.items():
            left_out[s] = f"{a.name}: {why}"
    for s in students:  # one score missing is a blank that would clear a grade: leave the row out
        missing = [a.name for a in assignments if s not in a.scores]
        if missing:
            left_out.setdefault(s, f"no score for {', '.join(missing)}")
    students = [s for s in students if s not in left_out]
    unmatched: dict[str, str] = {}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    about = {k: d for a in assignments for k, d in a.about.items()}
    if lms == "canvas":
        cols = [canvas_column(t, a.name, roster) for t, a in zip(titles, assignments, strict=True)]
        w.writerow(CANVAS_IDS + cols)
        w.writerow(["Points Possible", "", "", "", ""] + [f"{a.points:g}" for a in assignments])
        written = 0
        for s in students:
            info = about.get(key_of(s), {})
            if roster is not None:
                row, why = roster.match("canvas", s, info)
                if row is None:
                    unmatched[s] = why
                    continue
                ids = [row.get(c, "") for c in CANVAS_IDS]
            elif info.get("layout") == "canvas" and info.get("lms_id"):
                ids = [neutralise(info.get("name") or s), info["lms_id"], "", "", ""]
            else:
                unmatched[s] = (
                    "no Canvas user id (the file name is not Canvas's download name): "
                    "give --roster with Canvas's gradebook export"
                )
                continue
            w.writerow(ids + [a.scores[s] for a in assignments])
            written += 1
        how = (
            "Canvas: Grades > Import > choose this file; the rows are matched by the ID column "
            f"(Canvas user id) and the scores go to {', '.join(cols)}"
        )
    elif lms == "moodle":
        if roster is None:
            raise CourseError(
                "Moodle's download names carry a participant number that its grade import cannot match: "
                "give --roster with Moodle's own grade export (Grades > Export > Plain text file), "
                "as downloaded"
            )
        ident = next(c for c in MOODLE_IDENTIFIERS if c in roster.header)
        pairs = [moodle_columns(t, a.name, roster) for t, a in zip(titles, assignments, strict=True)]
        header = [ident]
        for grade, feedback in pairs:
            header += [grade, feedback]
        w.writerow(header)
        written = 0
        for s in students:
            row, why = roster.match("moodle", s, about.get(key_of(s), {}))
            if row is None or not row.get(ident):
                unmatched[s] = why or f"the roster row has no {ident}"
                continue
            cells = [row[ident]]
            for a in assignments:
                cells += [a.scores[s], a.notes[s]]
            w.writerow(cells)
            written += 1
        how = (
            "Moodle: Grades > Import > CSV file; map '"
            + ident
            + "' to "
            + {"Email address": "email address", "Username": "username", "ID number": "ID number"}[ident]
            + "; "
            + "; ".join(f"'{g}' to the grade item and '{f}' to its feedback" for g, f in pairs)
            + " (the grade item and its maximum must exist first)"
        )
    else:
        raise CourseError(f"unknown LMS {lms!r}: use canvas or moodle")
    return Export(buf.getvalue(), written, left_out, unmatched, how)


def export_lms(
    results: list[Path],
    lms: str,
    out: Path,
    roster: Path | None = None,
    pending: str = "leave-out",
    assignments: list[str] | None = None,
) -> tuple[str, bool]:
    """Write the CSV; return a summary for the teacher and whether every student is in the file."""
    for r in results:  # results are signed: a gradebook that no longer matches is never exported
        manifest.require_intact(r, doing="export marks")
    read = [read_assignment(r, pending) for r in results]
    names = [a.name for a in read]
    if len(set(names)) != len(names):
        raise CourseError(f"the same assignment twice: {names}")
    done = render(read, lms, read_roster(roster, lms) if roster else None, assignments)
    atomic_write(out, done.text)
    lines = [f"wrote {out} ({lms}): {done.written} students", done.how]
    for a in read:
        if a.pending:
            lines.append(
                f"  {a.name}: {len(a.pending)} with written answers not marked yet "
                + (
                    "(left out, so their grades in the LMS are not touched): mark them in review/, "
                    "run merge-marks, then export again"
                    if pending == "leave-out"
                    else "(automatic points only; the feedback says the grade will change)"
                )
            )
    if done.left_out:
        lines.append(f"left out ({len(done.left_out)}, their grades in the LMS stay as they are):")
        lines += [f"  {s}: {why}" for s, why in sorted(done.left_out.items())]
    if done.unmatched:
        lines.append(
            f"!!! {len(done.unmatched)} STUDENT(S) NOT IN THE FILE: the LMS could not match them. "
            "Enter their marks by hand or fix the roster/file names and export again:"
        )
        lines += [f"!!!   {s}: {why}" for s, why in sorted(done.unmatched.items())]
    return "\n".join(lines), not done.unmatched
