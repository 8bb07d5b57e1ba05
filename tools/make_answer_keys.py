#!/usr/bin/env python3
"""Write defection_course/questions/keys.json: hashed expected answers and common mistakes.

The values are computed from the course data by the per-lesson modules in
``tools/answer_keys/`` (author-side code: it is the answer key, so it is not part of the
installed package). Only salted hashes reach keys.json. Run after changing a question or
the data; ``--check`` exits 1 if keys.json is out of date (tests use it).

Each key module defines ``KEYS = {qid: function}``; a function returns
``(expected, {mistake_name: value, ...})`` in the answer's natural form (number, text,
list, or list of table rows).
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from defection_course.checks import keys as K  # noqa: E402
from defection_course.questions import QUESTIONS  # noqa: E402


def forms(q, value) -> list[str]:
    """Canonical strings of a value for a question (several for numbers: rounding)."""
    if q.kind == "number":
        return K.number_forms(value, q.decimals, 0)
    if q.kind == "choice":
        return [K.text_form(value)]
    if q.kind == "sequence":
        return [K.sequence_form(value)]
    if q.kind == "table":
        return [K.table_form(value, q.decimals)]
    if q.kind == "figure":
        d = q.figure.data_decimals
        return [K.sequence_form(f"{round(v, d):.{d}f}" for v in value)]
    raise ValueError(f"{q.qid}: kind {q.kind} has no key")


def build() -> dict:
    out: dict = {}
    for lesson in range(1, 6):
        try:
            module = importlib.import_module(f"answer_keys.lesson{lesson}")
        except ModuleNotFoundError:
            continue
        for qid, fn in module.KEYS.items():
            q = QUESTIONS[qid]
            expected, mistakes = fn()
            entry = {
                "kind": q.kind,
                "expected": sorted({K.digest(qid, f) for f in forms(q, expected)}),
                "mistakes": {
                    name: sorted({K.digest(qid, f) for f in forms(q, v)})
                    for name, v in sorted(mistakes.items())
                },
            }
            if q.kind == "number" and q.decimals > 0:
                entry["expected_coarse"] = sorted(
                    {K.digest(qid, f) for f in K.number_forms(expected, q.decimals - 1, 0)}
                )
            unknown = set(mistakes) - set(q.mistakes)
            if unknown:
                raise ValueError(f"{qid}: mistakes without a message: {sorted(unknown)}")
            out[qid] = entry
    missing = [qid for qid, q in QUESTIONS.items() if q.kind != "text" and qid not in out]
    if missing:
        raise ValueError(f"no key function for {missing}")
    return out


def main() -> int:
    built = build()
    text = json.dumps(built, indent=1, sort_keys=True) + "\n"
    target = K.KEYS_PATH
    if "--check" in sys.argv[1:]:
        ok = target.exists() and target.read_text(encoding="utf-8") == text
        print("keys.json is up to date" if ok else "keys.json is out of date: run tools/make_answer_keys.py")
        return 0 if ok else 1
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target} ({len(built)} questions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
