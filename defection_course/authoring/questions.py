"""Build everything about the exercise questions from their one definition.

Each question is defined once, in its solution's MyST source (``solutions/NN_*.md``), in a
Markdown cell tagged ``question-definition`` (and ``solution-only``, so exercises leave it
out) that follows the question's prompt, answer cell and check cell. The cell holds one
fenced YAML block::

    question: q1_1
    kind: number
    variable: arrived_by_2016
    claim: C2
    title: Everyone who had arrived by the end of 2016
    unit: " people"
    hint: MOU's series starts with two columns covering many years ...
    mistakes:
      end_2015:
        message: that is the total at the end of 2015; the question asks about the end of 2016.
        answer: int(opening + annual.loc[annual["year"].between(2002, 2015), "total"].sum())
    probes:              # other slips, whose message must contain `says`
      - answer: '"30212"'
        says: in quotes
    right:               # other right answers, in other idioms: they must pass
      - opening + annual.set_index("year").loc[2002:2016, "total"].sum()
    wrong:               # plausible wrong answers: they must not pass
      - int(opening + annual.loc[annual["year"].between(2002, 2016), "total"].sum()) + 1

A case's ``answer`` is the code a student would write: an expression, or statements that
assign the answer variable; it runs right after the answer cell, in a copy of the notebook's
namespace. ``python -m defection_course build-questions`` runs each solution notebook once,
with every case evaluated after its answer cell (see :mod:`.harness`), and writes, from that
one run:

* ``defection_course/questions/questions.json``: what the checks need at run time (kind,
  messages, hint; no code, no answers);
* ``defection_course/questions/keys.json``: salted hashes of the solution's answer and of each
  mistake's (so checks recognise a mistake by its value, without storing either);
* ``tests/generated/answer_cases.json``: the description of every case, which
  ``tests/checks/test_question_cases.py`` feeds to the checks.

``--check`` writes nothing and fails when any of the three files is out of date.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import jupytext
import nbformat
import yaml

from ..cells import LESSON, QUESTION_DEFINITION, course_meta, is_answer_cell, is_definition_cell, question_of
from ..checks import keys as K
from ..checks.figures import data_axes, diagnostic_forms, name_keys, series_forms
from ..checks.spec import (
    FigureRules,
    Question,
    answer_forms,
    coarse_forms,
    question_from_json,
)
from ..errors import CourseError
from ..paths import course_root
from .harness import MIME

#: Keys of a definition that are not runtime fields of :class:`Question`.
CASE_KEYS = {"question", "mistakes", "probes", "right", "wrong"}
#: The tag of the Markdown cell (solution-only) that holds a question's definition.
DEFINITION_TAG = QUESTION_DEFINITION
_YAML_BLOCK = re.compile(r"```yaml\n(.*?)```", re.S)
_TUPLE_FIELDS = {"columns", "expected_span", "options"}
_QUESTION_FIELDS = {f.name for f in fields(Question)}


class QuestionDefinitionError(CourseError, ValueError):
    """A question's definition in a solution source is incomplete or contradicts itself."""


@dataclass
class Definition:
    """One question as its solution source defines it."""

    question: Question
    source: Path
    mistakes: dict[str, str] = field(default_factory=dict)  #: name -> the wrong code
    probes: list[tuple[str, str]] = field(default_factory=list)  #: (code, message fragment)
    right: list[str] = field(default_factory=list)  #: other right answers
    wrong: list[str] = field(default_factory=list)  #: plausible wrong answers (no message of their own)


def solution_sources(root: Path | None = None) -> list[Path]:
    """The MyST sources of the solution notebooks, in lesson order."""
    return sorted(((root or course_root()) / "solutions").glob("[0-9][0-9]_*.md"))


