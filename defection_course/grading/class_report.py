"""A class report from a graded results folder: ``python -m defection_course report RESULTS``.

It reads only what the grader wrote (``graded.json`` through :func:`~.batch.load_store`, and
``gradebook.csv``, which holds the hand marks merged so far) and writes two files with the same
content:

* ``report.html``: one self-contained page (figures inlined as PNG data, styles inline, no
  script and no external address), to open in any browser or send by e-mail;
* ``report.ipynb``: the same sections as Markdown cells, figures as cell attachments.

Sections: the score distribution, every student by total score (written marks included once
merged) with the questions not yet right, the pass rate of each question, the most common mistakes
per question (grouped by the mistake the check recognised, with its message, so the next class can
start from them), the files that could not be graded and why, the notebooks and answers flagged
for the teacher (answer searches, written-answer heuristics) with the reasons, the written answers
waiting for a mark (with word-for-word identical answers grouped), and how long grading took.
Every figure has alt text and uses the course palette.
"""

from __future__ import annotations

import base64
import csv
import html
import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from ..checks.spec import NOT_ANSWERED, PASSED, RECORDED, Question
from ..errors import CourseError
from ..questions import QUESTIONS
from ..style import OKABE_ITO
from . import answer_search, manifest
from .batch import load_store
from .feedback import written_feedback
from .identity import key_of
from .reports import GRADEBOOK, atomic_write, unneutralise
from .runner import Graded
from .textsafe import md_text

BLUE, VERMILLION, GREY = OKABE_ITO["blue"], OKABE_ITO["vermillion"], "#595959"
NUMBER = re.compile(r"-?\d[\d,]*(\.\d+)?")


@dataclass
class Figure:
    """One figure of the report: PNG bytes, alt text, a caption."""

    name: str
    png: bytes
    alt: str
    caption: str


@dataclass
class Section:
    """A heading, Markdown-free body parts (HTML and Markdown side by side) and figures."""

    title: str
    html: list[str] = field(default_factory=list)
    markdown: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)

    def para(self, text: str) -> None:
        self.html.append(f"<p>{html.escape(text)}</p>")
        self.markdown.append(md_text(text))  # names, answers and exception texts: never raw HTML

    def table(self, caption: str, header: list[str], rows: list[list[str]]) -> None:
        head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in header)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
        )
        self.html.append(
            f"<table><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>"
        )
        md = [f"*{md_text(caption)}*", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        md += ["| " + " | ".join(md_text(c) for c in row) + " |" for row in rows]
        self.markdown.append("\n".join(md))


def mistake_of(q: Question, message: str) -> str:
    """The name of the mistake a check message reports, or its wording with numbers left out."""
    for name, text in q.mistakes.items():
        if message == text:
            return name
    return NUMBER.sub("…", message)


def _gradebook(results: Path) -> dict[str, dict[str, str]]:
    path = results / GRADEBOOK
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {unneutralise(r["student"]): r for r in csv.DictReader(fh)}


def _questions(graded: list[Graded], exercise: str) -> list[Question]:
    qids = {qid for g in graded for qid in g.results}
    if not qids and exercise[:2].isdigit():  # nothing graded: the questions of the exercise's lesson
        return [q for q in QUESTIONS.values() if q.lesson == int(exercise[:2])]
    return [q for qid, q in QUESTIONS.items() if qid in qids]


def _figure_png(fig) -> bytes:
    from ..figures import figure_png

    return figure_png(fig)


def _score_figure(scores: list[float], maximum: float, merged: bool = False) -> Figure:
    """The score histogram: automatic points, or (``merged``) totals with the written marks merged
    so far, a bar per whole point (a half mark counts in the bar below it)."""
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    from ..style import use_course_style

    use_course_style()
    counts = Counter(math.floor(x) for x in scores)
    xs = list(range(int(maximum) + 1))
    what = "total points, written marks merged so far included" if merged else "automatically checked points"
    whole = all(float(x).is_integer() for x in scores)
    fig, ax = plt.subplots(figsize=(7, 3.6))
    ax.bar(xs, [counts.get(x, 0) for x in xs], color=BLUE, edgecolor="black", hatch="//")
    ax.set_xticks(xs)
    ax.set_xlabel(f"{what} (out of {maximum:g})")
    ax.set_ylabel("students")
    ax.set_title("Score distribution")
    most = max(xs, key=lambda x: counts.get(x, 0))
    alt = (
        f"Bar chart of how many students scored each number of {what}, from 0 to {maximum:g}: "
        + ", ".join(f"{counts.get(x, 0)} scored {x}" + ("" if whole else f" to under {x + 1}") for x in xs)
        + f". The most common score is {most}; the median is {statistics.median(scores):g}."
    )
    caption = (
        f"{len(scores)} graded notebooks; written marks merged so far included."
        if merged
        else f"{len(scores)} graded notebooks; written answers not included."
    )
    return Figure("scores.png", _figure_png(fig), alt, caption)


def _pass_figure(rates: list[tuple[str, float, float]]) -> Figure:
    fig, labels, passed, blank = _pass_chart(rates)
    alt = "Horizontal bar chart of the share of graded notebooks that passed each question: " + "; ".join(
        f"{qid} {p:.0f}% passed, {b:.0f}% not answered" for qid, p, b in zip(labels, passed, blank)
    )
    return Figure("pass_rates.png", _figure_png(fig), alt + ".", "Passed (solid) and not answered (dotted).")


def _pass_chart(rates: list[tuple[str, float, float]]) -> tuple[Any, list[str], list[float], list[float]]:
    """The pass-rate chart; its legend sits to the right of the axes, where no bar can be (bars
    reach 100%)."""
    import matplotlib.pyplot as plt

    labels = [qid for qid, _, _ in rates]
    fig, ax = plt.subplots(figsize=(7, 0.6 * len(rates) + 1.2))
    passed = [100 * p for _, p, _ in rates]
    blank = [100 * b for _, _, b in rates]
    ax.barh(labels, passed, color=BLUE, edgecolor="black", label="passed")
    ax.barh(labels, blank, left=passed, color="white", edgecolor=GREY, hatch="..", label="not answered")
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of graded notebooks")
    ax.set_title("Pass rate per question")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=True)
    return fig, labels, passed, blank


