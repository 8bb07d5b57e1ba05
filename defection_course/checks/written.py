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
* *words in no order*: the order of common and content words reads no better than the same
  words shuffled (shuffled course words), by a word-class model of the lessons' prose.
"""

from __future__ import annotations

import itertools
import math
import random
import re
import statistics
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


def word_count(text: str) -> int:
    """Words as a reader counts them: separated by spaces, and each Han or kana character one word."""
    return sum(len(_UNSPACED.findall(w)) or 1 for w in text.split())


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


def _prose(text: str) -> str:
    """The prose of MyST lessons: code blocks, comments and cell metadata left out."""
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    return re.sub(r"^(---|\+\+\+|[a-z_]+:|tags:).*$", " ", text, flags=re.M)


def _word_class(w: str) -> str:
    """A common English word stands for itself; every other word is a content word, "W"."""
    return w if w in COMMON_ENGLISH else "W"


@lru_cache(maxsize=1)
def _course_model() -> tuple[frozenset[str], dict[tuple[str, str], int], dict[str, int]]:
    """The lessons' vocabulary, and counts of word-class pairs in their prose (a model of word order)."""
    words_ = _LATIN.findall(_prose(course_text()).lower())
    classes = [_word_class(w) for w in words_]
    pairs: dict[tuple[str, str], int] = {}
    single: dict[str, int] = {}
    for a, b in itertools.pairwise(classes):
        pairs[(a, b)] = pairs.get((a, b), 0) + 1
    for c in classes:
        single[c] = single.get(c, 0) + 1
    return frozenset(words_), pairs, single


def order_score(latin: list[str]) -> float | None:
    """How much more English-like the order of the words is than the same words shuffled.

    The words' classes (common words themselves, other words as "W") are scored with pair
    counts from the lessons' prose; the score is the text's log-likelihood minus the mean of 30
    fixed shuffles of it, in standard deviations of those shuffles. Written English scores well
    above 1; words in no order score about 0. None when there is no reference text.
    """
    _, pairs, single = _course_model()
    if not pairs:
        return None
    n_classes = len(single)

    def loglik(seq: list[str]) -> float:
        return sum(
            math.log((pairs.get((a, b), 0) + 0.5) / (single.get(a, 0) + 0.5 * n_classes))
            for a, b in itertools.pairwise(seq)
        ) / max(len(seq) - 1, 1)

    classes = [_word_class(w) for w in latin]
    rng = random.Random(0)  # fixed: the same answer always gets the same score
    shuffled = []
    for _ in range(30):
        copy = classes[:]
        rng.shuffle(copy)
        shuffled.append(loglik(copy))
    spread = statistics.pstdev(shuffled) or 1e-9
    return (loglik(classes) - statistics.mean(shuffled)) / spread


#: determiners, and the common words that may follow one ("the most", "its own")
_DETERMINERS = frozenset(("the", "a", "an", "this", "these", "those", "its", "their", "our", "my", "your"))
_AFTER_DETERMINER = frozenset(
    ("most", "more", "same", "other", "few", "many", "only", "own", "one", "such", "least", "less")
    + ("very", "much", "first", "last", "two", "all", "each", "further")
)


def _determiner_slips(latin: list[str]) -> int:
    """Determiners followed by another common word ("the of", "a and"): rare in written English."""
    return sum(
        a in _DETERMINERS and b in COMMON_ENGLISH and b not in _AFTER_DETERMINER
        for a, b in itertools.pairwise(latin)
    )


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
    vocabulary = _course_model()[0] | set(_latin_words(question_text))
    common = sum(w in COMMON_ENGLISH for w in latin) / len(latin)
    known = sum(w in vocabulary or w in COMMON_ENGLISH for w in latin) / len(latin)
    if common < 0.12 and known < 0.5:
        return "not English and not the course's words (e.g. Latin filler)"
    if len(latin) >= 30:
        score = order_score(latin)
        if (score is not None and score < 1.0) or _determiner_slips(latin) >= 5:
            return "words in no order (their sequence reads no better than the same words shuffled)"
    return None


def flags_for(text: str, question_text: str, min_words: int) -> tuple[tuple[str, ...], str]:
    """The teacher's flags for a written answer, and a note for the learner (on its length only)."""
    flags: list[str] = []
    reason = placeholder_reason(text, question_text)
    if reason is not None:
        flags.append(f"{PLACEHOLDER} ({reason}); the mark is yours to give")
    n = word_count(text)
    note = ""
    if n < min_words:
        flags.append(f"shorter than asked ({n} of at least {min_words} words)")
        note = f"your answer has {n} words; write at least {min_words}, citing the figures you rely on."
    return tuple(flags), note
