"""Cells that may search for answers instead of computing them: flagged for the teacher, never marked down.

The grader reads each code cell of a submission as Python (``ast``), not line by line, so text
inside a string (a written answer with a line starting ``check(``) is never taken for code.

* :func:`split_check_calls` finds the top-level ``check(...)``/``check_all(...)`` statements of a
  cell: they only print in the notebook, so the grader drops them (the original checks run
  outside the kernel).
* :class:`Searcher` goes through a notebook's cells in order and reports, with the cell and the
  question where it can:

  - a call of the course's check functions (``check``, ``check_all``, ``result_for``,
    ``all_results``, ``evaluate``, ``evaluate_in``, or anything of ``defection_course.checks``
    under any alias) other than a top-level ``check("qN_M", answer_variable)`` statement: in a
    loop or comprehension, assigned (``r = check(...)``), on a typed value, or imported under
    another name;
  - reading the answer keys (``keys.json``, ``load_keys``, ``digest``, the ``keys`` module) or
    hashing candidates (``hashlib``);
  - an answer cell that assigns a bare literal (``arrived_by_2016 = 30212``) to a question whose
    answer is computed (numbers, tables, lists, figures): the value may have been found offline.

A flag is a note for the teacher with its reason; the mark is the one the checks give.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

#: every flag note starts with this (the review files list them for the teacher)
FLAG = "flagged for the teacher"
CHECK_STATEMENTS = frozenset({"check", "check_all"})
#: the course's functions that judge an answer (names as the checks package exports them)
CHECK_FUNCTIONS = frozenset({"check", "check_all", "result_for", "all_results", "evaluate", "evaluate_in"})
#: names the setup cell of every exercise imports (``from defection_course.checks import check, check_all``)
SETUP_IMPORTS = frozenset({"check", "check_all"})
KEY_NAMES = frozenset(
    {"load_keys", "digest", "number_forms", "sequence_form", "table_form", "KEYS_DIR", "keys_path", "SALT"}
)
CHECKS_MODULE = "defection_course.checks"
#: question kinds whose answers are computed from the data (a typed literal is worth a look)
COMPUTED_KINDS = frozenset({"number", "table", "sequence", "figure"})
_MAGIC = re.compile(r"^\s*[%!]")


def parse(source: str) -> ast.Module | None:
    """A cell's code as a syntax tree (IPython magics and shell lines blanked), or None."""
    lines = ["" if _MAGIC.match(line) else line for line in source.splitlines()]
    try:
        return ast.parse("\n".join(lines))
    except (SyntaxError, ValueError):
        return None


def _call_name(node: ast.Call) -> str | None:
    return node.func.id if isinstance(node.func, ast.Name) else None


def split_check_calls(source: str) -> tuple[str, int, list[ast.Call]]:
    """A cell without its top-level ``check(...)``/``check_all(...)`` statements.

    Returns the remaining source, how many lines were dropped, and the dropped calls. Only
    statements of the cell itself count: a call inside a loop, a function or a string stays.
    """
    tree = parse(source)
    if tree is None:
        return source, 0, []
    lines = source.splitlines()
    drop: set[int] = set()
    calls: list[ast.Call] = []
    for stmt in tree.body:
        if (
            isinstance(stmt, ast.Expr)
            and isinstance(stmt.value, ast.Call)
            and _call_name(stmt.value) in CHECK_STATEMENTS
        ):
            calls.append(stmt.value)
            drop.update(range(stmt.lineno - 1, (stmt.end_lineno or stmt.lineno)))
    if not drop:
        return source, 0, []
    kept = [line for i, line in enumerate(lines) if i not in drop]
    # a statement sharing a line with a dropped one (``x = 1; check(...)``) is rare: keep the cell runnable
    remaining = "\n".join(kept)
    if parse(remaining) is None:
        remaining = "\n".join(
            ("pass  # check() call dropped by the grader" if i in drop else line)
            for i, line in enumerate(lines)
        )
    return remaining, len(drop), calls


#: names whose redefinition in a submission is worth a note (the grader uses its own copies anyway)
CHECKING_NAMES = frozenset({"check", "check_all", "describe", "evaluate"})


