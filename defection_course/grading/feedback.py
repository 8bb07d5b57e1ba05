"""Feedback that goes back to students: the teacher's marks and comments, a page, a sentence.

After grading, and again after every ``merge-marks``, each student's ``feedback/<file>.md``
carries the automatic checks (:func:`.reports.feedback_markdown`) and then the teacher's mark and
comment on every written question entered so far; ``feedback/<file>.html`` is the same as a
self-contained page (no script, no external file) a teacher can return as it is. :func:`plain_feedback`
says it in a few plain sentences for an LMS feedback column. File names come from the student's
identity (:func:`.identity.file_name_of`), never from the raw name; everything from a submission
or a review file is escaped (:mod:`.textsafe`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..checks.spec import Question
from ..questions import QUESTIONS
from . import reports, textsafe
from .identity import file_name_of, key_of
from .runner import Graded

QID = re.compile(r"q\d+_\d+")


@dataclass(frozen=True)
class WrittenMark:
    """The teacher's mark and comment on one written answer of one student."""

    qid: str
    title: str
    mark: str  #: "" when not marked yet
    max_mark: float
    comment: str


def written_feedback(out: Path) -> dict[str, list[WrittenMark]]:
    """Every student's mark and comment per written question, from ``out/review/``, by identity key."""
    found: dict[str, list[WrittenMark]] = {}
    review = out / "review"
    for path in sorted(review.glob("q*.md")) if review.is_dir() else []:
        text = path.read_text(encoding="utf-8")
        m = reports.MARK_LINE.search(text)
        max_mark = float(m.group("max")) if m else 1.0
        entered, comments = reports.parse_review(text), reports.parse_comments(text)
        q = QUESTIONS.get(path.stem)
        title = q.title if q else path.stem
        for student in reports.review_students(text):
            found.setdefault(key_of(student), []).append(
                WrittenMark(
                    path.stem,
                    title,
                    valid_mark(entered.get(student, ""), max_mark),
                    max_mark,
                    comments.get(student, ""),
                )
            )
    return found


def valid_mark(mark: str, max_mark: float) -> str:
    """A mark as the gradebook counts it (``3,5`` -> ``3.5``), or "" for one merge-marks would refuse:
    feedback never shows a mark that is not the student's."""
    try:
        value = float(reports.decimal_point(mark))
    except ValueError:
        return ""
    return f"{value:g}" if 0 <= value <= max_mark else ""


def label(qid: str) -> str:
    """The question as the exercise heads it: ``q2_6`` -> ``Q2.6``."""
    return qid.upper().replace("_", ".")


def _unmarked(w: WrittenMark, row: dict[str, str]) -> str:
    """What an answer without a mark means: waiting for the teacher, or no answer (0)."""
    return "not marked yet" if row.get(w.qid) == "to mark" else f"0 out of {w.max_mark:g} (no answer)"


def written_markdown(written: list[WrittenMark], row: dict[str, str]) -> str:
    """The feedback file's section with the teacher's marks and comments (comments as verbatim text);
    ``row`` is the student's gradebook row (it says which answers wait for a mark)."""
    if not written:
        return ""
    lines = ["", "## Your teacher's marks for the written answers", ""]
    for w in written:
        mark = f"{w.mark} out of {w.max_mark:g}" if w.mark else _unmarked(w, row)
        lines += [f"### {label(w.qid)}: {textsafe.md_inline(w.title)}", "", f"**Mark:** {mark}", ""]
        if w.comment:
            lines += ["**Comment:**", "", textsafe.md_block(w.comment), ""]
    return "\n".join(lines) + "\n"


def plain_feedback(row: dict[str, str], written: list[WrittenMark]) -> str:
    """A few plain sentences for an LMS feedback column, from a gradebook row and the written marks."""
    written_q = {w.qid for w in written}
    auto_q = [q for q in row if QID.fullmatch(q) and q not in written_q]
    missed = [q for q in auto_q if row[q] == "0"]
    parts = [
        f"Automatically checked: {row['auto_score']} of {row['auto_max']} points"
        + (f" (not yet right: {', '.join(label(q) for q in missed)})." if missed else " (all right).")
    ]
    pending = False
    for w in written:
        if w.mark:
            comment = " ".join(w.comment.split())
            said = f" Your teacher's comment: {comment}" if comment else ""
            said += "" if said.endswith((".", "!", "?")) or not said else "."
            parts.append(f"Written answer {label(w.qid)}: {w.mark} of {w.max_mark:g}.{said}")
        elif row.get(w.qid) == "to mark":
            pending = True
            parts.append(
                f"Written answer {label(w.qid)} is not marked yet (up to {w.max_mark:g} more points)."
            )
        else:
            parts.append(f"Written answer {label(w.qid)}: 0 of {w.max_mark:g} (no answer).")
    parts.append(
        f"Total so far: {row['total']} out of {row['max']}; it will change when your written answer "
        "is marked."
        if pending
        else f"Total: {row['total']} out of {row['max']}."
    )
    return " ".join(parts)


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Feedback: {title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;
line-height:1.5;color:#1a1a1a}}
pre{{white-space:pre-wrap;background:#f4f4f4;padding:.6rem;border-radius:4px}}
.total{{font-size:1.3rem;font-weight:600}}</style></head>
<body><main>
<h1>Feedback: {title}</h1>
<p><strong>Student:</strong> {student}</p>
<p class="total">{summary}</p>
<pre>{body}</pre>
</main></body></html>
"""


def feedback_html(student: str, title: str, row: dict[str, str], markdown: str) -> str:
    """A self-contained page (no script, no external file) a teacher can return to one student.

    Everything from the submission or the review file is escaped; the Markdown is shown as text.
    """
    if row.get("status") == "graded":
        summary = f"Score: {row['total']} out of {row['max']}"
        if row.get("written_to_mark") == "yes":
            summary += " (a written answer is not marked yet)"
    else:
        summary = "Your notebook could not be graded."
    return _PAGE.format(
        title=textsafe.html_text(title),
        student=textsafe.html_text(student),
        summary=textsafe.html_text(summary),
        body=textsafe.html_text(markdown),
    )


def write_feedback(
    out: Path, graded: list[Graded], questions: list[Question], exercise: str, rows: list[dict[str, str]]
) -> None:
    """Each student's ``feedback/<file>.md`` and self-contained ``.html``, with the teacher's marks
    and comments on the written answers entered so far (after grading, and after merge-marks)."""
    written = written_feedback(out)
    title = Path(exercise).stem.replace("_", " ")
    by_student = {key_of(r["student"]): r for r in rows}
    for g in graded:
        key = key_of(g.student)
        mine = written.get(key, []) if g.status == "graded" else []
        row = by_student.get(key, {})
        text = reports.feedback_markdown(g, questions, title) + written_markdown(mine, row)
        name = file_name_of(g.student)
        reports.atomic_write(out / "feedback" / f"{name}.md", text)
        page = feedback_html(g.student, title, row, text)
        reports.atomic_write(out / "feedback" / f"{name}.html", page)
