"""Written answers: what a teacher may want to look at, never a mark.

A written answer is marked by the teacher. The checks only say when an answer *may* be filler,
as a flag with its reason for the teacher; a flag never changes the mark and is never shown
to the learner as an accusation. Words are found by Unicode word segmentation (``\\w+``), so
Korean, Chinese or Japanese answers are read as words too (runs of Han characters or kana,
written without spaces, are read one character at a time).

Reasons, each measured on text outside this module (see tests/checks/test_written.py):

* lorem ipsum, the same few words repeated, a copy of the question or its hint;
* *not English, and not the course's words*: few of the commonest English words **and** few
  words of the course's own lessons (Latin filler, random letters);
* *course words in no order*: the words are the course's, but hardly any two neighbours occur
  together in the course's lessons (shuffled course words).
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from pathlib import Path

#: the flag text starts with this (the review file shows it to the teacher)
PLACEHOLDER = "this looks like placeholder text"

_WORD = re.compile(r"\w+")
#: scripts written without spaces: one word per character
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[a-z]+")

#: the commonest English words (function words); genuine English prose is a third or more of them
COMMON_ENGLISH = frozenset(
    """
    a about above after again against all also an and any are as at be because been before
    being between both but by can could did do does doing down during each even few for from
    further had has have having he her here hers him his how i if in into is it its itself just
    least less many may me might more most much must my no nor not now of off on once one only
    or other our out over own per same she should since so some such than that the their them
    then there these they this those though through to too under until up upon very was we were
    what when where whether which while who whom why will with within without would yet you
    your
    """.split()  # noqa: SIM905 (a word list reads best as words)
)


def words(text: str) -> list[str]:
    """The words of a text in any script, lower-cased."""
    out: list[str] = []
    for w in _WORD.findall(text.lower()):
        if _UNSPACED.search(w):
            out += [c for c in re.split(r"(" + _UNSPACED.pattern + r")", w) if c]
        else:
            out.append(w)
    return out


def _ngrams(ws: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(ws[i : i + n]) for i in range(len(ws) - n + 1)}


@lru_cache(maxsize=1)
def course_text() -> str:
    """The prose of the course's lessons (the reference for its vocabulary and word order)."""
    from ..paths import course_root

    try:
        folder = course_root() / "notebooks"
        files = sorted(Path(folder).glob("0[0-9]_*.md"))
        return "\n".join(p.read_text(encoding="utf-8") for p in files)
    except OSError:  # a copy of the package without the lessons: only the question's own text
        return ""


@lru_cache(maxsize=1)
def _course_vocabulary() -> tuple[frozenset[str], frozenset[tuple[str, ...]]]:
    ws = _LATIN.findall(course_text().lower())
    return frozenset(ws), frozenset(_ngrams(ws, 2))


def _latin_words(text: str) -> list[str]:
    return [w for w in _LATIN.findall(text.lower())]


def placeholder_reason(text: str, question_text: str = "") -> str | None:
    """Why a written answer may be filler, or None if it reads like an answer.

    ``question_text`` is the question's own prompt and hint (copying them is not an answer).
    """
    ws = words(text)
    if "lorem" in ws and "ipsum" in ws:
        return "lorem ipsum"
    if len(ws) >= 20 and (len(set(ws)) / len(ws) < 0.2 or max(ws.count(w) for w in set(ws)) > 0.3 * len(ws)):
        return "the same few words repeated"
    given = _ngrams(ws, 5)
    if given and question_text:
        source = _ngrams(words(question_text), 5)
        if len(given & source) / len(given) >= 0.5:
            return "mostly a copy of the question or its hint"
    latin = _latin_words(text)
    if len(latin) < 15 or len(latin) < 0.5 * len(ws):
        return None  # too short to judge, or mostly another script: nothing more to say
    vocabulary, bigrams = _course_vocabulary()
    vocabulary = vocabulary | set(_latin_words(question_text))
    common = sum(w in COMMON_ENGLISH for w in latin) / len(latin)
    known = sum(w in vocabulary or w in COMMON_ENGLISH for w in latin) / len(latin)
    if common < 0.12 and known < 0.5:
        return "not English and not the course's words (e.g. Latin filler)"
    if bigrams:
        pairs = list(itertools.pairwise(latin))
        together = sum(p in bigrams for p in pairs) / len(pairs)
        if together < 0.15:
            return "the course's words in no order (hardly any two neighbours occur together in the lessons)"
    return None


def flags_for(text: str, question_text: str, min_words: int) -> tuple[tuple[str, ...], str]:
    """The teacher's flags for a written answer, and a note for the learner (on its length only)."""
    flags: list[str] = []
    reason = placeholder_reason(text, question_text)
    if reason is not None:
        flags.append(f"{PLACEHOLDER} ({reason}); the mark is yours to give")
    n = len(words(text))
    note = ""
    if n < min_words:
        flags.append(f"shorter than asked ({n} of at least {min_words} words)")
        note = f"your answer has {n} words; write at least {min_words}, citing the figures you rely on."
    return tuple(flags), note
