"""The model answers of the written questions, read from the solutions' MyST sources.

A model answer is the string assigned in the ``### BEGIN SOLUTION`` region of a question's answer
cell. Fact tags cannot go inside it (a learner reading the solution would see them), so each
lesson module lists, in ``ANSWERS``, the facts a model answer states and the numbers it may state
that are not data; :func:`figure_problems` holds every number of the answer to that list.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import jupytext

from defection_course.authoring.questions import definitions_in
from support.prose_facts import MONTH, NUMBER, ROOT, YEAR, Facts
from support.prose_facts._verdicts import _sentences, looks_ahead

_REGION = re.compile(r"### BEGIN SOLUTION\n(?P<code>.*?)### END SOLUTION", re.S)


@dataclass(frozen=True)
class ModelAnswer:
    """The model answer of one written question."""

    qid: str
    claim: str
    path: Path
    text: str


def model_answers(root: Path = ROOT) -> dict[str, ModelAnswer]:
    """Every written question's model answer, by question id."""
    found: dict[str, ModelAnswer] = {}
    for path in sorted((root / "solutions").glob("[0-9][0-9]_*.md")):
        written = {
            d.question.qid: d.question.claim for d in definitions_in(path) if d.question.kind == "text"
        }
        for cell in jupytext.read(path, fmt="md:myst").cells:
            qid = cell.metadata.get("defection_course", {}).get("question")
            region = _REGION.search(cell.source)
            if qid not in written or "answer" not in cell.metadata.get("tags", []) or not region:
                continue
            tree = ast.parse(region.group("code"))
            strings = [
                n.value.value
                for n in tree.body
                if isinstance(n, ast.Assign)
                and isinstance(n.value, ast.Constant)
                and isinstance(n.value.value, str)
            ]
            if strings:
                found[qid] = ModelAnswer(qid, written[qid], path, strings[-1])
    return found


def numbers(text: str) -> list[str]:
    """The number tokens of a plain text that a reader would take for data (years left out)."""
    out = []
    for m in NUMBER.finditer(text):
        token = m.group(0)
        if not YEAR.match(token.replace("%", "").strip()) and not MONTH.match(text, m.end()):
            out.append(token.replace(" percent", "%").replace(" %", "%"))
    return out


def _matches(token: str, value: str) -> bool:
    return token == value or (
        token.rstrip("%") == value.rstrip("%") and (token.endswith("%") == value.endswith("%"))
    )


def figure_problems(answer: ModelAnswer, facts: Facts, listed: set[str], allowed: set[str]) -> list[str]:
    """Numbers of a model answer that no listed fact gives, and listed facts the answer does not state."""
    values = {f: facts[f]() for f in listed if f in facts}
    problems = [f"{answer.qid}: unknown fact {f!r} in ANSWERS" for f in sorted(listed - set(facts))]
    tokens = numbers(answer.text)
    for token in tokens:
        if token in allowed or token.rstrip("%") in allowed:
            continue
        if not any(_matches(token, v) for v in values.values()):
            problems.append(
                f"{answer.qid}: the model answer states {token!r}, "
                f"which none of its facts {sorted(listed)} give"
            )
    for fact, value in values.items():
        if re.fullmatch(r"\d", value.rstrip("%")):  # single digits are words in prose; not checked
            continue
        if not any(_matches(t, value) for t in tokens):
            problems.append(f"{answer.qid}: fact {fact} ({value!r}) is listed in ANSWERS but not stated")
    return problems


def as_of_problems(
    answer: ModelAnswer, facts: Facts, listed: set[str], as_of: dict[str, date], oped: date
) -> list[str]:
    """Sentences of a model answer that state data dated after the op-ed without saying they look ahead."""
    problems: list[str] = []
    for sentence in _sentences(" ".join(answer.text.split())):
        tokens = numbers(sentence)
        for fact in sorted(listed):
            if fact not in as_of:
                problems.append(
                    f"{answer.qid}: give the date of fact {fact!r} in AS_OF (tests/support/prose_facts)"
                )
                continue
            if fact not in facts or as_of[fact] <= oped:
                continue
            if any(_matches(t, facts[fact]()) for t in tokens) and not looks_ahead(sentence):
                problems.append(
                    f"{answer.qid}: {fact} is data of {as_of[fact]}, after the op-ed, "
                    "in a sentence that does "
                    f"not say it looks ahead: {sentence[:80]!r}"
                )
    return problems
