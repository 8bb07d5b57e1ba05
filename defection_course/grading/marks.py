"""Merge the marks a teacher entered in the review files back into the gradebook, and give the
feedback back: each student's feedback file (.md and a self-contained .html page, see
:mod:`.feedback`) then carries the teacher's mark and comment per written question."""

from __future__ import annotations

from pathlib import Path

from ..errors import CourseError
from ..questions import QUESTIONS
from . import feedback, manifest, reports
from .batch import load_store
from .identity import key_of


def merge_marks(out: Path, expected_sha: str | None = None) -> tuple[dict[str, int], str]:
    """Read ``out/review/*.md``, validate the marks and rewrite ``out/gradebook.csv``.

    The results folder is verified against its manifest first (and against ``expected_sha``, the
    manifest digest the grader printed, when given): tampered results are refused, never re-signed.
    Marks are matched to students by identity (:mod:`.identity`), so a name written with another
    case, spacing or Unicode form in the review file still finds its student. Raises
    :class:`CourseError` listing every invalid mark (not a number, negative, above the maximum, or
    for an unknown student) without changing the gradebook. A decimal comma (``4,5``) is read as
    a decimal point. Every student's feedback (.md and .html) is rewritten with the marks and
    comments. Returns the marks merged per question and the new manifest's SHA-256.
    """
    manifest.require_intact(out, expected_sha, "merge marks")
    graded, store = load_store(out)
    students = {key_of(g.student) for g in graded if g.status == "graded"}
    qids = [qid for qid in (p.stem for p in sorted((out / "review").glob("q*.md")))]
    if not graded:
        raise CourseError("no graded submissions in this results folder")
    lesson = int(qids[0].split("_")[0][1:]) if qids else None
    questions = [q for q in QUESTIONS.values() if lesson is None or q.lesson == lesson]
    marks: dict[str, dict[str, str]] = {}
    maxima: dict[str, float] = {}
    problems: list[str] = []
    counts: dict[str, int] = {}
    for qid in qids:
        text = (out / "review" / f"{qid}.md").read_text(encoding="utf-8")
        entered = reports.parse_review(text)
        m = reports.MARK_LINE.search(text)
        max_mark = float(m.group("max")) if m else 1.0
        maxima[qid] = max_mark
        good: dict[str, str] = {}
        for student, mark in entered.items():
            if key_of(student) not in students:
                problems.append(f"{qid}: unknown student '{student}'")
                continue
            try:
                value = float(reports.decimal_point(mark))
            except ValueError:
                problems.append(f"{qid}, {student}: '{mark}' is not a number")
                continue
            if not 0 <= value <= max_mark:
                problems.append(f"{qid}, {student}: {mark} is outside 0-{max_mark:g}")
                continue
            good[key_of(student)] = f"{value:g}"
        marks[qid] = good
        counts[qid] = len(good)
    if problems:
        raise CourseError("The gradebook was not changed; fix these marks first:\n  " + "\n  ".join(problems))
    about = store.get("submissions", {})
    rows = [
        reports.row_for(g, questions, marks, maxima, about.get(key_of(g.student), {}).get("late", ""))
        for g in graded
    ]
    reports.atomic_write(out / reports.GRADEBOOK, reports.render_gradebook(rows, questions))
    feedback.write_feedback(out, graded, questions, store.get("exercise", "exercise"), rows)
    info = {k: v for k, v in manifest.load(out).items() if k not in ("files", "algorithm", "written")}
    digest = manifest.write(
        out, info or {"exercise": store.get("exercise", ""), "isolation": store.get("isolation", "")}
    )
    return counts, digest
