"""Load a course table as a typed, validated pandas DataFrame.

``load("arrivals_annual")`` reads ``data/arrivals_annual.csv``, checks every cell
against the table's schema in ``data/datapackage.json`` (column names, types,
required values, allowed values, unique keys) and returns a DataFrame whose columns
have the declared types.  Any problem raises :class:`~defection_course.errors.DataError`
with the file, the line and what is wrong, plus how to restore the file.
"""

from __future__ import annotations

import csv
import hashlib
import re
import warnings
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd

from .datapackage import Field, Resource, resources
from .errors import DataError, UnknownTableError
from .paths import data_dir

__all__ = ["ModifiedDataWarning", "load", "table_names"]


class ModifiedDataWarning(UserWarning):
    """A data file is valid but differs from the copy shipped with the course."""


def table_names() -> list[str]:
    """Names of every table ``load()`` accepts, in alphabetical order."""
    return sorted(resources())


def _restore_hint(rel: str) -> str:
    return (
        f"To restore the original file, run `git checkout -- {rel}` in the course "
        "folder (or download the course again)."
    )


class _Problem(Exception):
    """One bad cell, turned into a DataError with file context by ``_convert``."""


def _parse_integer(text: str) -> int:
    if not re.fullmatch(r"[+-]?\d+", text):
        raise _Problem(f"{text!r} is not a whole number")
    return int(text)


def _parse_number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise _Problem(f"{text!r} is not a number") from None


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _Problem(f"{text!r} is not a date in the form YYYY-MM-DD") from None


def _parse_boolean(text: str) -> bool:
    low = text.strip().lower()
    if low in {"true", "yes", "1"}:
        return True
    if low in {"false", "no", "0"}:
        return False
    raise _Problem(f"{text!r} is not true/false")


#: Text of a CSV cell to a value, by the schema's field type.
_PARSERS: dict[str, Callable[[str], object]] = {
    "integer": _parse_integer,
    "year": _parse_integer,
    "number": _parse_number,
    "date": _parse_date,
    "boolean": _parse_boolean,
    "string": str,
}


def _check_constraints(f: Field, value: object, text: str) -> None:
    if f.enum is not None and text not in f.enum:
        raise _Problem(f"{text!r} is not one of the allowed values {list(f.enum)}")
    if f.pattern is not None and not re.fullmatch(f.pattern, text):
        raise _Problem(f"{text!r} does not have the expected form ({f.pattern})")
    if f.minimum is not None and isinstance(value, (int, float)) and value < f.minimum:
        raise _Problem(f"{text} is below the minimum {f.minimum}")
    if f.maximum is not None and isinstance(value, (int, float)) and value > f.maximum:
        raise _Problem(f"{text} is above the maximum {f.maximum}")


def _read_rows(res: Resource, path: Path, rel: str) -> list[list[str]]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{rel} is missing (table '{res.name}'). {_restore_hint(rel)}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{rel} is not UTF-8 text (byte {exc.start}); it may be damaged. {_restore_hint(rel)}"
        ) from None
    if not text.strip():
        raise DataError(f"{rel} is empty. {_restore_hint(rel)}")
    try:
        rows = list(csv.reader(text.splitlines(), strict=True))
    except csv.Error as exc:
        raise DataError(f"{rel} cannot be read as CSV ({exc}). {_restore_hint(rel)}") from None
    header = rows[0]
    expected = res.field_names
    if header != expected:
        unknown = [c for c in header if c not in expected]
        missing = [c for c in expected if c not in header]
        parts = []
        if unknown:
            parts.append(f"unexpected column(s) {unknown}")
        if missing:
            parts.append(f"missing column(s) {missing}")
        if not parts:
            parts.append("the columns are in a different order")
        raise DataError(
            f"{rel}, line 1 (header): {'; '.join(parts)}. Expected the columns "
            f"{expected}. {_restore_hint(rel)}"
        )
    for lineno, row in enumerate(rows[1:], start=2):
        if len(row) != len(expected):
            why = (
                "the file looks truncated"
                if lineno == len(rows) and len(row) < len(expected)
                else "a comma or quote is probably missing or extra"
            )
            raise DataError(
                f"{rel}, line {lineno}: {len(row)} values instead of "
                f"{len(expected)} ({why}). {_restore_hint(rel)}"
            )
    return rows[1:]


