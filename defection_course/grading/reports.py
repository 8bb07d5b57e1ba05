"""Write the gradebook, one feedback file per student, and one review file per written question."""

from __future__ import annotations

import csv
import html
import io
import os
import re
import tempfile
from pathlib import Path

import nbformat

from .. import cells
from ..authoring.tags import strip_tags
from ..checks.runner import ICONS, SCOPE, format_result
from ..checks.spec import PASSED, RECORDED, Question
from ..paths import course_command
from . import answer_search
from .identity import key_of
from .runner import Graded
from .textsafe import html_text, md_block, md_text

GRADEBOOK = "gradebook.csv"
MARK_LINE = re.compile(r"^Mark:\s*(?P<mark>[^/]*?)\s*/\s*(?P<max>\d+(?:\.\d+)?)\s*$", re.M)


def atomic_write(path: Path, text: str) -> None:
    """Write a file so that readers see either the old or the new version, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # as an ordinary file (mkstemp's is 0600): a TA can read it
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process's umask, read without changing it (``os.umask`` sets it, racing other threads)."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022


def rubrics(solution_path: Path | None) -> dict[str, tuple[str, float]]:
    """The rubric text and maximum mark of each written question, from the solution notebook."""
    found: dict[str, tuple[str, float]] = {}
    if solution_path is None or not solution_path.exists():
        return found
    nb = nbformat.read(solution_path, as_version=4)
    for cell in nb.cells:
        if cells.is_rubric_cell(cell):
            qid = cells.question_of(cell)
            m = re.search(r"\((\d+(?:\.\d+)?) points?\)", cell.source)
            if qid:
                found[qid] = (strip_tags(cell.source), float(m.group(1)) if m else 1.0)
    return found


def columns(questions: list[Question]) -> list[str]:
    return (
        ["student", "status"]
        + [q.qid for q in questions]
        + ["auto_score", "auto_max", "written_score", "written_max", "total", "max"]
        + ["written_to_mark", "late", "reason"]
    )


def _fmt(x: float) -> str:
    return f"{x:g}"


def row_for(
    g: Graded,
    questions: list[Question],
    marks: dict[str, dict[str, str]],
    maxima: dict[str, float],
    late: str = "",
) -> dict[str, str]:
    """One gradebook row. Auto-checked questions score 1 or 0; written ones take the hand mark.

    ``total`` is always a number (a spreadsheet can sum it); ``written_to_mark`` says ``yes`` while a
    written answer waits for the teacher's mark; ``late`` is ``yes``/``no``, or empty when unknown.
    """
    row = {"student": g.student, "status": g.status, "reason": g.reason, "late": late}
    auto = auto_max = written = written_max = 0.0
    pending = False
    for q in questions:
        if q.kind == "text":
            written_max += maxima.get(q.qid, 1.0)
            mark = marks.get(q.qid, {}).get(key_of(g.student), "")  # by identity, never position
            if g.status != "graded":
                row[q.qid] = ""
            elif mark != "":
                row[q.qid] = mark
                written += float(mark)
            else:
                r = g.results.get(q.qid)
                answered = r is not None and r.status == RECORDED
                row[q.qid] = "to mark" if answered else "0"
                pending = pending or answered
        else:
            auto_max += q.points
            ok = (
                g.status == "graded"
                and g.results.get(q.qid) is not None
                and g.results[q.qid].status == PASSED
            )
            row[q.qid] = "" if g.status != "graded" else (str(q.points) if ok else "0")
            auto += q.points if ok else 0
    row.update(
        auto_score=_fmt(auto) if g.status == "graded" else "",
        auto_max=_fmt(auto_max),
        written_score=(_fmt(written) if g.status == "graded" else ""),
        written_max=_fmt(written_max),
        total="" if g.status != "graded" else _fmt(auto + written),
        written_to_mark="" if g.status != "graded" else ("yes" if pending else "no"),
        max=_fmt(auto_max + written_max),
    )
    return row


#: a cell starting with one of these is a formula to a spreadsheet (OWASP's CSV-injection list)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """Make a cell inert in a spreadsheet: prefix a quote to formula-like text (and to a leading quote).

    :func:`unneutralise` gives the original back, so a student named ``=1+1`` stays ``=1+1``.
    """
    return "'" + cell if cell.startswith((*FORMULA_START, "'")) else cell


def unneutralise(cell: str) -> str:
    """The text a gradebook cell stood for before :func:`neutralise`."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith((*FORMULA_START, "'")) else cell


def render_gradebook(rows: list[dict[str, str]], questions: list[Question]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns(questions), lineterminator="\n")
    writer.writeheader()
    for row in sorted(rows, key=lambda r: r["student"]):
        writer.writerow({k: neutralise(str(v)) for k, v in row.items()})
    return buf.getvalue()


