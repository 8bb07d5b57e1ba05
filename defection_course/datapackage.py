"""Read ``data/datapackage.json``: which tables exist and what their columns must hold.

The descriptor follows the Frictionless Data Package standard (Table Schema fields with
types and constraints, primary and foreign keys).  This module only *reads* it; checking
a CSV file against it is the job of :mod:`defection_course.loading`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import DataError
from .paths import datapackage_path


@dataclass(frozen=True)
class Field:
    """One column of a table: its name, Table Schema type and constraints."""

    name: str
    type: str
    description: str = ""
    required: bool = False
    unique: bool = False
    minimum: float | None = None
    maximum: float | None = None
    enum: tuple[str, ...] | None = None
    pattern: str | None = None


@dataclass(frozen=True)
class Resource:
    """One table of the data package."""

    name: str
    path: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    missing_values: tuple[str, ...] = ("",)
    hash: str | None = None
    rows: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def field_names(self) -> list[str]:
        """Column names in the order the schema lists them."""
        return [f.name for f in self.fields]


def _field(raw: dict[str, Any]) -> Field:
    cons = raw.get("constraints", {})
    enum = cons.get("enum")
    return Field(
        name=raw["name"],
        type=raw.get("type", "string"),
        description=raw.get("description", ""),
        required=bool(cons.get("required", False)),
        unique=bool(cons.get("unique", False)),
        minimum=cons.get("minimum"),
        maximum=cons.get("maximum"),
        enum=tuple(enum) if enum is not None else None,
        pattern=cons.get("pattern"),
    )


def _resource(raw: dict[str, Any]) -> Resource:
    schema = raw.get("schema", {})
    pk = schema.get("primaryKey", [])
    if isinstance(pk, str):
        pk = [pk]
    known = {"name", "path", "title", "description", "schema", "hash", "rows"}
    return Resource(
        name=raw["name"],
        path=raw["path"],
        title=raw.get("title", raw["name"]),
        description=raw.get("description", ""),
        fields=tuple(_field(f) for f in schema.get("fields", [])),
        primary_key=tuple(pk),
        missing_values=tuple(schema.get("missingValues", [""])),
        hash=raw.get("hash"),
        rows=raw.get("rows"),
        extra={k: v for k, v in raw.items() if k not in known},
    )


@lru_cache(maxsize=4)
def _read(path: Path, mtime: float) -> dict[str, Resource]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(
            f"{path} is missing, so the course cannot tell which tables exist. "
            "Restore it with `git checkout -- data/datapackage.json` "
            "(or download the course again)."
        ) from None
    except json.JSONDecodeError as exc:
        raise DataError(
            f"{path} is not valid JSON (line {exc.lineno}: {exc.msg}). "
            "Restore it with `git checkout -- data/datapackage.json`."
        ) from None
    return {r["name"]: _resource(r) for r in raw.get("resources", [])}


def resources() -> dict[str, Resource]:
    """Return every table described in ``datapackage.json``, by name."""
    path = datapackage_path()
    mtime = path.stat().st_mtime if path.exists() else 0.0
    return _read(path, mtime)


def descriptor() -> dict[str, Any]:
    """Return the raw descriptor (for sources, licences and other package metadata)."""
    return json.loads(datapackage_path().read_text(encoding="utf-8"))
