"""Figures stated in the prose of lesson 0 (start here), computed from the course data."""

from __future__ import annotations

import json

from defection_course.citations import sources_markdown
from support.prose_facts import ROOT
from support.prose_facts import _data as d


def _tables() -> int:
    """Data tables in the package, not counting the list of sources."""
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    return len([r for r in package["resources"] if r["name"] != "sources"])


FACTS = {"l0_tables": lambda: str(_tables())}

#: Numbers lesson 0 may state without a tag: its duration, and the op-ed's "31,000" (discussion).
CHECKED = {
    "notebooks/00_start_here.md": {"15", "31,000"}
    | d.numbers_in(sources_markdown(["arrivals_annual", "sources"])),
}