def _timing_figure(seconds: list[float]) -> Figure:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3))
    ax.hist(
        seconds, bins=min(20, max(5, len(seconds) // 4)), color=OKABE_ITO["bluish green"], edgecolor="black"
    )
    ax.set_xlabel("seconds to grade one notebook")
    ax.set_ylabel("notebooks")
    ax.set_title("Grading time per notebook")
    alt = (
        f"Histogram of the time the grader took per notebook: from {min(seconds):.1f} to "
        f"{max(seconds):.1f} seconds, median {statistics.median(seconds):.1f} seconds."
    )
    return Figure("timing.png", _figure_png(fig), alt, "Each notebook ran in its own fresh kernel.")


def build_sections(results: Path, expected_sha: str | None = None) -> tuple[str, list[Section]]:
    """The report's title and sections, from a results folder (refused if it does not match its manifest)."""
    manifest.require_intact(results, expected_sha, "write a report")
    graded, store = load_store(results)
    if not graded:
        raise CourseError(f"{results} holds no submissions")
    book = _gradebook(results)
    entered = written_feedback(results)  # the teacher's marks and comments, by identity
    questions = _questions(graded, str(store.get("exercise", "")))
    ok = [g for g in graded if g.status == "graded"]
    not_ok = [g for g in graded if g.status != "graded"]
    auto = [q for q in questions if q.kind != "text"]
    written = [q for q in questions if q.kind == "text"]
    title = f"Class report: {Path(store.get('exercise', 'exercise')).stem.replace('_', ' ')}"
    sections: list[Section] = []

    s = Section("Summary")
    s.para(
        f"{len(graded)} files handed in: {len(ok)} graded, "
        f"{sum(g.status == 'rejected' for g in graded)} could not be graded (rejected), "
        f"{sum(g.status == 'error' for g in graded)} failed in the grader."
    )
    maximum = float(sum(q.points for q in auto))
    scores = [float(sum(q.points for q in auto if g.results[q.qid].status == PASSED)) for g in ok]
    if ok:
        s.para(
            f"Automatically checked points: median {statistics.median(scores):g} of {maximum:g}, "
            f"mean {statistics.mean(scores):.1f}; {sum(x == maximum for x in scores)} notebooks passed "
            f"every automatic check."
        )
        totals = [_total(book.get(g.student, {})) for g in ok]
        merged = any(
            w.mark and w.mark == book.get(g.student, {}).get(w.qid)
            for g in ok
            for w in entered.get(key_of(g.student), [])
        )
        if merged:  # the teacher's marks are in: the distribution of totals, as the LMS will get them
            top = max((float(book.get(g.student, {}).get("max") or 0) for g in ok), default=maximum)
            s.figures.append(_score_figure(totals, top, merged=True))
        else:
            s.figures.append(_score_figure(scores, maximum))
    sections.append(s)

    if ok:
        sections.append(_students_section(ok, questions, book))
        s = Section("Pass rate per question")
        rates = []
        rows = []
        for q in auto:
            statuses = Counter(g.results[q.qid].status for g in ok)
            p, b = statuses[PASSED] / len(ok), statuses[NOT_ANSWERED] / len(ok)
            rates.append((q.qid, p, b))
            rows.append(
                [q.qid, q.title, f"{100 * p:.0f}%", f"{100 * b:.0f}%", str(len(ok) - statuses[PASSED])]
            )
        s.figures.append(_pass_figure(rates))
        s.table(
            "Pass rate per automatically checked question",
            ["Question", "Title", "Passed", "Not answered", "Not passed (students)"],
            rows,
        )
        sections.append(s)

        s = Section("Most common mistakes")
        s.para(
            "For each question, what the checks recognised in the answers that did not pass, most "
            "frequent first (named mistakes are the ones the check knows; other messages are grouped "
            "by their wording with numbers left out). Start the next class from the top rows."
        )
        for q in questions:
            found: Counter[str] = Counter()
            message: dict[str, str] = {}
            for g in ok:
                r = g.results[q.qid]
                if r.status in (PASSED, RECORDED):
                    continue
                key = "not answered" if r.status == NOT_ANSWERED else mistake_of(q, r.message)
                found[key] += 1
                message.setdefault(key, r.message)
            rows = [
                [key, str(n), message[key] if key != "not answered" else "(left blank or never set)"]
                for key, n in found.most_common(5)
            ]
            if rows:
                s.table(f"{q.qid}: {q.title}", ["Mistake", "Students", "What the check said"], rows)
            else:
                s.para(f"{q.qid}: every graded answer passed or was recorded.")
        sections.append(s)

    s = Section("Files that could not be graded")
    if not_ok:
        s.table(
            "Rejected files and grader failures: ask these students for a new copy",
            ["Student", "Status", "Why"],
            [[g.student, g.status, g.reason] for g in sorted(not_ok, key=lambda g: g.student)],
        )
    else:
        s.para("Every file could be graded.")
    sections.append(s)

    sections.append(_flags_section(ok))

    s = Section("Written answers waiting for a mark")
    for q in written:
        waiting = sorted(g.student for g in ok if book.get(g.student, {}).get(q.qid) == "to mark")
        marked = [
            g.student
            for g in ok
            if any(w.qid == q.qid and w.mark for w in entered.get(key_of(g.student), []))
            and NUMBER.fullmatch(book.get(g.student, {}).get(q.qid, "") or "")
        ]
        rest = len(ok) - len(waiting) - len(marked)
        s.para(
            f"{q.qid} ({q.title}): {len(ok)} graded notebooks: {len(marked)} answers marked, "
            f"{len(waiting)} waiting for a mark in review/{q.qid}.md, {rest} blank and not marked "
            "(0 unless you mark them otherwise)."
        )
        if waiting:
            s.para("Waiting: " + ", ".join(waiting) + ".")
        same = identical_answers(ok, q.qid)
        if same:
            s.table(
                f"{q.qid}: word-for-word identical answers (spacing and case ignored): check them "
                "before marking; whether one was copied is for you to judge",
                ["Students", "How many"],
                [[", ".join(v), str(len(v))] for v in same],
            )
    if not written:
        s.para("This exercise has no written answers.")
    sections.append(s)

    s = Section("Timing")
    seconds = [g.seconds for g in graded if g.seconds > 0]
    if seconds:
        slow = sorted(graded, key=lambda g: -g.seconds)[:5]
        s.para(
            f"Grading took {sum(seconds):.0f} s of kernel time in total ({statistics.median(seconds):.1f} s "
            f"per notebook, median; slowest {max(seconds):.1f} s)."
        )
        s.table(
            "The slowest notebooks", ["Student", "Seconds"], [[g.student, f"{g.seconds:.1f}"] for g in slow]
        )
        s.figures.append(_timing_figure(seconds))
    else:
        s.para("No timing recorded.")
    sections.append(s)
    return title, sections


MIN_IDENTICAL_CHARS = 20  #: shorter identical answers ("yes", "I don't know") are not grouped


def identical_answers(ok: list[Graded], qid: str) -> list[list[str]]:
    """Groups of two or more students whose answers to ``qid`` are the same text (white space and
    case ignored), largest group first."""
    groups: dict[str, list[str]] = {}
    for g in ok:
        text = " ".join(g.answers.get(qid, "").split()).casefold()
        if len(text) >= MIN_IDENTICAL_CHARS:
            groups.setdefault(text, []).append(g.student)
    return sorted((sorted(v) for v in groups.values() if len(v) > 1), key=lambda v: (-len(v), v))


def _total(row: dict[str, str]) -> float:
    """The gradebook's numeric total (0 when there is none)."""
    try:
        return float(row.get("total", "") or 0)
    except ValueError:
        return 0.0


def _students_section(
    ok: list[Graded], questions: list[Question], book: dict[str, dict[str, str]]
) -> Section:
    """Every graded student by total score, lowest first, with the questions not yet right."""
    s = Section("Students by score")
    s.para(
        "Every graded student, lowest total first (written marks included once merged with "
        "merge-marks), with the questions that are not yet right: the students to see first are at "
        "the top."
    )
    rows = []
    for g in sorted(ok, key=lambda g: (_total(book.get(g.student, {})), key_of(g.student))):
        r = book.get(g.student, {})
        missed = [q.qid for q in questions if q.kind != "text" and g.results[q.qid].status != PASSED]
        marks = [f"{q.qid}: {r.get(q.qid, '')}" for q in questions if q.kind == "text"]
        rows.append(
            [
                g.student,
                f"{_total(r):g} of {r.get('max', '')}",
                ", ".join(missed) or "none",
                "; ".join(marks) or "-",
                r.get("late", "") or "-",
            ]
        )
    s.table(
        "Students by total score, lowest first",
        ["Student", "Total", "Automatic questions not yet right", "Written (mark)", "Late"],
        rows,
    )
    return s


def _flags_section(ok: list[Graded]) -> Section:
    """The notebooks the answer searches flagged and the answers a heuristic flagged, with reasons.

    Flags never change a mark: they say where the teacher should look.
    """
    s = Section("Flagged for the teacher")
    rows = []
    for g in sorted(ok, key=lambda g: key_of(g.student)):
        rows += [[g.student, "notebook", n] for n in g.notes if answer_search.FLAG in n]
        for qid, r in sorted(g.results.items()):
            rows += [[g.student, qid, flag] for flag in r.flags]
    if rows:
        s.para(
            f"{len({r[0] for r in rows})} graded notebooks carry a flag: a code cell that may search "
            "for the answers, a written answer a heuristic found odd, or a figure whose labels the check "
            "could not tie to the data. A flag is not a mark: every "
            "answer was checked as usual; look at these notebooks yourself."
        )
        s.table("Flags, by student", ["Student", "Where", "Why"], rows)
    else:
        s.para("No notebook was flagged.")
    return s


CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#1a1a1a;line-height:1.5}
h1{font-size:1.8rem}h2{margin-top:2.5rem;border-bottom:2px solid #0072B2}
table{border-collapse:collapse;margin:1rem 0;width:100%}caption{text-align:left;font-weight:600;
padding:.3rem 0}th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#e8f1f8}figure{margin:1rem 0}img{max-width:100%;height:auto}
figcaption{color:#404040;font-size:.95rem}
"""


def render_html(title: str, sections: list[Section]) -> str:
    """One self-contained HTML page."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body><main>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    for s in sections:
        parts.append(f"<section><h2>{html.escape(s.title)}</h2>")
        parts += s.html
        for f in s.figures:
            data = base64.b64encode(f.png).decode("ascii")
            parts.append(
                f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(f.alt)}">'
                f"<figcaption>{html.escape(f.caption)}</figcaption></figure>"
            )
        parts.append("</section>")
    parts.append("</main></body></html>")
    return "\n".join(parts) + "\n"


def render_notebook(title: str, sections: list[Section]) -> nbformat.NotebookNode:
    """The same report as a notebook: Markdown cells, figures as attachments (nothing to run)."""
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell(f"# {title}"))
    for s in sections:
        text = [f"## {s.title}", *s.markdown]
        attachments = {}
        for f in s.figures:
            alt = f.alt.replace("[", "(").replace("]", ")")
            text.append(f"![{alt}](attachment:{f.name})\n\n*{f.caption}*")
            attachments[f.name] = {"image/png": base64.b64encode(f.png).decode("ascii")}
        cell = nbformat.v4.new_markdown_cell("\n\n".join(text))
        if attachments:
            cell["attachments"] = attachments
        nb.cells.append(cell)
    return nb


def write_report(
    results: Path, out: Path | None = None, expected_sha: str | None = None
) -> tuple[Path, Path]:
    """Write ``report.html`` and ``report.ipynb`` (into ``out``, default the results folder)."""
    out = out or results
    title, sections = build_sections(results, expected_sha)
    html_path, nb_path = out / "report.html", out / "report.ipynb"
    atomic_write(html_path, render_html(title, sections))
    atomic_write(nb_path, nbformat.writes(render_notebook(title, sections)) + "\n")
    return html_path, nb_path
