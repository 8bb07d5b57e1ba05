"""Keep each notebook's MyST source (``.md``) and its ``.ipynb`` (with stored outputs) in step.

Lessons (``notebooks/NN_*.md``), solutions (``solutions/NN_*.md``) and the demo page are
written as MyST Markdown and paired with an ``.ipynb`` by jupytext. The ``.md`` is what a
maintainer edits and reviews; the ``.ipynb`` keeps the stored outputs that nbval compares
and that a reader on GitHub sees.

``python -m defection_course sync`` finds every pair whose inputs differ, copies the ``.md``
inputs into the ``.ipynb``, re-executes it in a fresh kernel and stores normalised outputs.
Naming a notebook re-executes it even when nothing changed.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jupytext
import nbformat

from .. import cells, course
from ..citations import sources_cell
from ..errors import DataError
from ..loading import ModifiedDataWarning
from ..paths import course_root

#: The text format every authored notebook is paired with.
FORMAT = "md:myst"
FORMATS = "ipynb,md:myst"
#: The notebook metadata kept in the ``.md`` header (the course's own, and no jupytext version,
#: so that upgrading jupytext does not rewrite every source).
METADATA_FILTER = "defection_course,-jupytext.text_representation.jupytext_version"
PAIRING = {"formats": FORMATS, "notebook_metadata_filter": METADATA_FILTER}
#: Cell metadata that jupytext or execution adds and that is not part of the source.
_VOLATILE_CELL_KEYS = {"execution", "ExecuteTime", "collapsed", "scrolled", "jupyter"}


@dataclass(frozen=True)
class Pair:
    """One authored notebook: its MyST source and its executed ``.ipynb``."""

    md: Path
    ipynb: Path

    @property
    def name(self) -> str:
        return str(self.ipynb.relative_to(course_root()))


def pairs(root: Path | None = None) -> list[Pair]:
    """Every paired notebook of the course (lessons, solutions, the demo page)."""
    root = root or course_root()
    found = [
        *sorted((root / "notebooks").glob("[0-9][0-9]_*.md")),
        *sorted((root / "solutions").glob("[0-9][0-9]_*.md")),
        root / "notebooks" / "demo" / "dashboard.md",
    ]
    return [Pair(md, md.with_suffix(".ipynb")) for md in found if md.exists()]


def _cell_inputs(cell: Any) -> tuple[str, str, dict[str, Any]]:
    meta = {k: v for k, v in cell.get("metadata", {}).items() if k not in _VOLATILE_CELL_KEYS}
    return cell.cell_type, cell.source, meta


def inputs(nb: nbformat.NotebookNode) -> list[tuple[str, str, dict[str, Any]]]:
    """What an author wrote in a notebook: cell types, sources and metadata (no outputs)."""
    return [_cell_inputs(c) for c in nb.cells]


#: Notebook metadata key (in the .ipynb only) recording what data the stored outputs were made from.
RUN_KEY = "defection_course_run"


def _notebook_meta(nb: nbformat.NotebookNode) -> dict[str, Any]:
    meta = {
        k: v for k, v in nb.metadata.items() if k not in ("jupytext", "language_info", "widgets", RUN_KEY)
    }
    return meta


def data_digest(nb: nbformat.NotebookNode, root: Path | None = None) -> str:
    """SHA-256 of the data files a notebook uses: a lesson's tables (``course.yml``), else every table."""
    data = (root or course_root()) / "data"
    tables = course.notebook_tables(cells.course_meta(nb), root) or sorted(p.stem for p in data.glob("*.csv"))
    h = hashlib.sha256()
    for name in sorted(set(tables)):
        path = data / f"{name}.csv"
        h.update(name.encode())
        h.update(path.read_bytes() if path.exists() else b"missing")
    return h.hexdigest()


def read_source(pair: Pair) -> nbformat.NotebookNode:
    """The notebook as its ``.md`` source describes it."""
    return jupytext.read(pair.md, fmt=FORMAT)


def differences(pair: Pair) -> list[str]:
    """How the ``.ipynb`` differs from its source (an empty list when they agree)."""
    if not pair.ipynb.exists():
        return [f"{pair.ipynb.name} does not exist"]
    source = read_source(pair)
    stored = nbformat.read(pair.ipynb, as_version=4)
    problems = []
    a, b = inputs(source), inputs(stored)
    if len(a) != len(b):
        problems.append(f"{len(a)} cells in the .md, {len(b)} in the .ipynb")
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            problems.append(f"cell {i} differs ({x[0]}: {x[1][:60]!r})")
            break
    problems += _sources_cell_problems(source)
    if _notebook_meta(source) != _notebook_meta(stored):
        problems.append("notebook metadata differs")
    if stored.metadata.get(RUN_KEY, {}).get("data_sha256") != data_digest(source):
        problems.append("the data it uses changed since its outputs were stored")
    if stored.metadata.get("jupytext") != PAIRING:
        problems.append(f"the .ipynb is not paired as the course pairs notebooks (jupytext: {PAIRING})")
    canonical = jupytext.writes(_with_pairing(source), fmt=FORMAT)
    if pair.md.read_text(encoding="utf-8") != canonical:
        problems.append("the .md is not in jupytext's canonical form (run the sync command)")
    return problems


