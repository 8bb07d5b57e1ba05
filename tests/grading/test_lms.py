"""The teacher's last mile: a 6-student class in each layout, graded by the real grader, exported
for Canvas and Moodle and checked against the importers' own rules; marks and comments back in
every student's feedback; the duplicate and late policy.

The importers' rules, as their sources state them (stored copies read in December 2026; see also
/work/shared/reference/lms-import-rules.md):

Canvas, ``instructure/canvas-lms`` ``app/models/gradebook_importer.rb`` and the institutional guide
"Import CSV File for Carmen Grades" (Ohio State):
  C1 the header starts ``Student``, ``ID``; ``SIS User ID``, ``SIS Login ID``, ``Section`` follow;
  C2 a row whose first cell is ``Points Possible`` is the maximum row;
  C3 a row is matched by ``ID`` (Canvas user id), then SIS User ID, SIS Login ID, then the name;
     anything else goes to the "unknown students" step;
  C4 an assignment header ``Title (12345)`` is parsed and the id used; any other header that is
     not an existing title **creates a new assignment**;
  C5 a blank cell over an existing score is a change (the import offers to clear it);
  C6 numbers use a decimal point.
Bulk download names (Canvas tracker issue #2406; ``TimHanneman/Canvas_submission_sort``):
``<lastfirst>_[LATE_]<user id>_<attachment id>_<file>``, a re-upload gets ``-1`` before the extension.

Moodle, MoodleDocs "Grade import" and ``moodle/moodle`` ``grade/import/csv/classes/load_data.php``:
  M1 the teacher maps one column to a user field (email address, username, ID number); a value that
     matches no user (``check_user_exists``) makes **the whole import fail**; e-mail addresses are
     compared case-sensitively (MoodleDocs, MDL-29315);
  M2 a row with an empty identifier is skipped but the loader keeps the previous user: its grade can
     go to the previous row's student, so no such row may be written;
  M3 ``''`` or ``-`` in a grade column becomes ``finalgrade = null``: a blank clears a grade;
  M4 a feedback column can be imported with its grade column and is shown to the student as written;
  M5 numbers use a decimal point.
Download names: ``<Full Name>_<participant no.>_assignsubmission_file_<file>``, or with "Download
submissions in folders" a folder ``<Full Name>_<participant no.>_assignsubmission_file_/``.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from support import ROOT
from support.classes import EXERCISE2, fill, solution_answers, wrong_answers
from support.cli import run

from defection_course.grading import layout
from defection_course.grading.identity import file_name_of

pytestmark = pytest.mark.slow
NB = "02_social_origins.ipynb"

#: (given name, surname, Canvas user id, Moodle participant no., what the student hands in)
CLASS = [
    ("Minji", "Kim", "3101", "501", "right+written"),
    ("Junho", "Lee", "3102", "502", "right"),
    ("Seoyeon", "Park", "3103", "503", "wrong"),
    ("Daniel", "Choi", "3104", "504", "blank"),
    ("Hana", "Jung", "3105", "505", "resubmitted"),
    ("Eunji", "Han", "3106", "506", "right+written"),
]


def answers(kind: str) -> dict[str, str]:
    """right: every automatic answer right, Q2.6 left blank; +written: with the model answer to
    Q2.6 (to be marked by hand); wrong: two known mistakes; blank: nothing."""
    good = solution_answers()
    auto = {q: a for q, a in good.items() if q != "q2_6"}
    if kind == "blank":
        return {}
    if kind == "wrong":
        return {**auto, "q2_1": wrong_answers()["q2_1"][0][1], "q2_5": wrong_answers()["q2_5"][0][1]}
    return good if kind.endswith("+written") else auto


def _write(path: Path, kind: str, mtime: float | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(fill(nbformat.read(EXERCISE2, as_version=4), answers(kind)), path)
    if mtime is not None:
        os.utime(path, (mtime, mtime))


def lastfirst(given: str, surname: str) -> str:
    return (surname + given).lower()


def canvas_download(folder: Path) -> None:
    """Canvas's bulk download: lastfirst_[LATE_]<user id>_<attachment id>_<file>."""
    for i, (given, surname, uid, _pid, kind) in enumerate(CLASS):
        name = lastfirst(given, surname)
        if kind == "resubmitted":  # first on time and wrong, then a LATE_ re-upload, right
            _write(folder / f"{name}_{uid}_{90000 + i}_{NB}", "wrong")
            _write(folder / f"{name}_LATE_{uid}_{91000 + i}_{NB.replace('.ipynb', '-1.ipynb')}", "right")
        else:
            _write(folder / f"{name}_{uid}_{90000 + i}_{NB}", kind)


