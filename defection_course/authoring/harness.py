"""Runs inside a solution notebook's kernel while the question keys are built.

After each answer cell, the key builder inserts a cell calling :func:`describe_cases`. It
describes the solution's answer and then every case written in the question's definition
(a mistake a student would make, a probe, an alternative right answer): each case's code
runs in a copy of the notebook's namespace, after the question's shared ``setup`` code (if
any), so the solution's own variables stay as they were. The descriptions are displayed as
one JSON output the builder reads back.
"""

from __future__ import annotations

import json
from typing import Any

MIME = "application/x-defection-course-cases+json"


def _answer(code: str, variable: str, namespace: dict[str, Any], setup: str = "") -> Any:
    """The value a case gives: an expression's value, or the variable its statements assign."""
    scope = dict(namespace)
    if setup:
        exec(compile(setup, "<setup>", "exec"), scope)
    try:
        compiled = compile(code, "<case>", "eval")
    except SyntaxError:
        exec(compile(code, "<case>", "exec"), scope)
        return scope.get(variable, ...)
    return eval(compiled, scope)


def describe_cases(qid: str, variable: str, cases: dict[str, str], setup: str = "") -> None:
    """Describe the answer variable and each case; display the result as JSON."""
    import matplotlib.pyplot as plt
    from IPython import get_ipython
    from IPython.display import display

    from ..checks.describe import describe

    namespace = get_ipython().user_ns
    expected = describe(namespace.get(variable, ...))
    before = json.dumps(expected, sort_keys=True, default=str)
    described: dict[str, Any] = {}
    for name, code in cases.items():
        plt.close("all")
        try:
            described[name] = describe(_answer(code, variable, namespace, setup))
        except Exception as exc:  # reported by the builder with the case's name
            described[name] = {"error": f"{type(exc).__name__}: {exc}"}
    plt.close("all")
    after = json.dumps(describe(namespace.get(variable, ...)), sort_keys=True, default=str)
    payload = {"qid": qid, "expected": expected, "cases": described, "mutated": before != after}
    display({MIME: json.loads(json.dumps(payload, default=str))}, raw=True)
