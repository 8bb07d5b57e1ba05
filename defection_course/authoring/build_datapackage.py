"""Rebuild ``data/datapackage.json`` from the table schemas in ``data/schemas/`` and the CSV files.

The CSV files in ``data/`` are the course's frozen snapshot of its sources: each figure
was transcribed by hand from the page named in ``data/sources.csv`` (news articles,
government statistics pages and archives that offer no machine-readable download).
Each table's schema (columns, types, constraints, keys, descriptions) is declared in
``data/schemas/<table>.yaml``; package metadata and the table order in ``_package.yaml``;
shared columns (``status``, ``source_id``, ``note``) in ``_common.yaml``. This script adds
only what it can compute: each table's list of sources, its row count, size and SHA-256
checksum, and the column dictionary in ``data/README.md``.  Run it after editing any CSV:

    python -m defection_course build-data          # rewrite data/datapackage.json (``make data``)
    python -m defection_course build-data --check  # exit 1 if it is out of date (used by tests)
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import yaml

from ..errors import CourseError
from ..paths import data_dir


def schemas_dir() -> Path:
    """``data/schemas/`` of the course (or of ``DEFECTION_COURSE_ROOT``)."""
    return data_dir() / "schemas"


def _yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def package_meta() -> dict[str, Any]:
    """Package-level metadata and the table order, from ``data/schemas/_package.yaml``."""
    return _yaml(schemas_dir() / "_package.yaml")


def table_specs() -> list[dict[str, Any]]:
    """Each table's schema, from ``data/schemas/<name>.yaml``, with shared fields filled in.

    A field given by name alone (``- status``) is the one defined in ``_common.yaml``.
    """
    common = _yaml(schemas_dir() / "_common.yaml")
    meta = package_meta()
    names = meta["tables"]
    on_disk = {p.stem for p in schemas_dir().glob("*.yaml") if not p.stem.startswith("_")}
    if set(names) != on_disk:
        raise CourseError(
            f"data/schemas/_package.yaml lists {sorted(set(names) - on_disk)} without a schema file, "
            f"and there are schema files it does not list: {sorted(on_disk - set(names))}"
        )
    specs = []
    for name in names:
        spec = _yaml(schemas_dir() / f"{name}.yaml")
        if spec.get("name") != name:
            raise CourseError(f"data/schemas/{name}.yaml names its table {spec.get('name')!r}")
        spec["fields"] = [dict(common[f]) if isinstance(f, str) else f for f in spec["fields"]]
        specs.append(spec)
    return specs


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def build() -> dict:
    """Return the descriptor for the CSV files as they are now."""
    sources = {r["source_id"]: r for r in _rows(data_dir() / "sources.csv")}
    resources = []
    for spec in table_specs():
        name = spec["name"]
        path = data_dir() / f"{name}.csv"
        rows = _rows(path)
        schema: dict = {"fields": spec["fields"], "primaryKey": spec["primaryKey"], "missingValues": [""]}
        fks = list(spec.get("foreignKeys", []))
        if name != "sources":
            fks.append({"fields": "source_id", "reference": {"resource": "sources", "fields": "source_id"}})
        if fks:
            schema["foreignKeys"] = fks
        used = sorted({r["source_id"] for r in rows} if name != "sources" else set())
        res = {
            "name": name,
            "path": f"{name}.csv",
            "title": spec["title"],
            "description": spec["description"],
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "hash": "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest(),
            "bytes": path.stat().st_size,
            "rows": len(rows),
            "schema": schema,
        }
        if used:
            res["sources"] = [
                {"title": f"{sources[s]['publisher']}: {sources[s]['title']}", "path": sources[s]["url"]}
                for s in used
                if s in sources
            ]
        resources.append(res)
    meta = {k: v for k, v in package_meta().items() if k != "tables"}
    return {**meta, "resources": resources}


def render(descriptor: dict) -> str:
    return json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"


BEGIN, END = "<!-- BEGIN GENERATED TABLES -->", "<!-- END GENERATED TABLES -->"


def _window(name: str) -> str:
    """The years a table covers, from its year-like columns."""
    years: list[int] = []
    for row in _rows(data_dir() / f"{name}.csv"):
        for col in ("year", "start_year", "end_year", "survey_year"):
            if row.get(col, "").isdigit():
                years.append(int(row[col]))
    return f"{min(years)}-{max(years)}" if years else "n/a"


def render_readme_tables(descriptor: dict) -> str:
    """The column dictionary section of data/README.md."""
    out = [
        BEGIN,
        "",
        "_This section is generated by `python -m defection_course build-data` from `data/schemas/`; "
        "edit the schemas there._",
        "",
    ]
    for res in descriptor["resources"]:
        out.append(f"### `{res['path']}`: {res['title']}")
        out.append("")
        out.append(res["description"])
        out.append("")
        window = _window(res["name"])
        n_sources = len(res.get("sources", []))
        facts = [f"{res['rows']} rows"]
        if window != "n/a":
            facts.append(f"years {window}")
        if n_sources:
            facts.append(f"{n_sources} source{'s' if n_sources > 1 else ''}")
        keys = ", ".join(res["schema"]["primaryKey"])
        out.append(f"*{'; '.join(facts)}; key: {keys}.*")
        out.append("")
        out.append("| column | type | meaning |")
        out.append("|---|---|---|")
        for fld in res["schema"]["fields"]:
            cons = fld.get("constraints", {})
            extra = " (required)" if cons.get("required") else ""
            if "enum" in cons:
                extra += " one of: " + ", ".join(f"`{v}`" for v in cons["enum"])
            out.append(f"| `{fld['name']}` | {fld['type']} | {fld['description']}{extra} |")
        out.append("")
    out.append(END)
    return "\n".join(out)


def update_readme(text: str, descriptor: dict) -> str:
    """Replace the generated section of the README text (or append it)."""
    block = render_readme_tables(descriptor)
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        return head + block + rest.split(END, 1)[1]
    return text.rstrip("\n") + "\n\n" + block + "\n"


def configure(parser: argparse.ArgumentParser) -> None:
    """The ``build-data`` job's arguments (see :mod:`defection_course.cli`)."""
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if anything is out of date"
    )
    parser.set_defaults(run=run_job)


def run_job(args: argparse.Namespace) -> int:
    """Write (or, with ``--check``, compare) ``data/datapackage.json`` and ``data/README.md``."""
    descriptor = build()
    text = render(descriptor)
    target = data_dir() / "datapackage.json"
    readme = data_dir() / "README.md"
    readme_text = update_readme(readme.read_text(encoding="utf-8"), descriptor)
    if args.check:
        stale = [
            p.name
            for p, new in ((target, text), (readme, readme_text))
            if not p.exists() or p.read_text(encoding="utf-8") != new
        ]
        if stale:
            print(
                f"out of date: {', '.join(stale)}; run python -m defection_course build-data", file=sys.stderr
            )
            return 1
        print("data/datapackage.json and data/README.md are up to date")
        return 0
    target.write_text(text, encoding="utf-8")
    readme.write_text(readme_text, encoding="utf-8")
    print(f"wrote {target} and {readme} ({len(descriptor['resources'])} tables)")
    return 0
