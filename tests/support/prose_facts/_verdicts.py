"""Verdicts stated in prose, and comparisons with the op-ed dated after it.

A verdict in a lesson, the instructor guide or a rubric is followed by a tag naming its claim::

    **C4.** Partly supported<!-- verdict: C4 -->, on moderate<!-- verdict: C4 strength --> evidence.

The phrase just before a tag must be the verdict label (or, with ``strength``, the evidence
strength) that :mod:`defection_course.verdicts` defines for that claim. Any verdict-like phrase
("well supported", "not supported", "cannot be tested") without a tag is reported, so a new
statement cannot slip in untagged. A paragraph that states a verdict compares the op-ed with the
data, so every figure in it must be dated no later than the op-ed unless its sentence carries
``<!-- looking ahead -->``. Model answers (Python strings, where tags cannot go) are checked by
claim id instead: see :func:`answer_problems`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from defection_course.authoring.tags import LOOKING_AHEAD
from defection_course.claims import STRENGTHS
from defection_course.verdicts import LABELS, OPED, VERDICTS_BY_CLAIM
from support.prose_facts import TAG as FACT_TAG

TAG = re.compile(r"<!--\s*verdict:\s*(?P<claims>C\d(?:[\s,]+C\d)*)(?P<strength>\s+strength)?\s*-->")
ANY_COMMENT = re.compile(r"<!--.*?-->", re.S)
#: Labels, longest first, so "partly supported" is not read as "supported".
_LABELS = sorted(LABELS, key=len, reverse=True)
#: Phrases that state a verdict; each needs a tag (or an allowed context).
PHRASE = re.compile(
    r"\b(?:(?:well|largely|mostly|broadly|weakly|strongly|fully|partially|partly|not)\s+)?supported\b"
    r"|\bcannot tell from the data\b|\bcannot be (?:tested|judged)\b|\buntestable\b|\bplausible\b",
    re.I,
)
#: Words that say a plain-text sentence (a model answer) looks ahead of the op-ed.
LOOK_AHEAD_WORDS = (
    "later",
    "since then",
    "since the op-ed",
    "after the op-ed",
    "a year later",
    "today",
    "by 2025",
)
_CODE = re.compile(r"```.*?```", re.S)
_FRONT = re.compile(r"^---\n.*?\n---\n", re.S)
_SOURCES = re.compile(r"^## Sources\n.*", re.S | re.M)


@dataclass(frozen=True)
class VerdictTag:
    """One verdict tag in a file."""

    line: int
    claims: tuple[str, ...]
    strength: bool
    phrase: str  #: the text just before the tag, lower-cased, without Markdown emphasis


def _prose(text: str) -> str:
    """The Markdown prose of a MyST file: front matter, code and the generated Sources cell blanked.

    Blanked, not removed: line numbers stay right.
    """

    def blank(m: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", m.group(0))

    for pattern in (_FRONT, _CODE, _SOURCES):
        text = pattern.sub(blank, text)
    return text


def _before(text: str, end: int) -> str:
    head = ANY_COMMENT.sub(" ", text[max(0, end - 120) : end])
    head = re.sub(r"[*_`]", "", head).rstrip(" \t,;:.)(")
    return re.sub(r"\s+", " ", head).lower()


def tags(text: str) -> Iterator[VerdictTag]:
    """The verdict tags of a Markdown text."""
    prose = _prose(text)
    for m in TAG.finditer(prose):
        claims = tuple(re.findall(r"C\d", m.group("claims")))
        yield VerdictTag(
            prose.count("\n", 0, m.start()) + 1, claims, bool(m.group("strength")), _before(prose, m.start())
        )


def mismatches(name: str, text: str) -> list[str]:
    """Every verdict tag whose phrase is not the defined label (or strength) of its claims."""
    problems = []
    for tag in tags(text):
        where = f"{name}:{tag.line}"
        for claim in tag.claims:
            if claim not in VERDICTS_BY_CLAIM:
                problems.append(f"{where}: no verdict is defined for {claim}")
                continue
            v = VERDICTS_BY_CLAIM[claim]
            if tag.strength:
                said = next((s for s in STRENGTHS if tag.phrase.endswith(s)), None)
                if said != v.strength:
                    problems.append(
                        f"{where}: {claim}'s evidence is {v.strength!r}; the text says {tag.phrase[-30:]!r}"
                    )
                continue
            said = next((label for label in _LABELS if tag.phrase.endswith(label)), None)
            qualified = re.search(
                r"\b(well|largely|mostly|broadly|weakly|strongly|fully)\s+supported$", tag.phrase
            )
            if said is None or qualified:
                problems.append(f"{where}: state {claim}'s verdict with one of {list(LABELS)} before the tag")
            elif said != v.label:
                problems.append(
                    f"{where}: {claim} is {v.label!r} (defined in verdicts.py); the text says {said!r}"
                )
    return problems


def untagged(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """Verdict phrases without a tag, except in a sentence that contains one of ``allowed``."""
    prose = _prose(text)
    found = []
    for m in PHRASE.finditer(prose):
        after = prose[m.end() : m.end() + 40]
        if re.match(r"[*_]*\s?<!--\s*verdict:", after):
            continue
        start = max(prose.rfind(". ", 0, m.start()), prose.rfind("\n", 0, m.start()))
        stop = min(i for i in (prose.find(". ", m.end()), prose.find("\n", m.end()), len(prose)) if i >= 0)
        sentence = prose[start + 1 : stop]
        if any(a in sentence for a in allowed):
            continue
        found.append(
            f"line {prose.count(chr(10), 0, m.start()) + 1}: {m.group(0)!r} in {sentence.strip()[:80]!r}"
        )
    return found


def _paragraphs(prose: str) -> Iterator[tuple[int, str]]:
    """Paragraphs and list items, with their first line number."""
    line = 1
    for block in re.split(r"(\n\s*\n)", prose):
        if block.strip() and not block.isspace():
            offset = 0
            for item in re.split(r"\n(?=\s*(?:[*-]|\d+\.)\s)", block):
                yield line + block.count("\n", 0, offset), item
                offset += len(item) + 1
        line += block.count("\n")


def _sentences(paragraph: str) -> list[str]:
    return re.split(r"(?<=[.!?])\s+(?=[A-Z*(\"'])", paragraph)


def as_of_problems(
    name: str, text: str, as_of: dict[str, date], oped: date = OPED.written_after
) -> list[str]:
    """Figures dated after the op-ed in a paragraph that states a verdict, unless marked as looking ahead."""
    problems = []
    for line, paragraph in _paragraphs(_prose(text)):
        if not TAG.search(paragraph):
            continue
        for sentence in _sentences(paragraph):
            for m in FACT_TAG.finditer(sentence):
                fact = m.group("fact")
                if fact not in as_of:
                    problems.append(
                        f"{name}:{line}: give the date of fact {fact!r} in AS_OF (tests/support/prose_facts)"
                    )
                elif as_of[fact] > oped and LOOKING_AHEAD not in sentence:
                    problems.append(
                        f"{name}:{line}: {fact} is data of {as_of[fact]}, "
                        f"after the op-ed (written after {oped}); "
                        f"use the count of its time or mark the sentence {LOOKING_AHEAD}"
                    )
    return problems


def labels_in(sentence: str) -> list[str]:
    """The verdict labels a plain-text sentence states, in order (longest match first, no overlaps)."""
    found: list[tuple[int, str]] = []
    rest = sentence.lower()
    for label in _LABELS:
        for m in re.finditer(re.escape(label), rest):
            found.append((m.start(), label))
        rest = rest.replace(label, " " * len(label))
    return [label for _, label in sorted(found)]


_CLAIM_REF = re.compile(r"\bC(\d)(?:\s*(?:-|–|to)\s*C(\d))?\b")


def claims_in(sentence: str) -> list[str]:
    """Claim ids a sentence names, ranges ("C1-C3", "C1 to C3") expanded."""
    ids: list[str] = []
    for a, b in _CLAIM_REF.findall(sentence):
        ids += [f"C{i}" for i in range(int(a), int(b or a) + 1)]
    return ids


def claim_verdicts(sentence: str) -> list[tuple[str, str]]:
    """(claim, label) pairs: each claim named with the first label that follows it before the next claim."""
    refs = list(_CLAIM_REF.finditer(sentence))
    pairs: list[tuple[str, str]] = []
    pending: list[str] = []  # "C1 and C3 are supported": C1 shares C3's label
    for i, m in enumerate(refs):
        stop = refs[i + 1].start() if i + 1 < len(refs) else len(sentence)
        segment = sentence[m.end() : stop]
        pending += [f"C{n}" for n in range(int(m.group(1)), int(m.group(2) or m.group(1)) + 1)]
        said = labels_in(segment)
        if said:
            pairs += [(c, said[0]) for c in pending]
            pending = []
        elif not re.fullmatch(r"[\s,;]*(?:and|or|&)?[\s,;]*", segment):
            pending = []
    return pairs


def answer_problems(qid: str, claim: str, answer: str) -> list[str]:
    """A model answer's verdicts against the definitions.

    An answer to a question about one claim must state that claim's label and strength; every
    claim the answer names must be followed by its own label, if by any, before the next claim.
    """
    problems = []
    text = " ".join(answer.split())
    if claim in VERDICTS_BY_CLAIM:
        v = VERDICTS_BY_CLAIM[claim]
        if v.label not in labels_in(text):
            problems.append(f"{qid}: the model answer does not say that {claim} is {v.label!r}")
        if not re.search(rf"\b{v.strength}\b", text, re.I):
            problems.append(f"{qid}: the model answer does not say that {claim}'s evidence is {v.strength!r}")
    for sentence in _sentences(text):
        for c, said in claim_verdicts(sentence):
            if c in VERDICTS_BY_CLAIM and VERDICTS_BY_CLAIM[c].label != said:
                problems.append(
                    f"{qid}: {c} is {VERDICTS_BY_CLAIM[c].label!r}, "
                    f"the answer says {said!r}: {sentence[:80]!r}"
                )
    for m in re.finditer(
        r"\b(?:well|largely|mostly|broadly|weakly|strongly|fully)\s+supported\b", text, re.I
    ):
        problems.append(f"{qid}: {m.group(0)!r} is not a verdict label; use one of {list(LABELS)}")
    return problems


def looks_ahead(sentence: str) -> bool:
    """Whether a plain-text sentence says that it looks ahead of the op-ed."""
    low = sentence.lower()
    return any(w in low for w in LOOK_AHEAD_WORDS)


def file_problems(path: Path, root: Path, as_of: dict[str, date]) -> list[str]:
    """Tag mismatches and undated comparisons in one Markdown file."""
    text = path.read_text(encoding="utf-8")
    name = str(path.relative_to(root))
    return mismatches(name, text) + as_of_problems(name, text, as_of)
