"""Which of the data's categories a drawn label names (a bar's tick or legend label, a text x value).

The checks know the solution's categories only through hashes. For category ``i`` (the i-th
distinct x value of the solution's figure, in sorted order) the key builder hashes every way
a label may name it, ``form#i``, and each of its plotted values, ``i@y``. A *form* is one of
the category's words, a beginning of a word from two letters on ("univ", "sec"), a short form
keeping a word's first letter and letter order ("kg", "mgr"), a word's initial (for one-letter
labels: "K", "F"), two adjacent words joined ("preschool", "highschool") or the initials of a
run of words ("hs", "jc"); a
number or a date is named only by itself. A label is read into the same forms, word by word
(case, spacing, line breaks and punctuation do not matter; a final plural "s" is dropped), and
names the category matched by the most of its words (all of those tied for most). So a bar
labelled "Univ." names "university or higher", one labelled "secondary (middle/high school)"
names that category and not "primary (people's school)", although both contain "school".

A label is then *its own* (it names a category whose value is the one drawn), *another's*
(it names only categories with other values: labels moved between bars), or *none* (it names
no category of the data: "a", "b", "c", or other words). Only labels written without any
Latin letter or digit are beyond the check (a translation): those pass with a note.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from itertools import pairwise

#: function words that name nothing by themselves
STOP = frozenset({"a", "an", "and", "or", "of", "the", "in", "to", "for", "with", "s", "at", "by"})

OWN, OTHER, NONE, UNREADABLE = "own", "other", "none", "unreadable"


def words(text: str) -> list[str]:
    """The words of a name or label: lower case, split at anything not a letter or digit."""
    found = re.findall(r"\d+|[^\W\d_]+", text.lower())  # digits apart from letters: "2013년", "10y"
    return [w for w in found if w not in STOP and (len(w) > 1 or w.isdigit())]


def _beginnings(word: str, shortest: int = 2) -> set[str]:
    if word.isdigit():
        return {word}
    return {word[:k] for k in range(min(shortest, len(word)), len(word) + 1)}


def _abbreviations(word: str) -> set[str]:
    """Short forms of a word that keep its first letter and its letters' order ("kg", "kdg", "mgr"),
    and its initial alone (``~k``, matched only by a label that is one letter: "K", "F")."""
    if word.isdigit():
        return set()
    head, rest = word[0], word[1:]
    pairs = {head + a for a in rest}
    triples = {head + rest[i] + rest[j] for i in range(len(rest)) for j in range(i + 1, len(rest))}
    return pairs | triples | {"~" + head}


def category_forms(key: str, whole: bool) -> set[str]:
    """Every form that names a category whose canonical x is ``key`` (``whole``: a number or date)."""
    if whole:
        return {"=" + key}
    ws = words(key)
    forms: set[str] = set()
    for w in ws:
        forms |= _beginnings(w) | _abbreviations(w)
    for a, b in pairwise(ws):
        forms |= {f for f in _beginnings(a + b) if len(f) > len(a)}
    for i in range(len(ws)):
        for j in range(i + 2, len(ws) + 1):
            run = ws[i:j]
            if not any(w.isdigit() for w in run):
                forms.add("".join(w[0] for w in run))
    return forms


#: words that say "no ..." on their own ("none" for "no schooling")
_NEGATIONS = frozenset({"none", "nothing", "nil"})


def _word_forms(word: str) -> set[str]:
    out = {word, "no"} if word in _NEGATIONS else {word}
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        out.add(word[:-1])
    if len(word) > 4 and word.endswith("es"):
        out.add(word[:-2])
    return out


def label_forms(label: str, whole_key: str | None) -> list[set[str]]:
    """A label's forms, one set per word (a label that is a number or date: that alone)."""
    if whole_key is not None:
        return [{"=" + whole_key}]
    ws = words(label)
    if not ws:  # a label of single letters ("K", "F"): each may be an initial
        return [{"~" + c} for c in re.findall(r"[^\W\d_]", label.lower())]
    out = [_word_forms(w) | ({"=" + w} if w.isdigit() else set()) for w in ws]  # "2013 (est.)"
    out += [{a + b} for a, b in pairwise(ws)]  # "pre school" names "preschool" too
    return out


def key_forms(categories: list[tuple[str, bool]], points: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """What the key builder hashes: each category's forms (``form#i``) and each point (``i@y``).

    ``categories`` are the solution's distinct x keys (with ``whole``) in sorted order;
    ``points`` its (x key, y rounded) pairs.
    """
    index = {key: i for i, (key, _) in enumerate(categories)}
    names = {f"{f}#{i}" for i, (key, whole) in enumerate(categories) for f in category_forms(key, whole)}
    values = {f"{index[x]}@{y}" for x, y in points if x in index}
    return {"category_names": sorted(names), "category_points": sorted(values)}


Known = Callable[[str, str], bool]  #: (field, canonical form) -> whether the keys hold its hash


def named(forms: list[set[str]], count: int, known: Known) -> set[int]:
    """The categories a label names: those matched by the most of its words (empty: none)."""
    score = [0] * count
    for word_forms in forms:
        hit = {i for i in range(count) for f in word_forms if known("category_names", f"{f}#{i}")}
        for i in hit:
            score[i] += 1
    best = max(score, default=0)
    return {i for i, s in enumerate(score) if s == best} if best > 0 else set()


def verdict(labels: list[tuple[str, str | None]], y: str, count: int, known: Known) -> str:
    """Whether a drawn value's labels (text, whole key) name its own category, another, or none.

    A value may carry several labels (a bar's tick and its legend entry): one naming its
    own category is enough.
    """
    own = {i for i in range(count) if known("category_points", f"{i}@{y}")}
    found: set[int] = set()
    for text, whole in labels:
        hits = named(label_forms(text, whole), count, known)
        if hits & own:
            return OWN
        found |= hits
    if found:
        return OTHER
    readable = any(re.search(r"[A-Za-z0-9]", text) for text, _ in labels)
    unreadable = any(re.search(r"[^\W\d_]", text) for text, _ in labels)
    return UNREADABLE if unreadable and not readable else NONE
