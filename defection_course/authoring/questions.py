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
    setup: |             # runs before every case below (shared names, not an answer)
      before_2016 = annual["year"].between(2002, 2015)
    mistakes:
      end_2015:
        message: that is the total at the end of 2015; the question asks about the end of 2016.
        answer: int(opening + annual.loc[before_2016, "total"].sum())
    probes:              # other slips, whose message must contain `says`
      - answer: annual["total"]
        says: wants a single number
    skip_generic: []     # standard slips and wrong answers of this kind (:mod:`.probes`) that do not fit
    right:               # other right answers, in other idioms: they must pass
      - opening + annual.set_index("year").loc[2002:2016, "total"].sum()
    wrong:               # plausible wrong answers: they must not pass
      - int(opening + annual.loc[annual["year"].between(2002, 2016), "total"].sum()) + 1

A case's ``answer`` is the code a student would write: an expression, or statements that
assign the answer variable; it runs right after the answer cell, in a copy of the notebook's
namespace (after ``setup``). Every question also gets the standard probes of its kind
(:data:`.probes.GENERIC`: the number in quotes, a table as a list ...). Keys not in
:data:`DEFINITION_KEYS` (and, inside, other than ``message``/``answer`` or ``answer``/``says``)
are refused, with the ``.md`` file and line.

``python -m defection_course build-questions`` runs each solution notebook once, with every case
evaluated after its answer cell (see :mod:`.harness`), and writes, for each lesson N, from that
one run:

* ``defection_course/questions/qN.questions.json``: what the checks need at run time (kind,
  messages, hint; no code, no answers);
* ``defection_course/questions/qN.keys.json``: salted hashes of the solution's answer and of each
  mistake's (so checks recognise a mistake by its value, without storing either);
* ``tests/generated/qN.answer_cases.json``: the description of every case, which
  ``tests/checks/test_question_cases.py`` feeds to the checks.

A lesson's three files depend only on its own solution, so ``sync solutions/02_*.md`` re-runs
and rewrites lesson 2's alone. ``--check`` writes nothing and fails when any file is out of date.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import jupytext
import nbformat
import yaml

from ..cells import LESSON, QUESTION_DEFINITION, course_meta, is_answer_cell, is_definition_cell, question_of
from ..checks import keys as K
from ..checks.figures import data_axes, diagnostic_forms, name_keys, series_forms
from ..checks.keys import keys_path
from ..checks.spec import (
    FigureRules,
    Question,
    answer_forms,
    coarse_forms,
    question_from_json,
)
from ..errors import CourseError
from ..paths import course_root
from ..questions import spec_path
from .harness import MIME
from .probes import generic_names, generic_probes, generic_wrong

#: Keys of a definition that are not runtime fields of :class:`Question`.
CASE_KEYS = {"question", "mistakes", "probes", "right", "wrong", "setup", "skip_generic"}
#: The tag of the Markdown cell (solution-only) that holds a question's definition.
DEFINITION_TAG = QUESTION_DEFINITION
_YAML_BLOCK = re.compile(r"```yaml\n(.*?)```", re.S)
#: libyaml's loader where PyYAML has it: the same data and lines as the pure-Python one (a test
#: compares them on every definition), 25 times faster (0.45 -> 0.02 s for the 35 definitions)
YAML_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TUPLE_FIELDS = {"columns", "expected_span", "options"}
_QUESTION_FIELDS = {f.name for f in fields(Question)}
#: Every key a definition may have (anything else is a typo, refused with its line).
DEFINITION_KEYS = CASE_KEYS | (_QUESTION_FIELDS - {"qid", "lesson"})
_FIGURE_KEYS = {f.name for f in fields(FigureRules)}
_ENTRY_KEYS = {"mistakes": {"message", "answer"}, "probes": {"answer", "says"}}


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
    setup: str = ""  #: code run before every case (shared names)
    #: the standard probes of its kind (:mod:`.probes`) that apply: name -> (code, message fragment)
    generic: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: the standard wrong answers of its kind that apply (a number one step off): name -> code
    generic_wrong: dict[str, str] = field(default_factory=dict)
    line: int = 0  #: the line of the ``.md`` where the YAML block starts
    lines: dict[str, int] = field(default_factory=dict)  #: key or case name -> its line in the ``.md``

    def where(self, key: str = "") -> str:
        """``solutions/NN_x.md:LINE (qid)``: where a key or case (or the definition) is written."""
        return f"{_shown(self.source)}:{self.lines.get(key, self.line)} ({self.question.qid})"