def _question(meta: dict[str, Any], lesson: int, where: str) -> Question:
    spec = {k: v for k, v in meta.items() if k not in CASE_KEYS}
    unknown = set(spec) - _QUESTION_FIELDS
    if unknown:
        raise QuestionDefinitionError(f"{where}: unknown field(s) {sorted(unknown)}")
    messages = {}
    for name, mistake in (meta.get("mistakes") or {}).items():
        if not isinstance(mistake, dict) or not mistake.get("message") or not mistake.get("answer"):
            raise QuestionDefinitionError(f"{where}: mistake {name!r} needs a message and an answer")
        messages[name] = mistake["message"]
    try:
        return question_from_json({"qid": meta["question"], "lesson": lesson, "mistakes": messages, **spec})
    except TypeError as exc:
        raise QuestionDefinitionError(f"{where}: {exc}") from exc


def definition_block(cell: Any) -> dict[str, Any] | None:
    """The YAML definition in a question-definition cell (``None`` for any other cell)."""
    if not is_definition_cell(cell):
        return None
    match = _YAML_BLOCK.search(cell.source)
    if match is None:
        raise QuestionDefinitionError(f"a {DEFINITION_TAG!r} cell has no ```yaml block: {cell.source[:80]!r}")
    data = yaml.safe_load(match.group(1))
    if not isinstance(data, dict) or "question" not in data:
        raise QuestionDefinitionError(f"a question definition must be a mapping with 'question': {data!r}")
    return data


def _prompt(cells: list[Any], answer: int) -> str:
    """The Markdown cells just above an answer cell: the question as the learner reads it."""
    parts: list[str] = []
    for cell in reversed(cells[:answer]):
        if cell.cell_type != "markdown":
            break
        parts.insert(0, cell.source)
        if cell.source.lstrip().startswith("## "):  # the question's own heading
            break
    return "\n\n".join(parts)


def definitions_in(path: Path) -> list[Definition]:
    """Every question defined in one solution source, checked against its answer cell."""
    nb = jupytext.read(path, fmt="md:myst")
    lesson = int(course_meta(nb)[LESSON])
    answers = {str(question_of(c)): i for i, c in enumerate(nb.cells) if is_answer_cell(c)}
    found = []
    for i, cell in enumerate(nb.cells):
        meta = definition_block(cell)
        if meta is None:
            continue
        qid = meta["question"]
        where = f"{path.name} cell {i} ({qid})"
        if qid not in answers or answers[qid] > i:
            raise QuestionDefinitionError(f"{where}: the definition must follow the question's answer cell")
        q = _question(meta, lesson, where)
        if q.kind == "text":
            q = replace(q, prompt=_prompt(nb.cells, answers[qid]))
        if f"{q.variable} = ..." not in nb.cells[answers[qid]].source:
            raise QuestionDefinitionError(f"{where}: the answer cell does not start `{q.variable} = ...`")
        found.append(
            Definition(
                question=q,
                source=path,
                mistakes={n: m["answer"] for n, m in (meta.get("mistakes") or {}).items()},
                probes=[(p["answer"], p["says"]) for p in meta.get("probes") or []],
                right=list(meta.get("right") or []),
                wrong=list(meta.get("wrong") or []),
            )
        )
    undefined = sorted(set(answers) - {d.question.qid for d in found})
    if undefined:
        raise QuestionDefinitionError(f"{path.name}: answer cells without a definition: {undefined}")
    return found


def all_definitions(root: Path | None = None) -> list[Definition]:
    """Every question of the course, in order; question ids must be unique."""
    out: list[Definition] = []
    for path in solution_sources(root):
        out += definitions_in(path)
    ids = [d.question.qid for d in out]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise QuestionDefinitionError(f"question ids defined twice: {duplicates}")
    return out


# ----------------------------------------------------------------------------- running the cases
def _cases(d: Definition) -> dict[str, str]:
    cases = {f"mistake:{n}": code for n, code in d.mistakes.items()}
    cases.update({f"probe:{i}": code for i, (code, _) in enumerate(d.probes)})
    cases.update({f"right:{i}": code for i, code in enumerate(d.right)})
    cases.update({f"wrong:{i}": code for i, code in enumerate(d.wrong)})
    return cases