def _sources_cell_problems(nb: nbformat.NotebookNode) -> list[str]:
    """Whether the notebook's Sources cell is the generated one (see :mod:`..citations`).

    Edited data are reported by the data digest, so a ``ModifiedDataWarning`` is not repeated here.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ModifiedDataWarning)
            cell = sources_cell(nb)
    except DataError as e:
        return [f"the Sources cell cannot be checked: {e}"]
    if cell is not None and nb.cells[-1].source != cell:
        return ["the Sources cell is not the one data/sources.csv and the prose's citations give"]
    return []


def with_sources_cell(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook with its Sources cell (if it ends with one) regenerated (see :mod:`..citations`)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ModifiedDataWarning)
        cell = sources_cell(nb)
    if cell is not None and nb.cells[-1].source != cell:
        nb = nbformat.from_dict(nb)
        nb.cells[-1].source = cell
    return nb


def _with_pairing(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb = nbformat.from_dict(nb)
    nb.metadata["jupytext"] = {**nb.metadata.get("jupytext", {}), **PAIRING}
    return nb


def keep_cell_ids(old: nbformat.NotebookNode, new: nbformat.NotebookNode) -> None:
    """Give the cells of ``new`` the ids they had in ``old``, so that re-syncing changes only edited cells.

    MyST sources do not store cell ids, so jupytext makes new random ones on every read. Cells are
    matched by type and source; an edited cell keeps the id of the cell it replaces when the edit
    leaves the number of cells unchanged there. A cell with no counterpart gets an id derived
    from its position and content, which is the same on every run.
    """
    a = [(c.cell_type, c.source) for c in old.cells]
    b = [(c.cell_type, c.source) for c in new.cells]
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    taken = set()
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for k in range(j2 - j1):
                new.cells[j1 + k].id = old.cells[i1 + k].id
                taken.add(old.cells[i1 + k].id)
        elif tag in ("insert", "replace"):
            for k in range(j1, j2):
                digest = hashlib.sha1(f"{k}|{new.cells[k].source}".encode()).hexdigest()
                cell_id = next(digest[i : i + 8] for i in range(0, 32) if digest[i : i + 8] not in taken)
                new.cells[k].id = cell_id
                taken.add(cell_id)


def combine(pair: Pair) -> nbformat.NotebookNode:
    """The ``.md`` inputs with the notebook metadata jupytext pairing needs (no outputs)."""
    nb = read_source(pair)
    nb.metadata["jupytext"] = dict(PAIRING)
    if pair.ipynb.exists():
        old = nbformat.read(pair.ipynb, as_version=4)
        if "language_info" in old.metadata:
            nb.metadata["language_info"] = old.metadata["language_info"]
        keep_cell_ids(old, nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def sync(
    selected: Iterable[Path] = (), timeout: int = 120, check_only: bool = False
) -> list[tuple[Pair, list[str]]]:
    """Bring every out-of-date pair (or the selected notebooks) up to date; return what was done.

    With ``check_only`` nothing is written: the result lists the pairs that are out of date.
    """
    from .execute import execute, normalize

    chosen = {Path(p).resolve().with_suffix("") for p in selected}
    done = []
    for pair in pairs():
        named = pair.md.resolve().with_suffix("") in chosen
        if chosen and not named:
            continue
        problems = differences(pair)
        if not problems and not named:
            continue
        done.append((pair, problems or ["re-executed on request"]))
        if check_only:
            continue
        canonical = jupytext.writes(_with_pairing(with_sources_cell(read_source(pair))), fmt=FORMAT)
        pair.md.write_text(canonical, encoding="utf-8")
        nb = combine(pair)
        executed = normalize(execute(nb, cwd=pair.ipynb.parent, timeout=timeout))
        executed.metadata[RUN_KEY] = {"data_sha256": data_digest(nb)}
        nbformat.write(executed, pair.ipynb)
    return done


def configure(parser: argparse.ArgumentParser) -> None:
    """The ``sync`` job's arguments (see :mod:`defection_course.cli`)."""
    parser.add_argument("notebooks", nargs="*", type=Path, help="only these (re-executed even if unchanged)")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if anything is out of date"
    )
    parser.add_argument("--timeout", type=int, default=120, help="seconds per cell (default %(default)s)")
    parser.set_defaults(run=run_job)


def run_job(args: argparse.Namespace) -> int:
    """Sync the pairs (and rebuild the questions and exercises of changed solutions)."""
    from ..errors import CourseError

    unknown = [p for p in args.notebooks if not p.with_suffix(".md").is_file()]
    if unknown:
        raise CourseError(
            f"no MyST source for {', '.join(map(str, unknown))} (sync takes the .md or .ipynb)."
        )
    from .course_blocks import update

    stale_lists = update(check_only=args.check)  # the lesson lists from course.yml, before the pairs
    for listed in stale_lists:
        print(f"{'out of date' if args.check else 'rewrote'}: {listed} (lesson list, course.yml)", flush=True)
    done = sync(args.notebooks, timeout=args.timeout, check_only=args.check)
    for pair, why in done:
        print(f"{'out of date' if args.check else 'synced'}: {pair.name} ({'; '.join(why)})", flush=True)
    if args.check:
        return 1 if done or stale_lists else 0
    solutions = [pair for pair, _ in done if pair.ipynb.parent.name == "solutions"]
    if solutions:
        from . import questions
        from .exercise_builder import build_all

        # only the changed solutions' lessons: each lesson's question files depend on its solution alone
        built = questions.build(timeout=args.timeout, only=[pair.md for pair in solutions])
        rebuilt = questions.write(built)
        for path in rebuilt:
            print(f"rebuilt {path}", flush=True)
        if any(path.name.endswith("keys.json") for path in rebuilt):
            # The solutions ran their checks against the old keys: run them again, so that their
            # stored check outputs are those of the keys just written.
            for pair, _ in sync([pair.md for pair in solutions], timeout=args.timeout):
                print(f"re-executed with the new keys: {pair.name}", flush=True)
        for pair in solutions:
            for path in build_all(timeout=args.timeout, only=pair.ipynb.name[:2]):
                print(f"rebuilt {path}", flush=True)
    if not done:
        print("every notebook is in step with its .md source")
    return 0