def _shown(path: Path) -> str:
    """A path as an author finds it: relative to the course folder when inside it."""
    try:
        return str(path.resolve().relative_to(course_root()))
    except ValueError:
        return str(path)


def solution_sources(root: Path | None = None) -> list[Path]:
    """The MyST sources of the solution notebooks, in lesson order."""
    return sorted(((root or course_root()) / "solutions").glob("[0-9][0-9]_*.md"))


def _fail(where: str, message: str) -> QuestionDefinitionError:
    return QuestionDefinitionError(f"{where}: {message}")


def _validate(meta: dict[str, Any], at: dict[str, int], shown: str) -> None:
    """Refuse unknown keys and wrongly shaped cases, naming the ``.md`` line of the offending key."""

    def line(key: str) -> str:
        return f"{shown}:{at.get(key, at[''])}"

    unknown = sorted(set(meta) - DEFINITION_KEYS)
    if unknown:
        raise _fail(line(unknown[0]), f"unknown key(s) {unknown}; a definition has {sorted(DEFINITION_KEYS)}")
    if not isinstance(meta.get("setup", ""), str):
        raise _fail(line("setup"), "'setup' must be code (a string)")
    for key in ("right", "wrong", "skip_generic"):
        items = meta.get(key) or []
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise _fail(line(key), f"{key!r} must be a list of strings")
    _validate_entries(meta, line)
    figure = meta.get("figure")
    if figure is not None and (not isinstance(figure, dict) or set(figure) - _FIGURE_KEYS):
        extra = sorted(set(figure) - _FIGURE_KEYS) if isinstance(figure, dict) else figure
        where = line(f"figure.{extra[0]}") if isinstance(extra, list) else line("figure")
        raise _fail(where, f"figure: unknown key(s) {extra}; allowed: {sorted(_FIGURE_KEYS)}")


def _validate_entries(meta: dict[str, Any], line: Callable[[str], str]) -> None:
    """Each mistake has exactly a message and an answer; each probe exactly an answer and ``says``."""
    mistakes, probes = meta.get("mistakes") or {}, meta.get("probes") or []
    if not isinstance(mistakes, dict):
        raise _fail(line("mistakes"), "'mistakes' must map a name to its message and answer")
    if not isinstance(probes, list):
        raise _fail(line("probes"), "'probes' must be a list of {answer, says}")
    named = [(f"mistake:{n}", e, _ENTRY_KEYS["mistakes"]) for n, e in mistakes.items()]
    named += [(f"probe:{i}", e, _ENTRY_KEYS["probes"]) for i, e in enumerate(probes)]
    for case, entry, allowed in named:
        if not isinstance(entry, dict) or set(entry) != allowed:
            raise _fail(line(case), f"{case} needs exactly {sorted(allowed)}; found {entry!r:.80}")
        if not all(isinstance(v, str) and v.strip() for v in entry.values()):
            raise _fail(line(case), f"{case}: {sorted(allowed)} must be non-empty strings")


def _question(meta: dict[str, Any], lesson: int, where: str) -> Question:
    spec = {k: v for k, v in meta.items() if k not in CASE_KEYS}
    messages = {name: mistake["message"] for name, mistake in (meta.get("mistakes") or {}).items()}
    try:
        return question_from_json({"qid": meta["question"], "lesson": lesson, "mistakes": messages, **spec})
    except TypeError as exc:
        raise _fail(where, str(exc)) from exc


