"""Small data look-ups shared by the lesson 0-2 fact modules (computed here, not by the course)."""

from __future__ import annotations

import re
from functools import cache

import pandas as pd

from defection_course import load


@cache
def yearly() -> pd.Series:
    """MOU's yearly arrivals, by year."""
    return load("arrivals_annual").set_index("year")["total"].astype(int)


@cache
def running() -> pd.Series:
    """End-of-year running totals from 2002: MOU's two opening columns plus the yearly figures."""
    periods = load("arrivals_periods").set_index("period_id")["value"]
    opening = int(periods["mou_up_to_1998"] + periods["mou_1999_2001"])
    return (opening + yearly().loc[2002:].cumsum()).astype(int)


def share_recent(as_of: int, years: int = 15) -> str:
    """Percent of all arrivals by the end of ``as_of`` who came in its last ``years`` years."""
    window = int(yearly().loc[as_of - years + 1 : as_of].sum())
    return f"{100 * window / running()[as_of]:.1f}%"


def checkpoint(checkpoint_id: str) -> pd.Series:
    """One row of cumulative_checkpoints."""
    return load("cumulative_checkpoints").set_index("checkpoint_id").loc[checkpoint_id]


def border_event_figure(event_id: str, pattern: str) -> str:
    """A figure quoted in the text of a border_events row (the first group of ``pattern``)."""
    text = load("border_events").set_index("event_id").loc[event_id, "event"]
    match = re.search(pattern, text)
    return match.group(1) if match else f"(no match for {pattern!r} in {event_id})"


def female_share() -> pd.Series:
    """Women's share (%) of each year's arrivals, where the split by sex is published."""
    df = load("arrivals_annual").dropna(subset=["female"]).set_index("year")
    return 100 * df["female"] / df["total"]


def numbers_in(text: str) -> set[str]:
    """Every number token in a text (to allow the figures in generated source titles)."""
    found = set(re.findall(r"\d[\d,.]*%?", text))
    return found | {token.rstrip("%.,") for token in found}
