"""Student-controlled text made inert for every format the grader writes.

Names, answers and exception texts come from submissions. Anything from a submission that goes
into Markdown (feedback, review files, the notebook report), HTML (the class report, feedback
pages) or a notebook passes through one of these functions, so ``<img src=x onerror=…>`` shows
as text wherever a teacher or a student opens the file. CSV cells go through
:func:`defection_course.grading.reports.neutralise` (formula injection).
"""

from __future__ import annotations

import html
import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>-])")


def html_text(text: object) -> str:
    """Text for an HTML element or attribute value: ``& < > " '`` escaped."""
    return html.escape(str(text), quote=True)


def md_inline(text: object) -> str:
    """Text for one line of Markdown (a heading, a list item, a table cell), shown literally.

    HTML is escaped (Markdown renderers pass raw HTML through), Markdown punctuation is
    backslash-escaped, and line breaks become spaces so the text cannot start a new block.
    """
    one_line = " ".join(str(text).split())
    return _MD_SPECIAL.sub(r"\\\1", html_text(one_line))


_MD_LINK = re.compile(r"([\\\[\]`])")


def md_text(text: object) -> str:
    """Prose from a submission inside a line of Markdown (a list item, after a label), readable.

    On one line, HTML escaped, and ``\\ [ ] `` ` `` backslash-escaped, so the text can neither be
    HTML nor a link, image or code span; other punctuation (``check()``, ``q1_1``) stays as it is.
    """
    one_line = " ".join(str(text).split())
    return _MD_LINK.sub(r"\\\1", html_text(one_line))


def md_block(text: object, info: str = "text") -> str:
    """Text as a fenced code block (shown verbatim by every Markdown renderer, HTML included).

    The fence is longer than any run of backticks in the text, so the text cannot close it.
    """
    body = str(text)
    longest = max((len(m) for m in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{body.rstrip()}\n{fence}"
