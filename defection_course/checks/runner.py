"""``check()`` and ``check_all()``: the functions learners call in exercise notebooks."""

from __future__ import annotations

import sys
from typing import Any

from ..errors import CourseError
from .describe import describe
from .spec import CANNOT_CHECK, NOT_ANSWERED, NOT_YET, PASSED, RECORDED, Question, Result, evaluate

ICONS = {
    PASSED: "✔ PASSED",
    NOT_YET: "✘ NOT YET",
    NOT_ANSWERED: "… NOT ANSWERED",
    CANNOT_CHECK: "? CANNOT CHECK",
    RECORDED: "✎ RECORDED",
}
SCOPE = (
    "'Passed' means the checks in this notebook passed; a teacher may mark with further "
    "checks, and written answers are marked by hand."
)


def _question(qid: Any) -> Question | Result:
    from ..questions import QUESTIONS

    if not isinstance(qid, str):
        return Result(
            str(qid),
            CANNOT_CHECK,
            "the first argument of check() is the question id in "
            f'quotes, e.g. check("q1_1", answer); got {type(qid).__name__}.',
        )
    q = QUESTIONS.get(qid.strip().lower())
    if q is None:
        lesson = [k for k in QUESTIONS if k.split("_")[0] == qid.strip().lower().split("_")[0]]
        known = ", ".join(lesson or sorted(QUESTIONS)[:8])
        return Result(
            qid, CANNOT_CHECK, f"there is no question {qid!r}. Check the spelling; questions here: {known}."
        )
    return q


def format_result(r: Result) -> str:
    """The text shown under a check cell."""
    text = f"{ICONS[r.status]}  {r.qid}: {r.message}"
    if r.note:
        text += f"\n   Note: {r.note}"
    if r.hint and r.status in (NOT_YET, CANNOT_CHECK):
        text += f"\n   Hint: {r.hint}"
    return text


def result_for(qid: Any, answer: Any) -> Result:
    """Evaluate an answer without printing (used by tests and the grader)."""
    q = _question(qid)
    if isinstance(q, Result):
        return q
    try:
        desc = describe(answer)
    except Exception as exc:  # a learner's object whose attributes fail: say so, don't crash
        return Result(
            q.qid,
            CANNOT_CHECK,
            f"could not read your answer ({type(exc).__name__}); give a number, text, list, table or figure.",
        )
    return evaluate(q, desc)


def check(qid: Any, answer: Any = ...) -> None:
    """Check one answer and print specific feedback (never raises for a wrong answer)."""
    print(format_result(result_for(qid, answer)))


def _namespace() -> dict[str, Any]:
    try:
        from IPython import get_ipython

        shell = get_ipython()
        if shell is not None:
            return shell.user_ns
    except ImportError:  # pragma: no cover
        pass
    return vars(sys.modules["__main__"])


def all_results(lesson: int, namespace: dict[str, Any] | None = None) -> list[Result]:
    """Every check of a lesson, evaluated on the variables of a namespace (no printing)."""
    from ..questions import questions_for

    ns = namespace if namespace is not None else _namespace()
    return [evaluate_in(q, ns) for q in questions_for(int(lesson))]


def check_all(lesson: int | None = None, namespace: dict[str, Any] | None = None) -> None:
    """Re-run every check of a lesson on the current variables and print a summary.

    Run it last, after restarting the kernel and running all cells: it catches answers
    that a later cell overwrote. The lesson defaults to the notebook's ``LESSON`` variable.
    """
    ns = namespace if namespace is not None else _namespace()
    if lesson is None:
        lesson = ns.get("LESSON")
    if not isinstance(lesson, int):
        raise CourseError("check_all() needs the lesson number, e.g. check_all(1).")
    results = all_results(lesson, ns)
    counts = {s: sum(r.status == s for r in results) for s in ICONS}
    print(f"Lesson {lesson}: {len(results)} questions")
    for r in results:
        print("  " + format_result(r).replace("\n", "\n  "))
    parts = [
        f"{counts[PASSED]} passed",
        f"{counts[RECORDED]} written answer(s) recorded",
        f"{counts[NOT_YET]} not yet right",
        f"{counts[NOT_ANSWERED]} not answered",
        f"{counts[CANNOT_CHECK]} could not be checked",
    ]
    print("Summary: " + ", ".join(parts) + ".")
    print(SCOPE)


def evaluate_in(q: Question, ns: dict[str, Any]) -> Result:
    """Check a question against the variable of that name in a namespace."""
    if q.variable not in ns:
        return Result(
            q.qid,
            NOT_ANSWERED,
            f"not answered yet: the variable `{q.variable}` does not "
            "exist. Run the answer cell (and the cells above it) first.",
        )
    return result_for(q.qid, ns[q.variable])
