"""Figures written in prose, checked against the data.

A data figure in a lesson's Markdown is followed by an HTML comment naming a fact::

    about 30,212<!-- fact: cumulative_end_2016 --> defectors had arrived by the end of 2016

The comment is invisible when the notebook or the website is rendered. Each lesson's facts are
computed from the course data in ``tests/support/prose_facts/lessonN.py`` (``FACTS = {id: function}``,
each function returning the figure exactly as the prose writes it); ``guide.py`` holds the
instructor guide's. ``tests/content/test_prose_facts.py`` fails when a tagged figure and the data
disagree, when a tag names an unknown fact, when a checked file states a figure without a tag, and
when one fact is written with two different values anywhere in the course.

Each module may also declare ``AS_OF`` (the date of the data behind a fact, for facts used where a
verdict compares the op-ed with the data; see ``_verdicts.py``) and ``ANSWERS`` (the facts each
written question's model answer states, and the numbers it may state that are not data; see
``_answers.py``).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

#: ``<figure><!-- fact: id -->``: the figure is the run of non-space characters just before the tag.
TAG = re.compile(r"(?P<value>[^\s(\[]*?[0-9][^\s]*?)\s?<!--\s*fact:\s*(?P<fact>[\w.-]+)\s*-->")
#: A number a reader would take for a data figure: 2+ digits, a decimal, or a percentage.
NUMBER = re.compile(
    r"(?<![\w.,/#-])"
    r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|\d+(?=\s?%| percent)|\d{2,})"
    r"(?:\s?%| percent)?(?!\w)"
)
YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
#: A day of the month ("19 September"): the number before it is part of a date, not a figure.
MONTH = re.compile(
    r"\s(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
)
_STRIP = [
    # data/README.md's column dictionary: generated from the data by build-data
    re.compile(r"<!-- BEGIN GENERATED TABLES -->.*?<!-- END GENERATED TABLES -->", re.S),
    re.compile(r"```.*?```", re.S),  # code blocks (code cells are checked by running them)
    re.compile(r"`[^`\n]*`"),  # inline code
    re.compile(r"<!--.*?-->", re.S),  # comments, including fact tags
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"https?://\S+"),
    re.compile(r"^## Sources\n.*", re.S | re.M),  # a lesson's Sources cell: generated from data/sources.csv
    re.compile(r"^---\n.*?\n---\n", re.S),  # the notebook's front matter
]

Facts = dict[str, Callable[[], str]]


@dataclass(frozen=True)
class Figure:
    """One tagged figure in a file."""

    path: Path
    line: int
    value: str
    fact: str


def _modules() -> Iterator[object]:
    for module_path in sorted(Path(__file__).parent.glob("*.py")):
        if not module_path.stem.startswith("_"):
            yield importlib.import_module(f"support.prose_facts.{module_path.stem}")


def all_facts() -> Facts:
    """Every registered fact, from every module in this folder (``FACTS`` in each)."""
    facts: Facts = {}
    for module in _modules():
        for key, fn in getattr(module, "FACTS", {}).items():
            if key in facts:
                raise ValueError(f"fact {key!r} is defined twice")
            facts[key] = fn
    return facts


def all_as_of() -> dict[str, date]:
    """The date of the data behind each fact that declares one (``AS_OF`` in each module)."""
    dated: dict[str, date] = {}
    for module in _modules():
        for key, value in getattr(module, "AS_OF", {}).items():
            if key in dated:
                raise ValueError(f"the date of fact {key!r} is given twice")
            dated[key] = date.fromisoformat(value)
    return dated


def all_answers() -> dict[str, tuple[set[str], set[str]]]:
    """For each written question: the facts its model answer states, and the other numbers it may state."""
    answers: dict[str, tuple[set[str], set[str]]] = {}
    for module in _modules():
        for qid, (listed, allowed) in getattr(module, "ANSWERS", {}).items():
            if qid in answers:
                raise ValueError(f"the facts of {qid}'s model answer are listed twice")
            answers[qid] = (set(listed), set(allowed))
    return answers


def all_checked() -> dict[str, set[str]]:
    """The files whose prose must tag every data figure (``CHECKED`` in each module).

    ``CHECKED = {"notebooks/01_defection_history.md": {"40", "15"}}`` lists, for each file, the
    numbers it may state without a tag: durations, the op-ed's own figures when quoted, counts
    of things in the course. A file joins once its data figures are tagged.
    """
    return _merged("CHECKED")


def all_allowed_phrases() -> dict[str, set[str]]:
    """Per file, snippets that mark a sentence's verdict-like words as no verdict (``ALLOWED_PHRASES``).

    ``{"notebooks/02_social_origins.md": {"supported by others"}}``: a sentence containing one of
    them ("no occupation / supported by others") may use "supported" without a verdict tag.
    """
    return _merged("ALLOWED_PHRASES")


def _merged(attr: str) -> dict[str, set[str]]:
    merged: dict[str, set[str]] = {}
    for module in _modules():
        for name, values in getattr(module, attr, {}).items():
            merged.setdefault(name, set()).update(values)
    return merged


def tagged(path: Path, text: str | None = None) -> Iterator[Figure]:
    """The tagged figures of a file."""
    text = path.read_text(encoding="utf-8") if text is None else text
    for match in TAG.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        value = match.group("value").strip("*_").rstrip(".,;:)").lstrip("~≈\"'“‘-–")
        yield Figure(path, line, value, match.group("fact"))


def mismatches(path: Path, facts: Facts, text: str | None = None) -> list[str]:
    """Every tagged figure of a file that the data do not give (or whose fact is unknown)."""
    problems = []
    for fig in tagged(path, text):
        if fig.fact not in facts:
            problems.append(f"{path.name}:{fig.line}: unknown fact {fig.fact!r}")
            continue
        expected = facts[fig.fact]()
        if fig.value != expected and not fig.value.endswith(expected):
            problems.append(
                f"{path.name}:{fig.line}: prose says {fig.value!r}, the data give {expected!r} "
                f"(fact {fig.fact})"
            )
    return problems


def untagged(text: str, allowed: set[str]) -> list[str]:
    """Numbers in prose that carry no fact tag, are not years and are not explicitly allowed."""
    body = _STRIP[-1].sub("", text, count=1)  # front matter first
    body = TAG.sub(" ", body)
    for pattern in _STRIP[:-1]:
        body = pattern.sub(" ", body)
    found = []
    for match in NUMBER.finditer(body):
        token = match.group(0)
        bare = token.replace(" percent", "").replace("%", "").strip()
        if YEAR.match(bare) or token in allowed or bare in allowed or MONTH.match(body, match.end()):
            continue
        found.append(token)
    return found
