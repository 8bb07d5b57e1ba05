"""Support code for the test suite: paths, notebook lists, browser, class and prose-fact helpers."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SOLUTIONS = sorted((ROOT / "solutions").glob("[0-9][0-9]_*.ipynb"))
EXERCISES = sorted((ROOT / "exercises").glob("[0-9][0-9]_*.ipynb"))
DEMO = [ROOT / "notebooks" / "demo" / "dashboard.ipynb"]
ALL_NOTEBOOKS = LESSONS + SOLUTIONS + EXERCISES + DEMO
OFFLINE = ROOT / "tests" / "support" / "offline"  #: a sitecustomize that blocks the network

#: The answer cases ``build-questions`` writes, one file per lesson (``qN.answer_cases.json``).
GENERATED = ROOT / "tests" / "generated"


def answer_cases() -> dict[str, dict[str, object]]:
    """Every question's described cases (all lessons' files merged), by question id."""
    import json

    cases: dict[str, dict[str, object]] = {}
    for path in sorted(GENERATED.glob("q*.answer_cases.json"), key=lambda p: int(p.name[1:].split(".")[0])):
        cases.update(json.loads(path.read_text(encoding="utf-8")))
    return cases