def _with_harness(path: Path, defs: dict[str, Definition]) -> nbformat.NotebookNode:
    nb = jupytext.read(path, fmt="md:myst")
    cells = []
    for cell in nb.cells:
        cells.append(cell)
        qid = question_of(cell)
        if is_answer_cell(cell) and qid in defs:
            d = defs[qid]
            code = (
                "from defection_course.authoring.harness import describe_cases as _describe_cases\n"
                f"_describe_cases({qid!r}, {d.question.variable!r}, {_cases(d)!r})"
            )
            cells.append(nbformat.v4.new_code_cell(code))
    nb.cells = cells
    return nb


def run_cases(path: Path, defs: list[Definition], timeout: int = 120) -> dict[str, dict[str, Any]]:
    """Execute one solution with its cases; return each question's described answers."""
    from .execute import execute

    by_id = {d.question.qid: d for d in defs}
    executed = execute(_with_harness(path, by_id), cwd=path.parent, timeout=timeout)
    payloads: dict[str, dict[str, Any]] = {}
    for cell in executed.cells:
        for out in cell.get("outputs", []):
            if MIME in out.get("data", {}):
                payload = out["data"][MIME]
                payloads[payload["qid"]] = payload
    missing = sorted(set(by_id) - set(payloads))
    if missing:
        raise QuestionDefinitionError(f"{path.name}: no cases were described for {missing}")
    return payloads


# ----------------------------------------------------------------------------- keys and files
def _hashes(qid: str, forms: list[str]) -> list[str]:
    return sorted({K.digest(qid, f) for f in forms})


def key_entry(d: Definition, payload: dict[str, Any]) -> dict[str, Any]:
    """The hashed key of one question, from the described answers of its definition's cases."""
    q = d.question
    where = f"{d.source.name} {q.qid}"
    if payload.get("mutated"):
        raise QuestionDefinitionError(f"{where}: a case changed the solution's own answer in place")
    errors = {n: c["error"] for n, c in payload["cases"].items() if "error" in c}
    if errors:
        raise QuestionDefinitionError(f"{where}: these cases raise: {errors}")
    expected = answer_forms(q, payload["expected"])
    if not expected:
        raise QuestionDefinitionError(f"{where}: the solution's answer is not a {q.kind} the checks can read")
    entry: dict[str, Any] = {"kind": q.kind, "expected": _hashes(q.qid, expected), "mistakes": {}}
    for name in sorted(d.mistakes):
        forms = answer_forms(q, payload["cases"][f"mistake:{name}"])
        if not forms:
            raise QuestionDefinitionError(f"{where}: mistake {name!r} gives no answer of kind {q.kind}")
        if set(forms) & set(expected):
            raise QuestionDefinitionError(f"{where}: mistake {name!r} gives the right answer")
        entry["mistakes"][name] = _hashes(q.qid, forms)
        mine = set(entry["mistakes"][name])
        twins = [n for n, h in entry["mistakes"].items() if n != name and set(h) & mine]
        if twins:
            raise QuestionDefinitionError(
                f"{where}: mistakes {name!r} and {twins[0]!r} give the same answer, so only one message "
                "could ever be shown: merge them"
            )
    coarse = coarse_forms(q, payload["expected"])
    if coarse:
        entry["expected_coarse"] = _hashes(q.qid, coarse)
    if q.figure is not None and q.figure.series:
        ax = data_axes(payload["expected"])
        named = series_forms(q.figure, ax) if ax is not None else {}
        missing = sorted(set(q.figure.series) - set(named))
        if missing:
            raise QuestionDefinitionError(f"{where}: the solution's figure has no series named {missing}")
        entry["series"] = {name: _hashes(q.qid, [form]) for name, form in sorted(named.items())}
        if ax is not None:
            by_values = series_forms(q.figure, ax, values=True)
            entry["series_values"] = {n: _hashes(q.qid, [f]) for n, f in sorted(by_values.items())}
    if q.figure is not None:
        for name, form in diagnostic_forms(q.figure, payload["expected"]).items():
            entry[name] = _hashes(q.qid, [form])
        for name, forms in name_keys(q.figure, payload["expected"]).items():
            entry[name] = _hashes(q.qid, forms)
    return entry


