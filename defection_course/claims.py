"""The op-ed's argument as a list of checkable claims, and the learner's verdicts on them.

The claims paraphrase Andrei Lankov, "Jumping the ship", The Korea Times (2016). Lesson 0
lists them; lessons 1-4 test them; lesson 5 collects the learner's verdicts.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .errors import CourseError


@dataclass(frozen=True)
class Claim:
    """One checkable claim of the op-ed."""

    id: str
    text: str
    lesson: int
    evidence: str
    limits: str

    @property
    def short(self) -> str:
        """The claim in a few of its own words, for a control's label: the text before its
        first colon, or (for a long claim) before its last comma within 80 characters.

        >>> Claim("C0", "Defection is recent: very few before 1990.", 1, "", "").short
        'Defection is recent'
        """
        text = self.text.rstrip(".")
        if ":" in text:
            return text.split(":", 1)[0]
        if len(text) > 80 and ", " in text[:80]:
            return text[: text[:80].rindex(", ")]
        return text


CLAIMS: tuple[Claim, ...] = (
    Claim(
        "C1",
        "Defection is recent: from 1953 to the late 1990s defections were very few, usually a few "
        "people a year.",
        1,
        "607 had arrived by 1989, about 16 to 22 a year on average, and about 180 in the 1950s alone; "
        "52 in 1994, 583 in 2001, a peak of 2,914 in 2009.",
        "No yearly figures before 1994; early counts start at different dates.",
    ),
    Claim(
        "C2",
        "Roughly 31,000 North Korean defectors live in South Korea.",
        1,
        "29,543 had arrived by the end of June 2016, the last running total published before the "
        "op-ed, and about 29,609 by the end of July; in November 2015, 26,514 of 28,607 arrivals "
        "were still living in the South.",
        "Arrivals are not residents: some died or moved on. The July figure adds MOU's provisional "
        "2016 arrivals to its series; the op-ed's exact date was not found.",
    ),
    Claim(
        "C3",
        "95% of them arrived in the last 15 years.",
        1,
        "95.1% as of the end of 2015 (2001-2015), the last full year before the op-ed; 93.4% as of "
        "2016 (2002-2016); 40.9% as of 2025.",
        "The answer depends on the cut-off year and the as-of date.",
    ),
    Claim(
        "C4",
        "Most defectors of the last 15 years come from low-income, low-status groups, normally farmers "
        "or unskilled workers.",
        2,
        "91% were workers or had no registered occupation in May 2008 (84% c. 2024), and under 6% "
        "managers, professionals or artists; but in MOU's own surveys 55.9% of those surveyed from "
        "2014 rated their income in North Korea average or above, against 19% before 2001.",
        "MOU's categories record occupation, not income or status (songbun): farmers cannot be "
        "told from other workers, 'no occupation' is not 'poor', and soldiers (mostly conscripts) "
        "and service staff are not status groups.",
    ),
    Claim(
        "C5",
        "Most come from the provinces bordering China.",
        2,
        "77% come from North Hamgyong and Ryanggang, about six times their share of the "
        "population; the four border provinces send 80% against 30% of the population, but "
        "Jagang and North Pyongan send few.",
        "Home province as recorded by MOU; the census is from 2008.",
    ),
    Claim(
        "C6",
        "Elite defections rose in 2015-2016.",
        3,
        "The intelligence service counted 8 officials posted abroad defecting in 2013, 18 in 2014 "
        "and 20 in 2015 (to October); press reports of at least seven diplomats in 2016, of whom "
        "one was officially confirmed.",
        "Most cases are never announced; the counts rest on one agency and on anonymous sources, "
        "and the later official figures compare eras, not years.",
    ),
    Claim(
        "C7",
        "Kim Jong-un has top officials killed, where after about 1970 his predecessors seldom did.",
        3,
        "South Korean intelligence: about 70 officials executed in Kim Jong-un's first "
        "years against about 10 in Kim Jong-il's first four; several reported executions "
        "proved wrong.",
        "Almost all figures come from South Korean intelligence; none can be checked.",
    ),
    Claim(
        "C8",
        "Elite members defect because they see that the economy has no future.",
        3,
        "In 2016 12% of defectors named economic hardship as their main motive, against 66.7% in 2001.",
        "The motives survey covers all defectors, not the elite; motives are hard to measure.",
    ),
    Claim(
        "C9",
        "In Eastern Europe elites defected for decades without destabilising the regimes.",
        4,
        "Senior defectors left 6 to 36 years before their regimes ended; but the mass "
        "exodus of 1989 came with the GDR's collapse.",
        "A handful of famous cases; East Germany's open border made it a different case.",
    ),
)

VERDICTS: tuple[str, ...] = (
    "not decided yet",
    "supported",
    "partly supported",
    "not supported",
    "cannot tell from the data",
)
STRENGTHS: tuple[str, ...] = ("weak", "moderate", "strong")


def claims_table() -> pd.DataFrame:
    """The claims as a table (id, lesson, claim)."""
    return pd.DataFrame([{"id": c.id, "lesson": c.lesson, "claim": c.text} for c in CLAIMS])


def claim(claim_id: str) -> Claim:
    """Look up one claim by its id (e.g. ``"C3"``)."""
    for c in CLAIMS:
        if c.id == claim_id:
            return c
    raise CourseError(f"No claim {claim_id!r}; the claims are {[c.id for c in CLAIMS]}.")


def verdict_summary(verdicts: dict[str, str], strengths: dict[str, str] | None = None) -> pd.DataFrame:
    """The learner's verdict board: one row per claim with verdict, evidence strength and limits.

    ``verdicts`` maps claim ids to one of :data:`VERDICTS`; missing claims count as
    "not decided yet".  ``strengths`` maps claim ids to one of :data:`STRENGTHS`.
    """
    strengths = strengths or {}
    unknown = [k for k in list(verdicts) + list(strengths) if k not in {c.id for c in CLAIMS}]
    if unknown:
        raise CourseError(f"Unknown claim id(s) {unknown}.")
    rows = []
    for c in CLAIMS:
        verdict = verdicts.get(c.id, VERDICTS[0])
        if verdict not in VERDICTS:
            raise CourseError(f"Verdict for {c.id} must be one of {list(VERDICTS)}, not {verdict!r}.")
        strength = strengths.get(c.id, "")
        if strength and strength not in STRENGTHS:
            raise CourseError(f"Strength for {c.id} must be one of {list(STRENGTHS)}.")
        rows.append(
            {
                "id": c.id,
                "claim": c.text,
                "verdict": verdict,
                "evidence strength": strength,
                "key evidence": c.evidence,
                "limits": c.limits,
            }
        )
    return pd.DataFrame(rows)
