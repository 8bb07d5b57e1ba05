"""The course's verdict on each claim of the op-ed, defined once.

Lessons 1-4 reach these verdicts, lesson 5 prints them beside the learner's own board, and the
instructor guide, the model answers and the rubrics state them. Wherever prose states a verdict it
carries a tag (``Partly supported<!-- verdict: C4 -->``, ``weak<!-- verdict: C7 strength -->``);
``tests/content/test_verdicts.py`` fails when a tagged phrase, a model answer or a rubric says
something other than what is defined here.

Each verdict judges the claim **as the op-ed made it, with the data of its time**: ``as_of`` is the
date of the latest data the verdict rests on. Where that is after the op-ed was written, or where
later data change the picture, ``later`` says so: that part of a verdict looks ahead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from .claims import CLAIMS, STRENGTHS, VERDICTS
from .errors import CourseError


@dataclass(frozen=True)
class OpEd:
    """The op-ed the course tests, and what is known of its date."""

    author: str
    title: str
    publication: str
    year: int
    #: the op-ed mentions the defection of North Korea's minister in London, which South Korea
    #: announced on this day: the op-ed cannot be older, and data dated later may postdate it
    written_after: date
    date_note: str
    #: the op-ed's own figures, which the course quotes (they are the claims, not data)
    figures: tuple[str, ...] = ()


OPED = OpEd(
    author="Andrei Lankov",
    title="Jumping the ship",
    publication="The Korea Times",
    year=2016,
    written_after=date(2016, 8, 17),
    date_note=(
        "written after South Korea announced Thae Yong-ho's defection on 17 August 2016, which it "
        "mentions; its exact date of publication was not found"
    ),
    figures=("31,000", "95%", "15", "5%"),
)


@dataclass(frozen=True)
class Verdict:
    """The course's verdict on one claim."""

    claim: str
    label: str  #: one of claims.VERDICTS (never "not decided yet")
    strength: str  #: one of claims.STRENGTHS: how strong the evidence is, not how true the claim
    reason: str  #: the evidence for the verdict, as of the op-ed
    counter: str  #: the main counter-evidence
    as_of: date  #: the date of the latest data the verdict rests on
    later: str = ""  #: what data dated after the op-ed add (looking ahead)