def redefines_checks(source: str) -> bool | None:
    """Whether a cell defines or assigns the checking code (None when the cell is not Python).

    Read from the code, so a written answer that mentions ``check = ...`` in its text does not count.
    """
    tree = parse(source)
    if tree is None:
        return None
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in CHECKING_NAMES:
            return True
        targets = node.targets if isinstance(node, ast.Assign) else []
        for t in targets:
            if isinstance(t, ast.Name) and t.id in CHECKING_NAMES - {"evaluate"}:
                return True
            if isinstance(t, ast.Attribute) and ("checks" in _dotted(t.value) or t.attr in CHECKING_NAMES):
                return True
    return False


def _is_literal(node: ast.AST) -> bool:
    """A value typed in, not computed: a number, text, or a list/tuple/set/dict of them."""
    if isinstance(node, ast.Constant):
        return node.value is not Ellipsis and node.value is not None
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return _is_literal(node.operand)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return bool(node.elts) and all(_is_literal(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return bool(node.values) and all(v is not None and _is_literal(v) for v in node.values)
    if isinstance(node, ast.Call) and _dotted(node.func) in ("pd.DataFrame", "pandas.DataFrame", "np.array"):
        return bool(node.args) and all(_is_literal(a) for a in node.args) and not node.keywords
    return False


def _dotted(node: ast.AST) -> str:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


@dataclass
class Searcher:
    """Reads a notebook's code cells in order; collects what may be a search for answers."""

    variables: dict[str, str]  #: question id -> answer variable
    kinds: dict[str, str] = field(default_factory=dict)  #: question id -> kind
    functions: set[str] = field(
        default_factory=lambda: {"check", "check_all", "result_for"}
    )  #: bound to them
    modules: set[str] = field(default_factory=set)  #: names bound to the checks package or a module of it
    notes: list[str] = field(default_factory=list)
    by_question: dict[str, list[str]] = field(default_factory=dict)

    def _flag(self, where: str, reason: str, qid: str | None = None) -> None:
        note = f"{where} {FLAG}: {reason} (a flag, not a mark: the answer was checked as usual)"
        if note not in self.notes:
            self.notes.append(note)
        if qid:
            self.by_question.setdefault(qid, []).append(f"{where}: {reason}")

    def _aliases(self, tree: ast.AST) -> list[str]:
        """Record names bound to the checks; return the imports that rename or reach into them."""
        found: list[str] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    if a.name == CHECKS_MODULE or a.name.startswith(CHECKS_MODULE + "."):
                        self.modules.add(a.asname or a.name)
                        found.append(f"import {a.name}" + (f" as {a.asname}" if a.asname else ""))
                    elif a.name == "defection_course" and a.asname:
                        self.modules.add(a.asname + ".checks")
            elif isinstance(node, ast.ImportFrom) and node.module:
                for a in node.names:
                    if node.module == "defection_course" and a.name == "checks":
                        self.modules.add(a.asname or a.name)
                        found.append(
                            f"from defection_course import checks{f' as {a.asname}' if a.asname else ''}"
                        )
                    elif node.module.startswith(CHECKS_MODULE):
                        if a.name in CHECK_FUNCTIONS:
                            self.functions.add(a.asname or a.name)
                            if (a.asname and a.asname != a.name) or a.name not in SETUP_IMPORTS:
                                found.append(
                                    f"from {node.module} import {a.name}"
                                    + (f" as {a.asname}" if a.asname else "")
                                )
                        elif a.name in ("keys", "spec", "runner", "describe"):
                            self.modules.add(a.asname or a.name)
                            found.append(f"from {node.module} import {a.name}")
                        elif a.name in KEY_NAMES:
                            found.append(f"from {node.module} import {a.name}")
            elif (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Name)
                and node.value.id in self.functions  # c = check
            ):
                for t in node.targets:
                    if isinstance(t, ast.Name):
                        self.functions.add(t.id)
                        found.append(f"{t.id} = {node.value.id}")
        return found

    def _is_check_function(self, func: ast.AST) -> bool:
        if isinstance(func, ast.Name):
            return func.id in self.functions
        dotted = _dotted(func)
        head = dotted.rsplit(".", 1)[0] if "." in dotted else ""
        return bool(head) and (
            head in self.modules
            or head.startswith(CHECKS_MODULE)
            or any(head.startswith(m + ".") for m in self.modules)
        )

    def cell(self, where: str, source: str, qid: str | None = None, answer_cell: bool = False) -> None:
        """Read one code cell (``where`` names it in notes, as the student numbers cells)."""
        tree = parse(source)
        if tree is None:
            if re.search(r"keys\.json|hashlib", source):
                self._flag(where, "it mentions the answer keys or hashing (keys.json, hashlib)", qid)
            return
        renamed = self._aliases(tree)
        if renamed:
            self._flag(
                where, f"it imports or renames the course's check functions ({'; '.join(renamed[:3])})", qid
            )
        benign = {
            id(stmt.value)
            for stmt in tree.body
            if isinstance(stmt, ast.Expr)
            and isinstance(stmt.value, ast.Call)
            and isinstance(stmt.value.func, ast.Name)
            and stmt.value.func.id in CHECK_STATEMENTS
            and self._plain_check(stmt.value)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and self._is_check_function(node.func) and id(node) not in benign:
                target = self._question_of_call(node)
                self._flag(
                    where,
                    f"it calls {_dotted(node.func) or 'a check function'}(...) "
                    + (
                        "in a loop, a function or an expression"
                        if self._nested(tree, node)
                        else "on a typed value"
                    )
                    + " (it may be trying answers until one passes)",
                    target or qid,
                )
        if self._reads_keys(tree):
            self._flag(
                where, "it reads the answer keys (questions/keys.json) or hashes candidate answers", qid
            )
        if answer_cell and qid and self.kinds.get(qid) in COMPUTED_KINDS:
            literal = self._literal_answer(tree, self.variables.get(qid, ""))
            if literal:
                self._flag(
                    where,
                    f"the answer cell assigns a typed-in value ({literal[:40]}) instead of computing it "
                    "(it may have been found outside the notebook)",
                    qid,
                )

    def _plain_check(self, call: ast.Call) -> bool:
        """``check("qN_M", answer_variable)`` or ``check_all(...)``: the call the exercise itself makes."""
        if _call_name(call) == "check_all":
            return True
        if len(call.args) != 2 or call.keywords:
            return False
        qid, answer = call.args
        return (
            isinstance(qid, ast.Constant)
            and isinstance(qid.value, str)
            and isinstance(answer, ast.Name)
            and self.variables.get(qid.value.strip().lower()) == answer.id
        )

    def _question_of_call(self, call: ast.Call) -> str | None:
        if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
            q = call.args[0].value.strip().lower()
            return q if q in self.variables else None
        return None

    @staticmethod
    def _nested(tree: ast.Module, node: ast.AST) -> bool:
        top = {id(s.value) for s in tree.body if isinstance(s, ast.Expr)}
        return id(node) not in top

    def _reads_keys(self, tree: ast.AST) -> bool:
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and "keys.json" in node.value:
                return True
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + (
                    [node.module] if isinstance(node, ast.ImportFrom) and node.module else []
                )
                if any(n == "hashlib" or n.endswith(".keys") or n in KEY_NAMES for n in names if n):
                    return True
            if isinstance(node, ast.Attribute) and node.attr in KEY_NAMES:
                return True
            if isinstance(node, ast.Name) and node.id in ("load_keys", "hashlib"):
                return True
        return False

    @staticmethod
    def _literal_answer(tree: ast.Module, variable: str) -> str | None:
        for stmt in tree.body:
            if (
                isinstance(stmt, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == variable for t in stmt.targets)
                and _is_literal(stmt.value)
            ):
                return ast.unparse(stmt.value)
        return None


def search(
    cells: Iterable[tuple[str, str, str | None, bool]], variables: dict[str, str], kinds: dict[str, str]
) -> Searcher:
    """Read (where, source, question, is-answer-cell) for every code cell, in order."""
    s = Searcher(variables, kinds)
    for where, source, qid, answer in cells:
        s.cell(where, source, qid, answer)
    return s
