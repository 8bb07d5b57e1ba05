"""Figures stated in the READMEs about the data itself."""

from __future__ import annotations

from defection_course import load
from support.prose_facts import ROOT

FACTS = {
    "sources_count": lambda: str(len(load("sources"))),
    "csv_tables": lambda: str(len(list((ROOT / "data").glob("*.csv")))),
}
