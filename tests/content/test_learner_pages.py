"""Learners' pages do not send learners to ``solutions/``; one paragraph says when and where.

Read from the repository's lesson and exercise notebooks (what ``make lab``, the learners'
website and the hand-out show); ``tests/site/test_site.py`` checks the built site's links.
"""

from __future__ import annotations

import re

import nbformat
from support import EXERCISES, LESSONS, ROOT

from defection_course.handout import scrub

START = ROOT / "notebooks" / "00_start_here.ipynb"
POINTER = re.compile(r"solutions/|\]\([^)]*solutions")


def _markdown(path) -> str:
    return "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")


def test_no_lesson_or_exercise_points_to_the_solutions_folder() -> None:
    pages = sorted({START, *LESSONS, *EXERCISES})
    assert len(pages) >= 11
    found = {p.relative_to(ROOT).as_posix(): POINTER.findall(_markdown(p)) for p in pages}
    assert not {k: v for k, v in found.items() if v}, found


def test_the_start_page_says_once_when_and_where_solutions_are_and_the_hand_out_drops_it() -> None:
    text = _markdown(START)
    paragraphs = [p for p in text.split("\n") if "solutions" in p.lower()]
    worked = [p for p in paragraphs if p.startswith("**Worked solutions.**")]
    assert len(worked) == 1, paragraphs
    assert "teacher" in worked[0] and "on your own" in worked[0]  # both readers are answered
    assert "Worked solutions" not in scrub(text)
    others = [_markdown(p) for p in [*LESSONS, *EXERCISES] if p != START]
    assert not [t for t in others if "**Worked solutions.**" in t], "said in more than one place"