def moodle_download(folder: Path) -> None:
    """Moodle's "Download all submissions" with "Download submissions in folders", plus one flat file
    and one student who is not in the course's grade export."""
    for given, surname, _uid, pid, kind in CLASS:
        full = f"{given} {surname}"
        if kind == "resubmitted":
            _write(folder / f"{full}_{pid}_assignsubmission_file_{NB}", "right")  # flat download
        else:
            _write(folder / f"{full}_{pid}_assignsubmission_file_" / NB, kind)
    _write(folder / "Sam Visitor_599_assignsubmission_file_" / NB, "right")


def canvas_roster(path: Path) -> None:
    """Canvas's gradebook export as downloaded (header, Points Possible row, one row per student)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Exercise 2 (20417)"])
        w.writerow(["    Points Possible", "", "", "", "", "10.00"])
        for given, surname, uid, _pid, _kind in CLASS:
            w.writerow(
                [f"{surname}, {given}", uid, f"S{uid}", f"{given[0]}{surname}".lower(), "History 2", ""]
            )


def moodle_roster(path: Path) -> None:
    """Moodle's grade export (Grades > Export > Plain text file) as downloaded."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(
            ["First name", "Last name", "ID number", "Institution", "Department", "Email address"]
            + ["Assignment: Exercise 2 (Real)", "Course total (Real)", "Last downloaded from this course"]
        )
        for given, surname, _uid, _pid, _kind in CLASS:
            w.writerow(
                [given, surname, "", "", "", f"{given}.{surname}@school.example", "-", "-", "1733300000"]
            )


def documented(name: str) -> str:
    """The example file docs/teaching.md shows under ``<!-- example: NAME ... -->`` (one fact, one
    place: the guide quotes what the command writes for this module's class, and this checks it)."""
    text = (ROOT / "docs" / "teaching.md").read_text(encoding="utf-8")
    m = re.search(rf"<!-- example: {name} .*?-->\n```text\n(?P<body>.*?)```\n", text, re.S)
    assert m, f"docs/teaching.md has no example {name!r}"
    return m.group("body")


