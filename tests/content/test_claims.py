"""The claims table (lessons 0 and 5): the op-ed's wording, and figures for C1-C5 that the data give."""

from __future__ import annotations

import re

from support.prose_facts import all_facts

from defection_course import claims, load

FACTS = all_facts()
#: Figures of C1 that are not prose facts: yearly counts, and the range of early estimates.
C1_EXTRA = {"4-10"}


def _data_figures() -> set[str]:
    values = {fn() for fn in FACTS.values()}
    values |= {v.rstrip("%") + "%" for v in values if v.endswith("%")}
    yearly = load("arrivals_annual").set_index("year")["total"]
    values |= {f"{int(n):,}" for n in yearly}
    return values


def test_every_figure_in_the_evidence_of_c1_to_c5_is_given_by_the_data():
    figures = _data_figures() | C1_EXTRA
    for claim_id in ("C1", "C2", "C3", "C4", "C5"):
        text = claims.claim(claim_id).evidence
        for number in re.findall(r"\d[\d,.\-]*\d%?|\d%?", text):
            if re.fullmatch(r"(19|20)\d\d(-(19|20)\d\d)?", number):
                continue  # a year or a range of years
            assert number in figures, f"{claim_id}: {number!r} is not a figure the data give"


def test_c4_keeps_the_op_eds_groups_and_adds_none():
    text = claims.claim("C4").text
    assert "farmers or unskilled workers" in text and "low-income, low-status" in text
    assert "women" not in text.lower()  # the op-ed never mentions women (issue 10, A1)


def test_a_wrong_figure_in_the_evidence_would_be_caught():
    figures = _data_figures()
    assert "84%" in figures and "86%" not in figures