VERDICT_LIST: tuple[Verdict, ...] = (
    Verdict(
        "C1",
        "supported",
        "moderate",
        "Arrivals in the South were small until the late 1990s: 607 had come by 1989 and about 700 by "
        "1994, fewer than arrived in the single year 2002.",
        "'A few a year' understates them: 607 by 1989 is about 16 to 22 a year on average, and about "
        "180 came in the 1950s alone; the early counts start at different dates.",
        date(2001, 12, 31),
    ),
    Verdict(
        "C2",
        "partly supported",
        "strong",
        "The count of the time was close: 29,543 had arrived by the end of June 2016, the last running "
        "total published before the op-ed.",
        "'Roughly 31,000' was about 5% above it and was reached only in 2017; and it counts arrivals, "
        "not residents (26,514 of 28,607 were living in the South in November 2015).",
        date(2016, 6, 30),
    ),
    Verdict(
        "C3",
        "supported",
        "strong",
        "As of the end of 2015, the last full year before the op-ed, 95.1% of all arrivals had come in "
        "the previous 15 years.",
        "The share depends on the window: the years 2002-2015 give 93.1%.",
        date(2015, 12, 31),
        "The claim has expired since: 93.4% as of 2016 and 40.9% as of 2025, because arrivals fell "
        "after 2011.",
    ),
    Verdict(
        "C4",
        "partly supported",
        "moderate",
        "In the op-ed's 15 years most defectors were workers or had no registered occupation, and few "
        "came from the elite: 91% and under 6% in the breakdown of May 2008.",
        "The tables record occupation, not income or status (songbun), and the ministry's own surveys "
        "point the other way for recent arrivals: 55.9% of those surveyed from 2014 rated their income "
        "in North Korea average or above, against 19% before 2001.",
        date(2016, 8, 21),
        "The ministry released the surveys on 21 August 2016, perhaps after the op-ed was written; its "
        "later breakdowns (September 2020, c. 2024), most of whose people had arrived by 2016, agree "
        "on occupation: 84% workers or no registered occupation.",
    ),
    Verdict(
        "C5",
        "supported",
        "strong",
        "North Hamgyong sent 65% of arrivals in 1998-2003; in the c. 2024 tables North Hamgyong and "
        "Ryanggang send 77% of defectors, about six times their share of the population.",
        "Jagang and North Pyongan border China too but send fewer than their population would "
        "predict: the claim holds for the north-east, not for the whole border.",
        date(2024, 9, 30),
        "The c. 2024 tables are later than the op-ed, but most of the people they count had arrived "
        "by 2016, and the older snapshots show the same pattern.",
    ),
    Verdict(
        "C6",
        "supported",
        "moderate",
        "South Korea's intelligence service counted 8 officials posted abroad defecting in 2013, 18 in "
        "2014 and 20 in January-October 2015, and its chief called the number steadily increasing; in "
        "2016 the press reported at least seven diplomats defecting, citing unnamed officials.",
        "The counts come from one agency, with no names or definition, and some cases were announced "
        "days before an election; for 2016 itself, before the op-ed, there were only named cases and "
        "anonymous press reports.",
        date(2016, 8, 17),
        "Later official figures agree: in January 2017 the Ministry of Unification said such defections "
        "had become more frequent in 2016, and in 2024 that 134 defectors (families included) had come "
        "under the intelligence service's exclusive protection in 2012-June 2024, about 10.7 a year, "
        "against 54 in July 1997-2011, about 3.7 a year; it released no yearly series.",
    ),
    Verdict(
        "C7",
        "partly supported",
        "weak",
        "The intelligence service reported about 70 officials executed in Kim Jong-un's first years "
        "against about 10 in Kim Jong-il's first four, and North Korea itself announced Jang "
        "Song-thaek's execution.",
        "The figures come almost entirely from South Korean intelligence and cannot be checked; its "
        "yearly figures shifted within two weeks and included mid-level cadres; several execution "
        "reports had already proved wrong; and officials and officers were reported killed under Kim "
        "Jong-il too.",
        date(2016, 8, 17),
        "More reports proved wrong after the op-ed: of the 18 reports from Kim Jong-un's era in the "
        "course data, 5 were contradicted when the person reappeared, the last in 2020.",
    ),
    Verdict(
        "C8",
        "cannot tell from the data",
        "weak",
        "The only data on motives, the ministry's surveys of Hanawon graduates, cover all defectors, "
        "not the elite, and ask about one's own reasons for leaving, not about the economy's future.",
        "Elite defectors' own accounts, which could test the claim, are few and not in the course data.",
        date(2016, 8, 17),
        "The ministry's releases of August and November 2016 show economic hardship falling from "
        "66.7% in 2001 to 12% in 2016, among all defectors.",
    ),
    Verdict(
        "C9",
        "supported",
        "moderate",
        "The well-known Soviet-bloc defectors with a regime end left 6 to 36 years (median 12) before "
        "their regimes ended, and the regimes outlived them.",
        "A handful of famous cases, not a count; Światło's broadcasts shook the Polish party; the "
        "regimes rested on Soviet force, and East Germany fell in 1989 amid a mass exodus.",
        date(1991, 12, 26),
    ),
)

VERDICTS_BY_CLAIM: dict[str, Verdict] = {v.claim: v for v in VERDICT_LIST}

#: The labels a course verdict may use: the learner's board vocabulary, without "not decided yet".
LABELS: tuple[str, ...] = tuple(v for v in VERDICTS if v != VERDICTS[0])


def verdict(claim_id: str) -> Verdict:
    """The course's verdict on one claim (e.g. ``"C4"``)."""
    try:
        return VERDICTS_BY_CLAIM[claim_id]
    except KeyError:
        raise CourseError(f"No verdict for {claim_id!r}; the claims are {[c.id for c in CLAIMS]}.") from None


def verdict_table() -> pd.DataFrame:
    """The verdicts as a table: one row per claim, in the claims' order."""
    return pd.DataFrame(
        [
            {
                "id": v.claim,
                "verdict": v.label,
                "evidence strength": v.strength,
                "as of": v.as_of.isoformat(),
                "why": v.reason,
                "main counter-evidence": v.counter,
                "looking ahead": v.later,
            }
            for v in (verdict(c.id) for c in CLAIMS)
        ]
    )


def check_definitions() -> list[str]:
    """Problems with the definitions themselves (an empty list when they are sound)."""
    problems = []
    ids = [c.id for c in CLAIMS]
    if sorted(VERDICTS_BY_CLAIM) != sorted(ids) or len(VERDICT_LIST) != len(ids):
        problems.append(
            f"one verdict per claim is needed: claims {ids}, verdicts {[v.claim for v in VERDICT_LIST]}"
        )
    for v in VERDICT_LIST:
        if v.label not in LABELS:
            problems.append(f"{v.claim}: label {v.label!r} is not one of {list(LABELS)}")
        if v.strength not in STRENGTHS:
            problems.append(f"{v.claim}: strength {v.strength!r} is not one of {list(STRENGTHS)}")
        if v.as_of > OPED.written_after and not v.later:
            problems.append(
                f"{v.claim}: rests on data of {v.as_of}, after the op-ed was written, "
                "but 'later' does not say so"
            )
    return problems
