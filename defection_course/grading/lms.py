"""Marks in the CSV shapes Canvas and Moodle import: ``python -m defection_course lms-export``.

``gradebook.csv`` stays the course's own file (one column per question); this module reads it
(with the hand marks merged so far) and writes one row per student and one score column per
assignment, one results folder per assignment:

* **Canvas** (Grades > Import): the columns ``Student``, ``ID``, ``SIS User ID``, ``SIS Login ID``,
  ``Section``, then one column per assignment, and a second row ``Points Possible`` with each
  assignment's maximum, as in the CSV Canvas itself exports;
* **Moodle** (Grade administration > Import > CSV file): an identifier column (``Username`` unless
  a roster gives others, e.g. ``Email address``), one column per grade item and one feedback
  column per grade item. Moodle has no points-possible row: the maximum is the grade item's, so
  the feedback says "out of N" and docs/teaching.md says to create the grade items with it.

A student whose written answers are not marked yet gets an **empty** score (``--pending blank``,
the default) rather than a number that looks final; ``--pending auto`` exports the automatically
checked points instead. Either way the command says how many such students there are, and the
Moodle feedback column names the questions still to mark.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CourseError
from . import manifest
from .batch import load_store
from .reports import GRADEBOOK, atomic_write

CANVAS_IDS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
PENDING = "(written pending)"


@dataclass
class Assignment:
    """One graded results folder: its name, maximum and each student's score and note."""

    name: str
    points: float
    scores: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    pending: list[str] = field(default_factory=list)
    not_graded: list[str] = field(default_factory=list)  #: rejected files and grader failures


def assignment_title(exercise: str) -> str:
    """``02_social_origins.ipynb`` -> ``Exercise 2: Social origins``."""
    stem = Path(exercise).stem
    m = re.match(r"(\d+)_(.*)", stem)
    if not m:
        return stem
    return f"Exercise {int(m.group(1))}: {m.group(2).replace('_', ' ').capitalize()}"


def read_assignment(results: Path, pending: str = "blank") -> Assignment:
    """The scores of one results folder, from its gradebook.csv."""
    _graded, store = load_store(results)
    path = results / GRADEBOOK
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    if not rows:
        raise CourseError(f"{path} has no rows")
    questions = [c for c in rows[0] if re.fullmatch(r"q\d+_\d+", c)]
    a = Assignment(assignment_title(store.get("exercise", results.name)), float(rows[0]["max"]))
    for r in rows:
        if r["status"] != "graded":
            a.not_graded.append(r["student"])
            continue
        student = r["student"]
        to_mark = [q for q in questions if r[q] == "to mark"]
        if to_mark:
            a.pending.append(student)
            a.scores[student] = r["auto_score"] if pending == "auto" else ""
            a.notes[student] = (
                f"{r['auto_score']} of {r['auto_max']} automatic points; written answer(s) "
                f"{', '.join(to_mark)} not marked yet (up to {r['written_max']} more); out of {r['max']}"
            )
        else:
            a.scores[student] = r["total"].replace(PENDING, "").strip()
            a.notes[student] = f"{a.scores[student]} out of {r['max']}"
    return a


def _roster(path: Path | None) -> tuple[list[str], dict[str, dict[str, str]]]:
    if path is None:
        return [], {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = list(reader.fieldnames or [])
        if "student" not in fields:
            raise CourseError(f"{path} needs a 'student' column (the submission file name without .ipynb)")
        return [f for f in fields if f != "student"], {r["student"]: r for r in reader}


def render(assignments: list[Assignment], lms: str, roster: Path | None = None) -> str:
    """The CSV text for Canvas or Moodle."""
    extra, people = _roster(roster)
    students = sorted({s for a in assignments for s in a.scores})
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    if lms == "canvas":
        w.writerow(CANVAS_IDS + [a.name for a in assignments])
        w.writerow(["Points Possible", "", "", "", ""] + [f"{a.points:g}" for a in assignments])
        for s in students:
            p = people.get(s, {})
            ids = [p.get("Student", s), p.get("ID", ""), p.get("SIS User ID", ""), p.get("SIS Login ID", s)]
            w.writerow(ids + [p.get("Section", "")] + [a.scores.get(s, "") for a in assignments])
    elif lms == "moodle":
        id_columns = extra or ["Username"]
        header = list(id_columns)
        for a in assignments:
            header += [a.name, f"{a.name} (feedback)"]
        w.writerow(header)
        for s in students:
            p = people.get(s, {})
            row = [p.get(c, s if c == "Username" else "") for c in id_columns]
            for a in assignments:
                row += [a.scores.get(s, ""), a.notes.get(s, "not graded")]
            w.writerow(row)
    else:
        raise CourseError(f"unknown LMS {lms!r}: use canvas or moodle")
    return buf.getvalue()


def export_lms(
    results: list[Path], lms: str, out: Path, roster: Path | None = None, pending: str = "blank"
) -> str:
    """Write the CSV; return a summary that says how many written answers are not marked yet."""
    for r in results:  # results are signed: a gradebook that no longer matches is never exported
        manifest.require_intact(r, doing="export marks")
    assignments = [read_assignment(r, pending) for r in results]
    names = [a.name for a in assignments]
    if len(set(names)) != len(names):
        raise CourseError(f"the same assignment twice: {names}")
    atomic_write(out, render(assignments, lms, roster))
    lines = [f"wrote {out} ({lms}): {len({s for a in assignments for s in a.scores})} students"]
    for a in assignments:
        line = f"  {a.name} (out of {a.points:g}): {len(a.scores)} scores"
        if a.pending:
            left = "left blank" if pending == "blank" else "automatic points only"
            line += (
                f"; {len(a.pending)} with written answers not marked yet ({left}): mark them in "
                "review/, run merge-marks, then export again"
            )
        if a.not_graded:
            line += f"\n    not graded, so not exported: {', '.join(a.not_graded)} (see gradebook.csv)"
        lines.append(line)
    return "\n".join(lines)
