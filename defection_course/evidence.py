"""Lesson 5 logic: what kind of evidence stands behind each claim, and how claims age."""

from __future__ import annotations

import pandas as pd

from . import history
from .claims import CLAIMS
from .loading import load

#: The tables whose rows are the evidence for each claim (as used in lessons 1-4).
CLAIM_TABLES: dict[str, tuple[str, ...]] = {
    "C1": ("arrivals_periods", "arrivals_annual", "cumulative_checkpoints"),
    "C2": ("cumulative_checkpoints", "arrivals_provisional"),
    "C3": ("arrivals_annual", "arrivals_periods"),
    "C4": ("origins_occupation", "origins_education", "origins_sex"),
    "C5": ("origins_province", "nk_census_2008"),
    "C6": ("elite_defections", "elite_defection_claims"),
    "C7": ("purges", "purge_counts"),
    "C8": ("defector_motives",),
    "C9": ("eastbloc_elite_defections", "regime_ends", "gdr_emigration"),
}

KIND_ORDER = (
    "official statistics",
    "government statement",
    "archive",
    "data repository",
    "reference work",
    "analysis",
    "news",
)


def evidence_profile() -> pd.DataFrame:
    """For each claim, the share (%) of its evidence rows by kind of source."""
    kinds = load("sources").set_index("source_id")["kind"]
    rows = []
    for claim in CLAIMS:
        counts: dict[str, int] = {}
        for table in CLAIM_TABLES[claim.id]:
            for sid in load(table)["source_id"]:
                counts[kinds[sid]] = counts.get(kinds[sid], 0) + 1
        total = sum(counts.values())
        for kind in KIND_ORDER:
            rows.append(
                {
                    "claim": claim.id,
                    "kind": kind,
                    "rows": counts.get(kind, 0),
                    "share_pct": round(100 * counts.get(kind, 0) / total, 1),
                }
            )
    return pd.DataFrame(rows)


def recency_curve(first: int = 2010, last: int = 2025, window: int = 15) -> pd.DataFrame:
    """The share (%) of all arrivals who came in the previous ``window`` years, as of each year."""
    return pd.DataFrame(
        [{"as_of": y, "share_pct": history.share_in_last_years(y, window)} for y in range(first, last + 1)]
    )


def intelligence_share() -> float:
    """Percent of the reported purge cases whose report came from South Korean intelligence
    (the National Intelligence Service or its think tank) or from unnamed sources."""
    df = load("purges")
    by = df["reported_by"].str.lower()
    mask = (
        by.str.contains("intelligence")
        | by.str.contains("unnamed")
        | by.str.contains("national security strategy")
    )
    return round(100 * float(mask.sum()) / len(df), 1)
