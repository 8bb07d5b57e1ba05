"""The authoring tags that sit in the course's Markdown as HTML comments.

``30,212<!-- fact: cumulative_end_2016 -->`` ties a figure to the data, ``Partly supported<!-- verdict:
C4 -->`` ties a verdict to :mod:`defection_course.verdicts`, and ``<!-- looking ahead -->`` marks a
sentence that uses data dated after the op-ed. Rendered notebooks and the website hide them; text
copied out of a notebook for people to read (a rubric in a review file, an nbgrader comment) drops
them with :func:`strip_tags`. The tests in ``tests/content/`` read them.
"""

from __future__ import annotations

import re

#: Every authoring tag, with the space before it (so "95.1% <!-- fact: x -->" becomes "95.1%").
TAG = re.compile(r"[ \t]?<!--\s*(?:fact:|verdict:|looking ahead)[^>]*?-->")
LOOKING_AHEAD = "<!-- looking ahead -->"


def strip_tags(text: str) -> str:
    """The text without its authoring tags."""
    return TAG.sub("", text)