def _key_lines(text: str, first: int) -> dict[str, int]:
    """The ``.md`` line of each top-level key and each case of a YAML block starting at ``first``."""
    node = yaml.compose(text, Loader=YAML_LOADER)
    out: dict[str, int] = {"": first}
    if not isinstance(node, yaml.MappingNode):
        return out
    prefix = {"mistakes": "mistake", "probes": "probe", "right": "right", "wrong": "wrong"}
    for key, value in node.value:
        out[str(key.value)] = first + key.start_mark.line
        kind = prefix.get(str(key.value))
        if key.value == "figure" and isinstance(value, yaml.MappingNode):
            out.update({f"figure.{k.value}": first + k.start_mark.line for k, _ in value.value})
        if kind and isinstance(value, yaml.MappingNode):
            out.update({f"{kind}:{k.value}": first + k.start_mark.line for k, _ in value.value})
        elif kind and isinstance(value, yaml.SequenceNode):
            out.update({f"{kind}:{i}": first + item.start_mark.line for i, item in enumerate(value.value)})
    return out


def definition_block(cell: Any, where: str = "", first: int = 1) -> dict[str, Any] | None:
    """The YAML definition in a question-definition cell (``None`` for any other cell).

    ``where`` names the ``.md`` file and ``first`` the line of the block's first line, for errors.
    """
    if not is_definition_cell(cell):
        return None
    match = _YAML_BLOCK.search(cell.source)
    if match is None:
        raise _fail(f"{where}:{first}", f"a {DEFINITION_TAG!r} cell has no ```yaml block")
    try:
        data = yaml.load(match.group(1), Loader=YAML_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = first + mark.line if mark is not None else first
        raise _fail(f"{where}:{at}", f"the YAML does not parse: {exc}") from exc
    if not isinstance(data, dict) or "question" not in data:
        raise _fail(f"{where}:{first}", f"a definition must be a mapping with 'question': {data!r:.60}")
    return data


def _block_lines(path: Path) -> list[int]:
    """The line (1-based) of the first YAML line of each definition cell in a MyST source."""
    found, in_definition = [], False
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text.startswith("+++"):
            in_definition = DEFINITION_TAG in text
        elif in_definition and text.startswith("```yaml"):
            found.append(number + 1)
            in_definition = False
    return found


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
    starts = iter(_block_lines(path))
    shown = _shown(path)
    found = []
    for i, cell in enumerate(nb.cells):
        first = next(starts, 0) if is_definition_cell(cell) else 0
        meta = definition_block(cell, shown, first)
        if meta is None:
            continue
        qid = meta["question"]
        at = _key_lines(_YAML_BLOCK.search(cell.source).group(1), first)  # type: ignore[union-attr]
        where = f"{shown}:{first} ({qid})"
        _validate(meta, at, shown)
        if qid not in answers or answers[qid] > i:
            raise _fail(where, "the definition must follow the question's answer cell")
        q = _question(meta, lesson, where)
        if q.kind == "text":
            q = replace(q, prompt=_prompt(nb.cells, answers[qid]))
        if f"{q.variable} = ..." not in nb.cells[answers[qid]].source:
            raise _fail(where, f"the answer cell does not start `{q.variable} = ...`")
        skip = set(meta.get("skip_generic") or [])
        unknown = sorted(skip - generic_names(q.kind))
        if unknown:
            raise _fail(f"{shown}:{at.get('skip_generic', first)} ({qid})", f"no generic probe(s) {unknown}")
        found.append(
            Definition(
                question=q,
                source=path,
                mistakes={n: m["answer"] for n, m in (meta.get("mistakes") or {}).items()},
                probes=[(p["answer"], p["says"]) for p in meta.get("probes") or []],
                right=list(meta.get("right") or []),
                wrong=list(meta.get("wrong") or []),
                setup=meta.get("setup") or "",
                generic=generic_probes(q, skip),
                generic_wrong=generic_wrong(q, skip),
                line=first,
                lines=at,
            )
        )
    undefined = sorted(set(answers) - {d.question.qid for d in found})
    if undefined:
        raise QuestionDefinitionError(f"{shown}: answer cells without a definition: {undefined}")
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
    cases.update({f"generic:{n}": code for n, (code, _) in d.generic.items()})
    cases.update({f"right:{i}": code for i, code in enumerate(d.right)})
    cases.update({f"wrong:{i}": code for i, code in enumerate(d.wrong)})
    cases.update({f"generic-wrong:{n}": code for n, code in d.generic_wrong.items()})
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
                f"_describe_cases({qid!r}, {d.question.variable!r}, {_cases(d)!r}, {d.setup!r})"
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
        raise QuestionDefinitionError(f"{_shown(path)}: no cases were described for {missing}")
    return payloads


# ----------------------------------------------------------------------------- keys and files
def _hashes(qid: str, forms: list[str]) -> list[str]:
    return sorted({K.digest(qid, f) for f in forms})


def key_entry(d: Definition, payload: dict[str, Any]) -> dict[str, Any]:
    """The hashed key of one question, from the described answers of its definition's cases."""
    q = d.question
    where = d.where()
    if payload.get("mutated"):
        raise QuestionDefinitionError(f"{where}: a case changed the solution's own answer in place")
    errors = {n: c["error"] for n, c in payload["cases"].items() if "error" in c}
    if errors:
        first = next(iter(errors))
        raise QuestionDefinitionError(f"{d.where(first)}: these cases raise: {errors}")
    expected = answer_forms(q, payload["expected"])
    if not expected:
        raise QuestionDefinitionError(f"{where}: the solution's answer is not a {q.kind} the checks can read")
    entry: dict[str, Any] = {"kind": q.kind, "expected": _hashes(q.qid, expected), "mistakes": {}}
    for name in sorted(d.mistakes):
        forms = answer_forms(q, payload["cases"][f"mistake:{name}"])
        at = d.where(f"mistake:{name}")
        if not forms:
            raise QuestionDefinitionError(f"{at}: mistake {name!r} gives no answer of kind {q.kind}")
        if set(forms) & set(expected):
            raise QuestionDefinitionError(f"{at}: mistake {name!r} gives the right answer")
        entry["mistakes"][name] = _hashes(q.qid, forms)
        mine = set(entry["mistakes"][name])
        twins = [n for n, h in entry["mistakes"].items() if n != name and set(h) & mine]
        if twins:
            raise QuestionDefinitionError(
                f"{at}: mistakes {name!r} and {twins[0]!r} give the same answer, so only one message "
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


def targets(lesson: int, root: Path | None = None) -> dict[str, Path]:
    """One lesson's three generated files: its questions, its hashed keys, its test cases."""
    root = root or course_root()
    return {
        "questions": spec_path(lesson, root / "defection_course" / "questions"),
        "keys": keys_path(lesson, root / "defection_course" / "questions"),
        "cases": root / "tests" / "generated" / f"q{lesson}.answer_cases.json",
    }


def _all_targets(root: Path | None = None) -> set[Path]:
    """Every generated question file that exists now (of any lesson)."""
    root = root or course_root()
    return {
        *(root / "defection_course" / "questions").glob("q*.questions.json"),
        *(root / "defection_course" / "questions").glob("q*.keys.json"),
        *(root / "tests" / "generated").glob("q*.answer_cases.json"),
    }


def _dump(obj: Any) -> str:
    return json.dumps(obj, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _case_record(d: Definition, payload: dict[str, Any]) -> dict[str, Any]:
    """What the tests feed to the checks for one question: every case's described answer."""
    cases = payload["cases"]
    written = [{"says": says, "answer": cases[f"probe:{i}"]} for i, (_, says) in enumerate(d.probes)]
    generic = [{"says": says, "answer": cases[f"generic:{n}"]} for n, (_, says) in d.generic.items()]
    return {
        "expected": payload["expected"],
        "mistakes": {n: cases[f"mistake:{n}"] for n in sorted(d.mistakes)},
        "probes": written + generic,
        "right": [cases[f"right:{i}"] for i in range(len(d.right))],
        "wrong": [cases[f"wrong:{i}"] for i in range(len(d.wrong))]
        + [cases[f"generic-wrong:{n}"] for n in d.generic_wrong],
    }


def build_lesson(
    path: Path, defs: list[Definition], timeout: int = 120, root: Path | None = None
) -> dict[Path, str]:
    """Run one solution with its questions' cases; return its lesson's files' text, by path."""
    if not defs:
        return {}
    payloads = run_cases(path, defs, timeout)
    questions: dict[str, Any] = {}
    keys: dict[str, Any] = {}
    cases: dict[str, Any] = {}
    for d in defs:
        q, payload = d.question, payloads[d.question.qid]
        questions[q.qid] = runtime_spec(q)
        if q.kind != "text":
            keys[q.qid] = key_entry(d, payload)
        cases[q.qid] = _case_record(d, payload)
    files = targets(defs[0].question.lesson, root)
    return {
        files["questions"]: _dump({"order": [d.question.qid for d in defs], "questions": questions}),
        files["keys"]: _dump(keys),
        files["cases"]: _dump(cases),
    }


def build(
    root: Path | None = None, timeout: int = 120, only: Iterable[Path] | None = None
) -> dict[Path, str]:
    """The generated files' text, by path: of every lesson, or of the ``only`` solution sources.

    Every definition is read (question ids must be unique across the course), but only the chosen
    solutions are executed.
    """
    defs = all_definitions(root)
    chosen = {Path(p).resolve().with_suffix("") for p in only} if only is not None else None
    paths = [p for p in solution_sources(root) if chosen is None or p.resolve().with_suffix("") in chosen]
    # each solution runs in its own kernel: two at a time (a kernel is one busy process)
    with ThreadPoolExecutor(max_workers=max(1, min(2, len(paths)))) as pool:
        built = pool.map(lambda p: build_lesson(p, [d for d in defs if d.source == p], timeout, root), paths)
        out: dict[Path, str] = {}
        for files in built:  # in the order of the paths, whatever order they finish in
            out.update(files)
    return out


def write(
    built: dict[Path, str], root: Path | None = None, check_only: bool = False, complete: bool = False
) -> list[Path]:
    """Write the generated files (or, with ``check_only``, list those that are out of date).

    With ``complete`` (``built`` holds every lesson's files), generated files of lessons that no
    longer exist are stale too, and are removed.
    """
    stale = []
    for path, text in built.items():
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(path)
        if not check_only:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if complete:
        for path in sorted(_all_targets(root) - set(built)):
            stale.append(path)
            if not check_only:
                path.unlink()
    if stale and not check_only:
        from .. import questions as runtime

        runtime.forget()
        K.load_keys.cache_clear()
    return stale


def configure(parser: argparse.ArgumentParser) -> None:
    """The ``build-questions`` job's arguments (see :mod:`defection_course.cli`)."""
    parser.add_argument(
        "solutions", nargs="*", type=Path, help="only these solution sources (default: every lesson)"
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if anything is out of date"
    )
    parser.add_argument("--timeout", type=int, default=120, help="seconds per cell (default %(default)s)")
    parser.set_defaults(run=run_job)


def run_job(args: argparse.Namespace) -> int:
    """Build the question files (or, with ``--check``, exit 1 when any is out of date)."""
    only = args.solutions or None
    built = build(timeout=args.timeout, only=only)
    stale = write(built, check_only=args.check, complete=only is None)
    for path in stale:
        print(f"{'out of date' if args.check else 'wrote'}: {path}")
    if not stale:
        print("the question files (qN.questions.json, qN.keys.json, qN.answer_cases.json) are up to date")
    return 1 if (args.check and stale) else 0
