"""The standard slips every question of a kind gets, without writing them in its definition.

A number question always gets the answer in quotes, in a list, printed instead of assigned, as
NaN, and (if it is a percentage) as a fraction and a hundred times too large, and (if it has
decimals) rounded to fewer; a table gets its last column alone, its rows as a list, its
dictionary and (if its number of rows is given) one row short; and so on (:data:`GENERIC`).
Each is a probe like those written in a definition: the code a student would write (``{v}`` is
the answer variable) and a fragment the check's message must contain. A number is also one step
of its rounding off, up and down: plausible wrong answers that must not pass
(:data:`GENERIC_WRONG`). A definition lists the ones that do not fit it in ``skip_generic``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..checks.spec import Question


def _always(q: Question) -> bool:
    return True


@dataclass(frozen=True)
class Generic:
    """One standard slip: its name, the code (a template) and what the message must say."""

    name: str
    code: str  #: ``{v}`` the answer variable, ``{fraction_decimals}`` its decimals + 2, ``{step}``
    says: str  #: ``{decimals}``, ``{min_words}``, ``{rows}``, ``{asked}`` of the question ("" if wrong)
    applies: Callable[[Question], bool] = _always

    def render(self, q: Question) -> tuple[str, str]:
        """The probe's code and message fragment for one question."""
        values = {
            "v": q.variable,
            "decimals": q.decimals,
            "fraction_decimals": q.decimals + 2,
            "min_words": q.min_words,
            "rows": q.expected_rows,
            # what a table one row short is told it should cover: the span of years, else the rows
            "asked": "-".join(map(str, q.expected_span)) if q.expected_span else q.expected_rows,
            "step": f"{10**-q.decimals:.{q.decimals}f}",
        }
        return self.code.format(**values), self.says.format(**values)


GENERIC: dict[str, tuple[Generic, ...]] = {
    "number": (
        Generic("quoted", "str({v})", "in quotes"),
        Generic("listed", "[{v}]", "a single number"),
        Generic("printed", "print({v})", "your answer is None"),
        Generic("nan", 'float("nan")', "NaN"),
        Generic(
            "fraction", "round({v} / 100, {fraction_decimals})", "you gave a fraction", lambda q: q.percent
        ),
        Generic("times_100", "{v} * 100", "cannot be above 100", lambda q: q.percent),
        Generic(
            "fewer_decimals",
            "round({v})",
            "round to {decimals} decimal place(s), not fewer",
            lambda q: q.decimals > 0,
        ),
    ),
    "table": (
        Generic("last_column", "{v}[{v}.columns[-1]]", "you gave a pandas Series"),
        Generic("as_list", "{v}.values.tolist()", "you gave a list of"),
        Generic("as_dict", "{v}.to_dict()", "you gave a dictionary"),
        Generic(
            "one_row_short", "{v}.iloc[:-1]", "the question asks for {asked}", lambda q: bool(q.expected_rows)
        ),
        Generic("printed", "print({v})", "your answer is None"),
    ),
    "figure": (
        Generic("a_number", "42", "wants the plot itself"),
        Generic("printed", "print({v})", "your answer is None"),
    ),
    "choice": (
        Generic("a_number", "2", "answer with one of these texts"),
        Generic("listed", "[{v}]", "answer with one of these texts"),
        Generic("not_a_choice", '{v} + " (my choice)"', "is not one of the choices"),
    ),
    "text": (
        Generic("a_number", "42", "write your answer as text"),
        Generic("too_short", '"Yes, it is right."', "write at least {min_words}"),
    ),
}


GENERIC_WRONG: dict[str, tuple[Generic, ...]] = {
    "number": (
        Generic("one_step_up", "{v} + 1", "", lambda q: q.decimals == 0),
        Generic("one_step_down", "{v} - 1", "", lambda q: q.decimals == 0),
        Generic("one_step_up", "round({v} + {step}, {decimals})", "", lambda q: q.decimals > 0),
        Generic("one_step_down", "round({v} - {step}, {decimals})", "", lambda q: q.decimals > 0),
    ),
}


def generic_wrong(q: Question, skip: frozenset[str] | set[str] = frozenset()) -> dict[str, str]:
    """The standard wrong answers of a question's kind, by name: ``{name: code}``."""
    return {
        g.name: g.render(q)[0] for g in GENERIC_WRONG.get(q.kind, ()) if g.applies(q) and g.name not in skip
    }


def generic_probes(q: Question, skip: frozenset[str] | set[str] = frozenset()) -> dict[str, tuple[str, str]]:
    """The standard probes of a question's kind, by name: ``{name: (code, says)}``."""
    return {g.name: g.render(q) for g in GENERIC.get(q.kind, ()) if g.applies(q) and g.name not in skip}


def generic_names(kind: str) -> set[str]:
    """The names a definition may list in ``skip_generic``."""
    return {g.name for g in GENERIC.get(kind, ()) + GENERIC_WRONG.get(kind, ())}
