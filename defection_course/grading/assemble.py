"""Rebuild the notebook that is actually run: the student's cells, the original checks.

Check cells are never taken from the submission. Every original check cell is put back after
the student's answer cell for the same question, but as a *capture* cell: it describes the
answer (see :mod:`defection_course.checks.describe`) and emits the description as JSON, which
the grader evaluates in its own process. A submission that edits, deletes or redefines the
checks is therefore graded with the original checks, and its gradebook row says so.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import nbformat

from .. import cells
from ..cells import question_of
from . import answer_search

CAPTURE_MIME = "application/x.defection-course.answer+json"
REDEFINES = re.compile(
    r"(^\s*def\s+(check|check_all|describe|evaluate)\b)|"
    r"(^\s*(check|check_all)\s*=)|(checks\.\w+\s*=)|(describe\s*=)",
    re.M,
)

CAPTURE_TEMPLATE = """\
# Added by the grader: capture the answer to {qid} for checking outside this kernel.
import importlib as _gr_importlib, json as _gr_json
from IPython.display import display as _gr_display
_gr_describe = _gr_importlib.reload(_gr_importlib.import_module("defection_course.checks.describe")).describe
try:
    _gr_value = {{"found": True, "description": _gr_describe({variable})}}
except NameError:
    _gr_value = {{"found": False}}
except Exception as _gr_exc:
    _gr_value = {{"found": True, "description": {{"type": "other", "python_type": type(_gr_exc).__name__}}}}
_gr_payload = _gr_json.loads(_gr_json.dumps({{"qid": "{qid}", **_gr_value}}, default=str))
_gr_display({{"{mime}": _gr_payload}}, raw=True)
"""
SKIPPED_WIDGET = "pass  # display-only widget cell: skipped by the grader (it shows, it does not answer)"


@dataclass
class Assembly:
    """The notebook to run, and what was noticed while building it."""

    notebook: nbformat.NotebookNode
    notes: list[str] = field(default_factory=list)
    missing_answers: list[str] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)  #: where each cell came from, for messages
    flagged: list[str] = field(default_factory=list)  #: cells that seem to search for answers
    #: per question, why its answer may have been searched for (flags for the teacher)
    question_flags: dict[str, list[str]] = field(default_factory=dict)

    def describe_cell(self, index: int) -> str:
        """How to refer to a cell of the run notebook in feedback (the student's numbering)."""
        return self.origins[index] if 0 <= index < len(self.origins) else f"cell {index}"


def capture_cell(qid: str, variable: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(CAPTURE_TEMPLATE.format(qid=qid, variable=variable, mime=CAPTURE_MIME))
    cell.metadata[cells.META] = {cells.CAPTURE: qid}
    return cell


def assemble(
    exercise: nbformat.NotebookNode,
    submitted: nbformat.NotebookNode,
    variables: dict[str, str],
    kinds: dict[str, str] | None = None,
) -> Assembly:
    """Build the notebook to run from the original exercise and the student's notebook.

    ``variables`` maps question ids to the answer variable names, ``kinds`` to the question kinds
    (to flag typed-in answers, see :mod:`answer_search`).
    """
    searcher = answer_search.Searcher(variables, dict(kinds or {}))
    original_checks = {(question_of(c) or ""): c.source for c in exercise.cells if cells.is_check_cell(c)}
    notes: list[str] = []
    out = nbformat.v4.new_notebook()
    out.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    placed: set[str] = set()
    edited_checks: set[str] = set()
    redefined = False
    flagged: list[str] = []
    pending: list[str] = []  # answers seen whose capture cell is still to place

    origins: list[str] = []

    def flush() -> None:
        for qid in pending:
            out.cells.append(capture_cell(qid, variables[qid]))
            origins.append(f"the grader's check of {qid}")
            placed.add(qid)
        pending.clear()

    by_variable = {v: q for q, v in variables.items()}
    for number, cell in enumerate(submitted.cells, start=1):
        if cell.get("cell_type") != "code":
            out.cells.append(nbformat.v4.new_markdown_cell(cell.get("source", "")))
            origins.append(f"cell {number}")
            continue
        source = cell.get("source", "")
        qid = question_of(cell)
        tags = cells.tags(cell)
        if qid is None:  # metadata lost (e.g. edited in another tool): recognise the answer line
            first = re.match(r"\s*(\w+)\s*=", source)
            if first and first.group(1) in by_variable:
                qid, tags = by_variable[first.group(1)], tags | {cells.ANSWER}
        if cells.CHECK in tags or cells.CHECK_ALL in tags:
            if qid in original_checks and source.strip() != original_checks[qid].strip():
                edited_checks.add(qid)
            flush()
            continue  # the student's check cells are never run
        where = f"cell {number}"
        before = len(searcher.notes)
        searcher.cell(where, source, qid, answer_cell=cells.ANSWER in tags and qid in variables)
        if len(searcher.notes) > before:
            flagged.append(where)
        source, calls, _ = answer_search.split_check_calls(source)
        if calls:
            notes.append(
                f"{where} also called check() ({calls} line(s)): those lines were dropped and the rest "
                "of the cell was run, so the grade matches what the notebook showed"
            )
            if not source.strip():
                flush()
                continue
        found = answer_search.redefines_checks(source)
        if found or (found is None and REDEFINES.search(source)):
            redefined = True
        if cells.WIDGET in tags:
            out.cells.append(nbformat.v4.new_code_cell(SKIPPED_WIDGET))
            origins.append(f"cell {number} (widget, skipped)")
            continue
        if qid in variables and cells.ANSWER in tags:
            flush()
            out.cells.append(nbformat.v4.new_code_cell(source))
            origins.append(f"cell {number} (your answer to {qid})")
            pending.append(qid)
        else:
            out.cells.append(nbformat.v4.new_code_cell(source))
            origins.append(f"cell {number}")
    flush()
    deleted = sorted(
        set(original_checks) - {(question_of(c) or "") for c in submitted.cells if cells.is_check_cell(c)}
    )
    missing = [q for q in variables if q not in placed]
    for qid in missing:  # answer cell deleted or untagged: still try the variable at the end
        out.cells.append(capture_cell(qid, variables[qid]))
        origins.append(f"the grader's check of {qid}")
    if edited_checks:
        notes.append(
            f"check cell(s) edited by the student ({', '.join(sorted(edited_checks))}): "
            "graded with the original checks"
        )
    if deleted:
        notes.append(
            f"check cell(s) deleted by the student ({', '.join(deleted)}): graded with the original checks"
        )
    if redefined:
        notes.append(
            "the notebook redefines check() or the checking code: graded with the original "
            "checks, run outside the student's kernel"
        )
    if missing:
        notes.append(
            f"answer cell(s) not found ({', '.join(missing)}): the variables were looked up "
            "at the end of the notebook"
        )
    notes += searcher.notes
    return Assembly(out, notes, missing, origins, flagged, searcher.by_question)


def captured_answers(executed: nbformat.NotebookNode) -> dict[str, dict]:
    """The answer descriptions emitted by the capture cells (the last one wins per question)."""
    found: dict[str, dict] = {}
    for cell in executed.cells:
        if cells.CAPTURE not in cells.course_meta(cell):
            continue
        for output in cell.get("outputs", []):
            payload = output.get("data", {}).get(CAPTURE_MIME)
            if isinstance(payload, str):
                payload = json.loads(payload)
            if isinstance(payload, dict) and "qid" in payload:
                found[payload["qid"]] = payload
    return found
