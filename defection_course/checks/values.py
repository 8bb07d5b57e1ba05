"""Answers read by their value: numbers written as text, one-value containers, tables as dicts.

A learner who types ``"12,345"``, ``"45.6%"`` or ``"7 years"`` has given the number; so has one
who gives ``np.array([123])``. These are accepted, with a note on the better form. Text is read
as a number only when it holds exactly one number, written in one way (``"30-39"``, ``"about 6
or 7"``, ``"1.234,5"`` or ``"5.9%"`` for a ratio are not). Tables given as a dict of columns or a
list of records (see :mod:`describe`) are read as tables; table cells that are text holding a
number are compared as numbers when the table as given does not match.
"""

from __future__ import annotations

import re
from typing import Any

#: one number: digits with correct thousands separators (or none), an optional decimal part
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")
#: unit words a number may carry whatever the question's own unit (counts and durations)
_COMMON_UNITS = (
    *("people", "persons", "person", "cases", "case", "reports", "report", "women", "years", "year"),
    *("명", "건", "년"),  # the same counts as Korean learners write them (12,345명)
)


def _unit_words(unit: str) -> set[str]:
    """Spellings of a question's unit that may follow the number ("years", "year", ...)."""
    base = " ".join(unit.lower().split())
    out = {base} if base and base != "%" else set()
    if base.endswith("s"):
        out.add(base[:-1])
    elif base:
        out.add(base + "s")
    return out | set(_COMMON_UNITS)


def number_from_text(text: str, unit: str = "", percent: bool = False) -> float | None:
    """The number a text holds, if it holds exactly one, unambiguously; else None.

    Accepted: surrounding spaces and quotes, thousands separators in the right places
    (``12,345``), a ``%`` sign when the question asks for a percentage, and the question's unit
    or a common count word after the number (``6 years``, ``1,234 women``).
    """
    s = " ".join(str(text).strip().strip("'\"").split())
    if not s:
        return None
    m = _NUMBER.match(s)
    if m is None:
        return None
    rest = s[m.end() :].strip()
    for sign in ("%", "percent", "per cent"):
        if rest.lower().startswith(sign):
            if not percent:
                return None  # a % sign on a number that is not a percentage: ambiguous
            rest = rest[len(sign) :].strip()
            break
    rest = rest.rstrip(".").strip()  # a final full stop
    if rest and rest.lower() not in _unit_words(unit):
        return None
    try:
        return float(m.group(0).replace(",", ""))
    except ValueError:  # pragma: no cover - the pattern only matches numbers
        return None


def text_number_note(text: str) -> str:
    """The note for a right number given as text."""
    return (
        f"you gave the number as text ({text!r}, in quotes); it was read as a number. Next time give "
        "the number itself, without quotes, thousands commas, a % sign or a unit."
    )


def single_value(desc: dict[str, Any]) -> tuple[Any, str] | None:
    """The one value of a one-item list, array or Series, and the note on the better form."""
    t = desc.get("type")
    if t == "sequence" and desc.get("length") == 1 and len(desc.get("items", [])) == 1:
        what = "a list (or array) of 1 item"
        value = desc["items"][0]
    elif t == "series" and desc.get("length") == 1 and len(desc.get("values", [])) == 1:
        what = "a pandas Series of 1 value"
        value = desc["values"][0]
    elif t == "dataframe" and desc.get("shape") == [1, 1] and len(desc.get("data", [])) == 1:
        what = "a table of 1 row and 1 column"
        value = desc["data"][0][0]
    else:
        return None
    if isinstance(value, bool) or (not isinstance(value, (int, float)) and value is not None):
        return None
    return value, (
        f"you gave {what}; this question wants a single number, so its one value was read. Next "
        "time take the value itself, e.g. with .item() or .iloc[0] (.iloc[0, 0] for a table)."
    )


def table_from(desc: dict[str, Any]) -> tuple[dict[str, Any], str] | None:
    """A dict of columns or a list of records, described as a table, with a note; else None."""
    table = desc.get("table")
    if not isinstance(table, dict) or desc.get("type") not in ("dict", "sequence"):
        return None
    columns, data = table.get("columns"), table.get("data")
    if not isinstance(columns, list) or not isinstance(data, list):
        return None
    what = "a dictionary of columns" if desc["type"] == "dict" else "a list of records (one dict per row)"
    as_frame = {
        "type": "dataframe",
        "columns": [str(c) for c in columns],
        "index_name": None,
        "index": list(range(len(data))),
        "shape": [len(data), len(columns)],
        "data": data,
    }
    return as_frame, (
        f"you gave {what}; it was read as a table, because this question wants a table (a pandas "
        "DataFrame): next time make one with pd.DataFrame(...)."
    )


def numeric_cells(rows: list[list[Any]]) -> tuple[list[list[Any]], list[str]]:
    """Rows with every text cell that unambiguously holds a number turned into that number.

    Returns the new rows and the texts that were converted (empty when none were).
    """
    converted: list[str] = []
    out = []
    for row in rows:
        new = []
        for v in row:
            if isinstance(v, str):
                n = number_from_text(v, percent=True)
                if n is not None:
                    converted.append(v)
                    new.append(int(n) if n.is_integer() and "." not in v else n)
                    continue
            new.append(v)
        out.append(new)
    return out, converted


def numeric_cells_note(converted: list[str]) -> str:
    """The note for a table whose numbers were given as text."""
    shown = ", ".join(repr(c) for c in converted[:3])
    return (
        f"some cells of your table are text holding numbers ({shown}); they were compared as "
        "numbers. Next time convert them (pd.to_numeric, or .astype(float)) so that you can "
        "calculate with them."
    )


def choice_form(given: str, options: list[str]) -> str:
    """A typed choice read as the option it names: case, spaces and a final full stop ignored.

    ``given`` and ``options`` are already in canonical text form (see ``keys.text_form``).
    """
    if given in options or not given.endswith("."):
        return given
    trimmed = given[:-1].rstrip()
    return trimmed if trimmed in options else given