def runtime_spec(q: Question) -> dict[str, Any]:
    """A question's runtime fields as JSON (defaults left out, so the file reads like the source)."""
    out: dict[str, Any] = {}
    defaults = Question(qid="", lesson=0, variable="", title="", claim="", kind="")
    for f in fields(Question):
        value = getattr(q, f.name)
        if f.name in ("qid", "lesson", "variable", "title", "claim", "kind") or value != getattr(
            defaults, f.name
        ):
            out[f.name] = (
                {k: v for k, v in vars(value).items()}
                if isinstance(value, FigureRules)
                else copy.deepcopy(value)
            )
    for key in _TUPLE_FIELDS | {"columns"}:
        if key in out:
            out[key] = list(out[key])
    return out


@dataclass
class Built:
    """The three generated files, as text."""

    questions: str
    keys: str
    cases: str


def targets(root: Path | None = None) -> dict[str, Path]:
    root = root or course_root()
    return {
        "questions": root / "defection_course" / "questions" / "questions.json",
        "keys": root / "defection_course" / "questions" / "keys.json",
        "cases": root / "tests" / "generated" / "answer_cases.json",
    }


def _dump(obj: Any) -> str:
    return json.dumps(obj, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def build(root: Path | None = None, timeout: int = 120) -> Built:
    """Run every solution with its cases and return the generated files' text."""
    defs = all_definitions(root)
    questions: dict[str, Any] = {}
    keys: dict[str, Any] = {}
    cases: dict[str, Any] = {}
    for path in solution_sources(root):
        here = [d for d in defs if d.source == path]
        if not here:
            continue
        payloads = run_cases(path, here, timeout)
        for d in here:
            q, payload = d.question, payloads[d.question.qid]
            questions[q.qid] = runtime_spec(q)
            if q.kind != "text":
                keys[q.qid] = key_entry(d, payload)
            cases[q.qid] = {
                "expected": payload["expected"],
                "mistakes": {n: payload["cases"][f"mistake:{n}"] for n in sorted(d.mistakes)},
                "probes": [
                    {"says": says, "answer": payload["cases"][f"probe:{i}"]}
                    for i, (_, says) in enumerate(d.probes)
                ],
                "right": [payload["cases"][f"right:{i}"] for i in range(len(d.right))],
                "wrong": [payload["cases"][f"wrong:{i}"] for i in range(len(d.wrong))],
            }
    order = [d.question.qid for d in defs]
    return Built(
        questions=_dump({"order": order, "questions": questions}),
        keys=_dump(keys),
        cases=_dump(cases),
    )


def write(built: Built, root: Path | None = None, check_only: bool = False) -> list[Path]:
    """Write the generated files (or, with ``check_only``, list those that are out of date)."""
    stale = []
    for name, path in targets(root).items():
        text = getattr(built, name)
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(path)
        if not check_only:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return stale


def configure(parser: argparse.ArgumentParser) -> None:
    """The ``build-questions`` job's arguments (see :mod:`defection_course.cli`)."""
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if anything is out of date"
    )
    parser.add_argument("--timeout", type=int, default=120, help="seconds per cell (default %(default)s)")
    parser.set_defaults(run=run_job)


def run_job(args: argparse.Namespace) -> int:
    """Build the question files (or, with ``--check``, exit 1 when any is out of date)."""
    stale = write(build(timeout=args.timeout), check_only=args.check)
    for path in stale:
        print(f"{'out of date' if args.check else 'wrote'}: {path}")
    if not stale:
        print("questions.json, keys.json and tests/generated/answer_cases.json are up to date")
    return 1 if (args.check and stale) else 0
