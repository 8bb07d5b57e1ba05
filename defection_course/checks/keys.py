"""Hashed answer keys: checks compare hashes, so the expected values are not in the package.

``qN.keys.json`` (one per lesson N, next to the question modules) maps each question id of
lesson N to the SHA-256 hashes of its expected value and of common wrong values. It is written by
``python -m defection_course build-questions``, which runs each solution notebook with the
cases of its questions' definitions (see :mod:`defection_course.authoring.questions`).
"""

from __future__ import annotations

import hashlib
import json
import math
import numbers
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

SALT = "defection-course-v1"
#: The folder of the key files: the package's own, never one a kernel's course root points to.
KEYS_DIR = Path(__file__).resolve().parent.parent / "questions"


def keys_path(lesson: int, folder: Path = KEYS_DIR) -> Path:
    """The file holding one lesson's hashed keys."""
    return folder / f"q{lesson}.keys.json"


def digest(qid: str, canonical: str) -> str:
    """The hash of a canonical answer string for one question."""
    return hashlib.sha256(f"{SALT}|{qid}|{canonical}".encode()).hexdigest()[:32]


def number_forms(value: float, decimals: int, tolerance_steps: int = 1) -> list[str]:
    """Canonical strings for a number and its neighbours within the tolerance."""
    if value is None or (isinstance(value, float) and (math.isnan(value) or math.isinf(value))):
        return []
    step = 10**-decimals
    base = round(float(value), decimals)
    return [
        f"{round(base + k * step, decimals):.{decimals}f}"
        for k in range(-tolerance_steps, tolerance_steps + 1)
    ]


def text_form(value: str) -> str:
    """Canonical form of a short text answer: lower case, single spaces, no quotes."""
    return " ".join(str(value).strip().strip("'\"").lower().split())


def sequence_form(items: Iterable[Any]) -> str:
    """Canonical form of a set of items (order ignored)."""
    return "|".join(sorted(text_form(str(i)) for i in items))


def table_form(rows: list[list[Any]], decimals: int) -> str:
    """Canonical form of table rows: numbers rounded, rows sorted."""

    def cell(v: Any) -> str:
        if isinstance(v, bool) or v is None:
            return str(v)
        if isinstance(v, numbers.Real):
            if math.isnan(float(v)):
                return "None"
            return f"{round(float(v), decimals):.{decimals}f}"
        return text_form(v)

    return "\n".join(sorted(",".join(cell(v) for v in row) for row in rows))


@cache
def load_keys(lesson: int) -> dict[str, dict[str, Any]]:
    """One lesson's hashed keys, by question id (read on first use)."""
    path = keys_path(lesson)
    if not path.exists():
        return {}
    with open(path, encoding="utf-8") as fh:
        data: dict[str, dict[str, Any]] = json.load(fh)
    return data