def _convert(res: Resource, rows: list[list[str]], rel: str) -> dict[str, list[object]]:
    columns: dict[str, list[object]] = {f.name: [] for f in res.fields}
    for lineno, row in enumerate(rows, start=2):
        for f, text in zip(res.fields, row):
            if text in res.missing_values:
                if f.required:
                    raise DataError(
                        f"{rel}, line {lineno}, column '{f.name}': a value is "
                        f"required but the cell is empty. {_restore_hint(rel)}"
                    )
                columns[f.name].append(None)
                continue
            try:
                value = _PARSERS.get(f.type, str)(text)
                _check_constraints(f, value, text)
            except _Problem as exc:
                raise DataError(
                    f"{rel}, line {lineno}, column '{f.name}': {exc}. {_restore_hint(rel)}"
                ) from None
            columns[f.name].append(value)
    return columns


def _check_keys(res: Resource, columns: dict[str, list[object]], rel: str) -> None:
    key_sets: list[tuple[str, ...]] = []
    if res.primary_key:
        key_sets.append(res.primary_key)
    key_sets += [(f.name,) for f in res.fields if f.unique and (f.name,) != res.primary_key]
    for key in key_sets:
        seen: dict[tuple[object, ...], int] = {}
        for i, values in enumerate(zip(*(columns[k] for k in key))):
            lineno = i + 2
            if values in seen:
                shown = ", ".join(f"{k}={v}" for k, v in zip(key, values))
                raise DataError(
                    f"{rel}, line {lineno}: duplicate {shown} (already on line "
                    f"{seen[values]}); each {'/'.join(key)} may appear only once. "
                    f"{_restore_hint(rel)}"
                )
            seen[values] = lineno


_DTYPES = {"integer": "Int64", "year": "Int64", "number": "float64", "boolean": "boolean", "string": "str"}


def _frame(res: Resource, columns: dict[str, list[object]]) -> pd.DataFrame:
    data = {}
    for f in res.fields:
        values = columns[f.name]
        if f.type == "date":
            data[f.name] = pd.to_datetime(pd.Series(values, dtype="object"))
        else:
            data[f.name] = pd.Series(values, dtype=_DTYPES.get(f.type, "str"))
    return pd.DataFrame(data)


def _check_integrity(res: Resource, path: Path, rel: str, n_rows: int) -> None:
    if res.hash is None:
        return
    algo, _, expected = res.hash.partition(":") if ":" in res.hash else ("md5", "", res.hash)
    digest = hashlib.new(algo, path.read_bytes()).hexdigest()
    if digest == expected:
        return
    if res.rows is not None and n_rows < res.rows:
        raise DataError(
            f"{rel} has {n_rows} data rows but the course ships {res.rows}: "
            f"the file looks truncated. {_restore_hint(rel)}"
        )
    warnings.warn(
        f"{rel} differs from the copy shipped with the course (checksum mismatch). "
        "It is still readable, but results may not match the lesson text. " + _restore_hint(rel),
        ModifiedDataWarning,
        stacklevel=3,
    )


def load(name: str) -> pd.DataFrame:
    """Return the course table ``name`` as a typed DataFrame, validated against its schema.

    >>> arrivals = load("arrivals_annual")      # doctest: +SKIP

    Raises ``DataError`` naming the file, the line and the problem when a file is
    missing or damaged, and ``UnknownTableError`` (listing the available names) when
    ``name`` is not a course table.
    """
    if not isinstance(name, str):
        raise UnknownTableError(
            f"load() needs a table name as text, e.g. load('arrivals_annual'); "
            f"got {type(name).__name__}. Available: {', '.join(table_names())}"
        )
    table = resources().get(name.strip().removesuffix(".csv"))
    if table is None:
        raise UnknownTableError(
            f"There is no table called {name!r}. Available tables: {', '.join(table_names())}"
        )
    path = data_dir() / table.path
    rel = f"data/{table.path}"
    rows = _read_rows(table, path, rel)
    columns = _convert(table, rows, rel)
    _check_keys(table, columns, rel)
    _check_integrity(table, path, rel, len(rows))
    return _frame(table, columns)