def feedback_markdown(g: Graded, questions: list[Question], title: str) -> str:
    """The feedback file a student receives: the same messages as the inline checks.

    Everything from the submission (the name, the grader's notes quoting exception texts, the
    check messages quoting answers) is escaped (:mod:`.textsafe`): the file may be pasted into a
    learning platform that renders Markdown with HTML.
    """
    lines = [f"# Feedback: {md_text(title)}", "", f"**Student:** {md_text(g.student)}", ""]
    if g.status != "graded":
        lines += [
            f"**Your notebook could not be graded:** {md_text(g.reason)}.",
            "",
            "Please fix this and hand it in again, or ask your teacher.",
        ]
        return "\n".join(lines) + "\n"
    auto = [q for q in questions if q.kind != "text"]
    passed = sum(g.results[q.qid].status == PASSED for q in auto)
    lines += [f"**Automatically checked:** {passed} of {len(auto)} questions passed.", ""]
    if g.notes:
        lines += ["**Notes from the grader:**", ""] + [f"* {md_text(n)}" for n in g.notes] + [""]
    lines += ["| Question | Result |", "|---|---|"]
    for q in questions:
        r = g.results[q.qid]
        lines.append(f"| {q.qid}: {q.title} | {ICONS[r.status]} |")
    lines += ["", "## Details", ""]
    for q in questions:
        lines += [f"### {q.qid}: {q.title}", "", md_block(format_result(g.results[q.qid]), ""), ""]
    lines += ["Written answers are marked by your teacher with the rubric.", "", SCOPE]
    return "\n".join(lines) + "\n"


STUDENT_HEADING = "## Student: "


def _quote(line: str) -> str:
    """One line of a written answer for the review file: a quote, with HTML and links made inert."""
    return "> " + html_text(line).replace("](", "]\\(") if line.strip() else ">"


def review_markdown(
    q: Question,
    rubric: str,
    max_mark: float,
    graded: list[Graded],
    marks: dict[str, str] | None = None,
    comments: dict[str, str] | None = None,
) -> str:
    """One review file per written question: the rubric, then every student's answer to mark.

    ``marks`` and ``comments`` (by identity key) are those already entered, written back in place. Names are
    escaped (:func:`heading_name`; :func:`parse_review` reads them back) and answers are
    quoted line by line, so no answer can start a heading or a ``Mark:`` line of its own.
    """
    marks, comments = marks or {}, comments or {}
    lines = [
        f"# Review: {q.qid} - {q.title}",
        "",
        "Mark each answer by replacing the blank after `Mark:` with a number, e.g. `Mark: 3 / 4`",
        "(`3,5` is read as 3.5); a comment for the student goes under `Comment:`.",
        f"Then run `{course_command('merge-marks')} <results folder>`.",
        "",
        "## Rubric",
        "",
        rubric.strip(),
        "",
        "---",
        "",
    ]
    for g in sorted(graded, key=lambda g: key_of(g.student)):
        if g.status != "graded":
            continue
        answer = g.answers.get(q.qid, "").strip()
        lines.append(f"{STUDENT_HEADING}{heading_name(g.student)}")
        lines.append("")
        result = g.results.get(q.qid)
        for flag in result.flags if result is not None else ():  # for the teacher; the mark is unchanged
            lines += [f"**Flagged: {md_text(flag)}.**", ""]
        searches = [n for n in g.notes if answer_search.FLAG in n]
        if searches:
            lines += ["**Notebook flagged for the teacher (answer search?):**", ""]
            lines += [f"* {md_text(n)}" for n in searches] + [""]
        if answer:
            lines += [_quote(line) for line in answer.splitlines()]
        else:
            lines.append("*(no answer)*")
        mark = marks.get(key_of(g.student), "")
        lines += ["", f"Mark: {mark} / {_fmt(max_mark)}", "", "Comment:", ""]
        comment = comments.get(key_of(g.student), "")
        lines += [comment, ""] if comment else []
        lines += ["---", ""]
    return "\n".join(lines)


_MD_ESCAPE = re.compile(r"\\(.)")
_HEADING_SPECIAL = re.compile(r"([\\`*\[\]()!#])")


def heading_name(name: str) -> str:
    """A student name for a review heading: HTML, links, code and emphasis by ``*`` made inert, but
    a plain name (``partly_wrong``) left as the teacher typed it, so the file stays easy to edit."""
    return _HEADING_SPECIAL.sub(r"\\\1", html_text(" ".join(name.split())))


def name_from_heading(text: str) -> str:
    """The student name a review heading shows (undoing :func:`heading_name`)."""
    return html.unescape(_MD_ESCAPE.sub(r"\1", text.strip()))


_COMMENT = re.compile(r"^Comment:[ \t]*\n?(?P<text>.*?)(?=^---[ \t]*$|\Z)", re.M | re.S)


def parse_comments(text: str) -> dict[str, str]:
    """The teacher's comment under each student's ``Comment:`` line of a review file, by name as
    written (the text up to the ``---`` line that closes the student's block; empty ones left out)."""
    found: dict[str, str] = {}
    for block in re.split(r"^## Student: ", text, flags=re.M)[1:]:
        student = name_from_heading(block.splitlines()[0])
        mark = MARK_LINE.search(block)
        m = _COMMENT.search(block, mark.end() if mark else 0)
        if m and m.group("text").strip():
            found[student] = m.group("text").strip()
    return found


def review_students(text: str) -> list[str]:
    """Every student a review file has a block for, by name as written."""
    return [name_from_heading(b.splitlines()[0]) for b in re.split(r"^## Student: ", text, flags=re.M)[1:]]


def decimal_point(mark: str) -> str:
    """A mark typed with a decimal comma (``4,5``, as many teachers type it) read as ``4.5``."""
    return mark.replace(",", ".") if re.fullmatch(r"\s*\d+,\d+\s*", mark) else mark


def parse_review(text: str) -> dict[str, str]:
    """Marks entered in a review file, by student name as written (blank marks are left out)."""
    marks: dict[str, str] = {}
    for block in re.split(r"^## Student: ", text, flags=re.M)[1:]:
        student = name_from_heading(block.splitlines()[0])
        m = MARK_LINE.search(block)
        if m and m.group("mark").strip():
            marks[student] = m.group("mark").strip()
    return marks