def grade(submissions: Path, out: Path, *extra: str) -> None:
    """The grading itself is a real ``python -m defection_course grade`` (the other jobs: in process)."""
    done = subprocess.run(
        [sys.executable, "-m", "defection_course", "grade", str(EXERCISE2), str(submissions)]
        + ["--out", str(out), "--quiet", *extra],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.fixture(scope="module")
def classes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    home = tmp_path_factory.mktemp("lms")
    canvas_download(home / "canvas")
    moodle_download(home / "moodle")
    canvas_roster(home / "canvas_roster.csv")
    moodle_roster(home / "moodle_roster.csv")
    grade(home / "canvas", home / "canvas_results", "--keep", "latest")
    grade(home / "moodle", home / "moodle_results")
    return {"home": home}


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _book(results: Path) -> dict[str, dict[str, str]]:
    with (results / "gradebook.csv").open(encoding="utf-8", newline="") as fh:
        return {r["student"]: r for r in csv.DictReader(fh)}


def check_canvas(rows: list[list[str]], known_ids: set[str]) -> None:
    """The Canvas importer's rules C1-C6 on a written file."""
    header = rows[0]
    assert header[:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]  # C1
    assert rows[1][0].strip() == "Points Possible"  # C2
    for title in header[5:]:
        assert re.fullmatch(r".*\S \(\d+\)", title), title  # C4: never a new assignment
    for row in rows[2:]:
        assert row[1] in known_ids, row  # C3: matched by Canvas's own user id
        for cell in row[5:]:
            assert cell != "", row  # C5: no blank that clears a score
            assert "," not in cell and float(cell) >= 0  # C6


def check_moodle(rows: list[list[str]], known: set[str]) -> None:
    """The Moodle importer's rules M1-M5 on a written file."""
    for row in rows[1:]:
        assert row[0] != "", row  # M2
        assert row[0] in known, row  # M1: one unknown user would abort the import
        for grade_cell in row[1::2]:
            assert grade_cell not in ("", "-"), row  # M3
            assert "," not in grade_cell and float(grade_cell) >= 0  # M5
        for feedback in row[2::2]:
            assert feedback and not re.search(r"\bq\d_\d\b|auto_|to mark|status", feedback), feedback  # M4


# ----------------------------------------------------------------------------- layouts
def test_layouts_recognise_resubmissions_late_flags_and_moodle_folders(tmp_path: Path) -> None:
    (tmp_path / "flat").mkdir()
    for name in ("alice.ipynb", "alice (1).ipynb", "bob.ipynb"):
        (tmp_path / "flat" / name).write_text("{}")
    os.utime(tmp_path / "flat" / "alice.ipynb", (2e9, 2e9))  # newer mtime, but (1) is the later copy
    found = {e.student: e for e in layout.discover(tmp_path / "flat", NB)}
    assert set(found) == {"alice", "bob"} and found["alice"].duplicate
    assert layout.resolve(found["alice"], "latest").paths[0].name == "alice (1).ipynb"

    mixed = tmp_path / "mixed"  # one student in two layouts: compared, never a crash
    (mixed / "alice" / "ps2").mkdir(parents=True)
    (mixed / "alice" / "ps2" / NB).write_text("{}")
    (mixed / "alice_3_0_x.ipynb").write_text("{}")  # attachment id 0: the keys tie on their first part
    (entry,) = layout.discover(mixed, NB)
    assert len(layout.resolve(entry, "latest").paths) == 1 and len(entry.set_aside) == 1

    nbg = tmp_path / "course" / "submitted"
    for student, stamp in (("ann", "2026-12-04 23:00:00.000000 UTC"), ("ben", "2026-12-05 01:30:00.5 UTC")):
        (nbg / student / "ps2").mkdir(parents=True)
        (nbg / student / "ps2" / NB).write_text("{}")
        (nbg / student / "ps2" / "timestamp.txt").write_text(stamp)
    (nbg / "ben" / "ps2" / NB.replace(".ipynb", "-Copy1.ipynb")).write_text("{}")
    found = {e.student: e for e in layout.discover(tmp_path / "course", NB)}
    due = layout.parse_time("2026-12-05 00:00")
    assert found["ann"].late(due) is False and found["ben"].late(due) is True
    assert found["ben"].duplicate  # the -Copy1 is no longer silently ignored
    assert layout.resolve(found["ann"], "latest").late(None) is None  # no --due: unknown, not "on time"

    moodle = tmp_path / "moodle"
    (moodle / "Jane Doe_4711_assignsubmission_file_").mkdir(parents=True)
    (moodle / "Jane Doe_4711_assignsubmission_file_" / NB).write_text("{}")
    (moodle / "kimlee_LATE_12_99_x.ipynb").write_text("{}")
    found = {e.student: e for e in layout.discover(moodle, NB)}
    assert (found["Jane Doe"].layout, found["Jane Doe"].lms_id) == ("moodle", "4711")
    assert (found["kimlee"].layout, found["kimlee"].lms_id, found["kimlee"].late()) == ("canvas", "12", True)


# ----------------------------------------------------------------------------- Canvas
def test_canvas_export_from_the_download_names_imports_as_it_is(classes, tmp_path: Path) -> None:
    home = classes["home"]
    out = tmp_path / "canvas.csv"
    done = run("lms-export", str(home / "canvas_results"), "--lms", "canvas", "--out", str(out))
    assert done.returncode == 2 and "creates a" not in done.stdout and "id" in done.stderr  # C4 refused
    done = run(
        "lms-export", str(home / "canvas_results"), "--lms", "canvas", "--out", str(out),
        "--assignment", "Exercise 2 (20417)",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = _rows(out)
    print("\n" + out.read_text())
    assert out.read_text(encoding="utf-8") == documented("canvas")  # the file docs/teaching.md shows
    check_canvas(rows, {uid for *_, uid, _p, _k in CLASS})
    book = _book(home / "canvas_results")
    pending = {s for s, r in book.items() if r["q2_6"] == "to mark"}
    assert pending == {"kimminji", "haneunji"}  # the written answers
    assert {r[1] for r in rows[2:]} == {uid for _g, _s, uid, _p, k in CLASS if not k.endswith("written")}
    assert "not marked yet" in done.stdout and "kimminji" in done.stdout  # left out, and said so
    jung = next(r for r in rows[2:] if r[1] == "3105")
    assert jung[5] == book["junghana"]["total"] == "5"  # the later file, all right (the first had 3)
    assert book["junghana"]["late"] == "yes" and book["leejunho"]["late"] == "no"
    assert book["kimminji"]["total"] == "5" and book["kimminji"]["written_to_mark"] == "yes"  # a number
    assert book["leejunho"]["written_to_mark"] == "no"
    for name in ("gradebook.csv", "graded.json", "manifest.json", "feedback/leejunho.html"):
        mode = (home / "canvas_results" / name).stat().st_mode & 0o777
        assert mode & 0o044 == 0o044, (name, oct(mode))  # a TA of the group can read them (umask 022)
    assert (
        "set aside" in book["junghana"]["reason"]
        and "91004" not in book["junghana"]["reason"].split("set aside")[1]
    )  # the first, wrong file is the one set aside


def test_canvas_export_with_canvas_gradebook_as_roster(classes, tmp_path: Path) -> None:
    home = classes["home"]
    out = tmp_path / "canvas.csv"
    done = run(
        "lms-export", str(home / "canvas_results"), "--lms", "canvas", "--out", str(out),
        "--roster", str(home / "canvas_roster.csv"), "--assignment", "Exercise 2",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = _rows(out)
    assert rows[0][5] == "Exercise 2 (20417)"  # the id found in Canvas's own export
    check_canvas(rows, {uid for *_, uid, _p, _k in CLASS})
    with (home / "canvas_roster.csv").open(encoding="utf-8", newline="") as fh:
        roster = {r["ID"]: r for r in csv.DictReader(fh)}
    for row in rows[2:]:  # identity cells exactly as Canvas exported them
        assert row[:5] == [
            roster[row[1]][c] for c in ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
        ]


# ----------------------------------------------------------------------------- Moodle
def test_moodle_export_matches_every_student_from_moodles_own_export(classes, tmp_path: Path) -> None:
    home = classes["home"]
    out = tmp_path / "moodle.csv"
    done = run("lms-export", str(home / "moodle_results"), "--lms", "moodle", "--out", str(out))
    assert done.returncode == 2 and "roster" in done.stderr  # participant numbers cannot be matched
    roster = str(home / "moodle_roster.csv")
    done = run(
        "lms-export", str(home / "moodle_results"), "--lms", "moodle", "--out", str(out), "--roster", roster
    )
    assert done.returncode == 2 and "no grade item" in done.stderr  # the item must exist first
    done = run(
        "lms-export", str(home / "moodle_results"), "--lms", "moodle", "--out", str(out),
        "--roster", str(home / "moodle_roster.csv"), "--pending", "auto", "--assignment", "Exercise 2",
    )  # fmt: skip
    print("\n" + out.read_text() + done.stdout + done.stderr)
    assert done.returncode == 1  # Sam Visitor is not in the course: loud, and not in the file
    assert "NOT IN THE FILE" in done.stderr and "Sam Visitor" in done.stderr
    rows = _rows(out)
    emails = {f"{g}.{s}@school.example" for g, s, *_ in CLASS}
    assert rows[0] == ["Email address", "Assignment: Exercise 2 (Real)", "Assignment: Exercise 2 (Feedback)"]
    check_moodle(rows, emails)
    assert {r[0] for r in rows[1:]} == emails  # every student of the course, from the folders layout too
    kim = next(r for r in rows[1:] if r[0].startswith("Minji"))
    assert "not marked yet" in kim[2] and "will change" in kim[2]
    park = next(r for r in rows[1:] if r[0].startswith("Seoyeon"))
    assert "Q2.1" in park[2] and "Q2.5" in park[2]  # what was not right, in the exercise's own words


# ----------------------------------------------------------------------------- feedback after marks
def test_marks_and_comments_reach_every_students_feedback_and_the_lms(classes, tmp_path: Path) -> None:
    home = classes["home"]
    results = home / "moodle_results"
    review = results / "review" / "q2_6.md"
    text = review.read_text(encoding="utf-8")
    comments = {"Minji Kim": "Good use of the census; say why <1% of arrivals matters.", "Eunji Han": ""}
    for student, comment in comments.items():
        head, sep, rest = text.partition(f"## Student: {student}\n")
        rest = re.sub(r"Mark:\s*/", "Mark: 3,5 /" if student == "Minji Kim" else "Mark: 2 /", rest, count=1)
        rest = rest.replace("Comment:\n", f"Comment:\n\n{comment}\n", 1)
        text = head + sep + rest
    review.write_text(text, encoding="utf-8")
    done = run("merge-marks", str(results))
    assert done.returncode == 0, done.stderr
    digest = re.search(r"SHA-256 ([0-9a-f]{64})", done.stdout).group(1)
    hint = done.stdout.split("check the results later with: ")[1].split()
    verified = subprocess.run(hint, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert verified.returncode == 0 and digest in hint, verified.stderr  # the printed hint works as is
    kim_file = file_name_of("Minji Kim")
    md = (results / "feedback" / f"{kim_file}.md").read_text(encoding="utf-8")
    assert "3.5 out of 5" in md and "Good use of the census" in md
    page = (results / "feedback" / f"{kim_file}.html").read_text(encoding="utf-8")
    assert "3.5 out of 5" in page and "why &lt;1% of" in page and "<1%" not in page  # escaped
    assert not re.search(r"<script|<link|src=|href=", page)  # self-contained
    for given, surname, *_ in CLASS:
        assert (results / "feedback" / f"{file_name_of(f'{given} {surname}')}.html").exists()
    han = (results / "feedback" / f"{file_name_of('Eunji Han')}.md").read_text(encoding="utf-8")
    assert "2 out of 5" in han and "**Comment:**" not in han  # a mark without a comment
    park = (results / "feedback" / f"{file_name_of('Seoyeon Park')}.md").read_text(encoding="utf-8")
    assert "not marked yet" not in park and "0 out of 5 (no answer)" in park  # nothing to wait for
    out = tmp_path / "moodle.csv"
    run(
        "lms-export", str(results), "--lms", "moodle", "--out", str(out),
        "--roster", str(home / "moodle_roster.csv"), "--assignment", "Exercise 2",
    )  # fmt: skip
    rows = _rows(out)
    check_moodle(rows, {f"{g}.{s}@school.example" for g, s, *_ in CLASS})
    kim = next(r for r in rows[1:] if r[0].startswith("Minji"))
    print("\n" + out.read_text())
    assert "Q2.6: 3.5 of 5. Your teacher's comment: Good use of the census; say why <1% of" in kim[2]
    assert out.read_text(encoding="utf-8") == documented("moodle")  # the file docs/teaching.md shows
    book = _book(results)
    assert (
        kim[1] == book["Minji Kim"]["total"] and float(kim[1]) == float(book["Minji Kim"]["auto_score"]) + 3.5
    )
    store = json.loads((results / "graded.json").read_text(encoding="utf-8"))
    assert store["submissions"]["minji kim"]["lms_id"] == "501"  # by identity key


# ----------------------------------------------------------------------------- the report says who
def test_report_lists_students_by_score_with_written_marks_and_identical_answers(classes) -> None:
    """Runs after the marks test above (same module, file order): written marks are merged."""
    results = classes["home"] / "moodle_results"
    done = run("report", str(results))
    assert done.returncode == 0, done.stderr
    page = (results / "report.html").read_text(encoding="utf-8")
    table = page.split("Students by total score, lowest first")[1].split("</table>")[0]
    names = re.findall(r"<tr><td>([^<]+)</td><td>([\d.]+) of 10</td><td>([^<]*)</td>", table)
    book = _book(results)
    graded = {s for s, r in book.items() if r["status"] == "graded"}
    assert {n for n, *_ in names} == graded  # every student, the low scorers too
    totals = [float(t) for _n, t, _m in names]
    assert totals == sorted(totals)
    assert {n: float(t) for n, t, _m in names} == {s: float(book[s]["total"].split()[0]) for s in graded}
    assert dict((n, m) for n, _t, m in names)["Seoyeon Park"] == "q2_1, q2_5"
    assert dict((n, float(t)) for n, t, _m in names)["Minji Kim"] == 8.5  # 5 automatic + 3.5 written
    assert "7 graded notebooks: 2 answers marked, 0 waiting for a mark" in page  # Kim and Han
    assert "5 blank and not marked" in page  # 2 + 0 + 5 = 7: the counts add up
    identical = page.split("word-for-word identical answers")[1].split("</table>")[0]
    assert "<td>Eunji Han, Minji Kim</td><td>2</td>" in identical  # the same model answer twice
