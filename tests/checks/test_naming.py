"""What a drawn label names, tried on the course's own category lists (not on hand-picked names).

For each text column of the data with 3-12 categories, each category gets a value, the key forms
are built as the key builder builds them (:func:`naming.key_forms`, then hashed), and every label
a learner could draw is judged against them: the data's name re-cased, re-spaced, wrapped or
abbreviated must name its own category; another category's name, letters, numbered groups or
unrelated words must not (and a label in a script the check cannot read is left to the teacher).
"""

from __future__ import annotations

import re
import textwrap

import pandas as pd
import pytest
from support import ROOT

from defection_course.checks import keys as K
from defection_course.checks import naming as N

COLUMNS = [
    ("origins_education.csv", "level"),
    ("origins_occupation.csv", "category_group"),
    ("elite_defections.csv", "category"),
    ("gdr_flight_professions.csv", "group_en"),
    ("border_events.csv", "category"),
    ("defector_motives.csv", "motive"),
    ("purges.csv", "reported_fate"),
    ("nk_census_2008.csv", "area"),
    ("regime_ends.csv", "country"),
]


def _categories(file: str, column: str) -> list[str]:
    names = pd.read_csv(ROOT / "data" / file)[column].dropna().astype(str).unique()
    return sorted(K.text_form(n) for n in names)


def _judge(names: list[str]):
    """A verdict function for labels drawn at category i's value, with keys hashed as shipped."""
    qid = "test"
    forms = N.key_forms([(n, False) for n in names], [(n, f"{i}.0") for i, n in enumerate(names)])
    hashed = {field: {K.digest(qid, f) for f in fs} for field, fs in forms.items()}

    def known(field: str, form: str) -> bool:
        return K.digest(qid, form) in hashed[field]

    return lambda label, i: N.verdict([(label, None)], f"{i}.0", len(names), known)


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def _short(name: str) -> str:
    first = next(w for w in re.findall(r"[A-Za-z]+", name) if len(w) > 1)
    return first[:5] + ("." if len(first) > 5 else "")


def _first_word(name: str) -> str:
    return next(w for w in re.findall(r"[A-Za-z]+", name) if len(w) > 1)


def _initial_and_last(name: str) -> str:
    """An abbreviation keeping the first word's first and last letters ("KN", "MR")."""
    w = _first_word(name)
    return (w[0] + w[-1]).upper()


def _no_initial(names: list[str]) -> str:
    """A letter no category's word begins with (so it names none of them)."""
    initials = {w[0] for n in names for w in N.words(K.text_form(n)) if not w.isdigit()}
    return next(c for c in "zqxjvwykfgpbhmcdlnrstueioa" if c not in initials)


KEEP = {
    "as in the data": lambda n: n,
    "initial (one letter)": lambda n: _first_word(n)[0].upper(),
    "first and last letters": _initial_and_last,
    "capitals": str.upper,
    "title case, doubled spaces, a full stop": lambda n: n.title().replace(" ", "  ") + ".",
    "wrapped at 6": lambda n: textwrap.fill(n, 6),
    "wrapped at 10": lambda n: textwrap.fill(n, 10),
    "first word cut to five letters": _short,
}


def _families() -> tuple[list[tuple[str, str, int]], list[tuple[str, str, int, str]]]:
    keep, refuse = [], []
    for file, column in COLUMNS:
        names = _categories(file, column)
        assert 3 <= len(names) <= 12, (file, column, names)
        for i, name in enumerate(names):
            keep += [(f"{file}:{column}", how(name), i) for how in KEEP.values()]
            for j, other in enumerate(names):  # another category's name, unless it is part of this one's
                if j != i and not _words(other) <= _words(name):
                    refuse.append((f"{file}:{column}", other, i, N.OTHER))
            refuse += [
                (f"{file}:{column}", _no_initial(names), i, N.NONE),
                (f"{file}:{column}", f"group {i + 1}", i, N.NONE),
                (f"{file}:{column}", ["zebra", "quartz", "velvet", "orbit"][i % 4], i, N.NONE),
                (f"{file}:{column}", "", i, N.NONE),
                (f"{file}:{column}", chr(0xAC00 + 97 * i) + chr(0xAC10 + 31 * i), i, N.UNREADABLE),
            ]
    return keep, refuse


KEEP_CASES, REFUSE_CASES = _families()


def test_the_families_are_large_and_cover_every_list():
    assert len(KEEP_CASES) >= 300 and len(REFUSE_CASES) >= 600
    assert {c for c, *_ in KEEP_CASES} == {c for c, *_ in REFUSE_CASES} == {f"{f}:{c}" for f, c in COLUMNS}


@pytest.mark.parametrize("column", sorted({c for c, *_ in KEEP_CASES}))
def test_a_right_label_names_its_own_category(column):
    file, col = column.split(":")
    judge = _judge(_categories(file, col))
    wrong = [(label, i) for c, label, i in KEEP_CASES if c == column and judge(label, i) != N.OWN]
    assert not wrong, wrong


@pytest.mark.parametrize("column", sorted({c for c, *_ in REFUSE_CASES}))
def test_a_wrong_label_is_told_apart(column):
    file, col = column.split(":")
    judge = _judge(_categories(file, col))
    wrong = [
        (label, i, want, got)
        for c, label, i, want in REFUSE_CASES
        if c == column
        for got in [judge(label, i)]
        if got != want
    ]
    assert not wrong, wrong


def test_numbers_and_dates_are_named_only_by_themselves():
    qid = "test"
    names = [("2013", True), ("2014", True), ("2015", True)]
    forms = N.key_forms(names, [("2013", "1.0"), ("2014", "2.0"), ("2015", "3.0")])
    hashed = {field: {K.digest(qid, f) for f in fs} for field, fs in forms.items()}

    def known(field: str, form: str) -> bool:
        return K.digest(qid, form) in hashed[field]

    assert N.verdict([("2013", "2013")], "1.0", 3, known) == N.OWN
    assert N.verdict([("2013 (provisional)", None)], "1.0", 3, known) == N.OWN
    assert N.verdict([("2014", "2014")], "1.0", 3, known) == N.OTHER
    assert N.verdict([("201", "201")], "1.0", 3, known) == N.NONE
