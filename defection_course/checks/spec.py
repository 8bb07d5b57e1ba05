"""Question specifications and the evaluation of a described answer against hashed keys.

A :class:`Question` says what kind of answer is expected (a number, a table, a figure, a
choice, a short written answer), which common mistakes to recognise and what to say about
each. :func:`evaluate` compares a description (see :mod:`describe`) with the hashed keys
and returns a :class:`Result` whose message says, in words, what is wrong, without ever
revealing the expected answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from . import keys as K

PASSED, NOT_YET, NOT_ANSWERED, CANNOT_CHECK, RECORDED = (
    "passed",
    "not yet",
    "not answered",
    "cannot check",
    "recorded",
)


@dataclass(frozen=True)
class Result:
    """The outcome of one check."""

    qid: str
    status: str
    message: str
    hint: str = ""

    @property
    def passed(self) -> bool:
        return self.status == PASSED

    @property
    def answered(self) -> bool:
        return self.status in (PASSED, NOT_YET, RECORDED)


@dataclass(frozen=True)
class FigureRules:
    """What a plotted answer must show."""

    kind: str = "any"  #: "line", "bar" or "any"
    min_series: int = 1  #: lines or bar groups
    xlabel: bool = True
    ylabel: bool = True
    title: bool = True
    distinct_styles: bool = False  #: several lines must differ by marker or line style
    data_decimals: int | None = None  #: if set, the plotted values must match the key


@dataclass(frozen=True)
class Question:
    """One exercise question."""

    qid: str
    lesson: int
    variable: str
    title: str
    claim: str
    kind: str  #: number | table | figure | choice | sequence | text
    hint: str = ""
    unit: str = ""  #: e.g. "%" or "people", used in messages
    decimals: int = 0
    percent: bool = False  #: a share in percent (0-100): spot fractions
    thousands: bool = True  #: write 12,345 (False for years)
    mistakes: dict[str, str] = field(default_factory=dict)
    columns: tuple[str, ...] = ()  #: table: required columns (the order does not matter)
    key_column: str | None = None  #: table: the column that identifies rows (e.g. year)
    expected_rows: int | None = None  #: table: number of rows asked for
    expected_span: tuple[int, int] | None = None  #: table: first and last value of key_column asked for
    options: tuple[str, ...] = ()  #: choice: the allowed answers
    expected_items: int | None = None  #: sequence: how many items are asked for
    figure: FigureRules | None = None
    min_words: int = 0  #: text: shortest acceptable answer
    points: int = 1
    rubric: str = ""  #: text: marking guidance shown to teachers


def _keys(q: Question) -> dict[str, Any]:
    entry = K.load_keys().get(q.qid)
    if entry is None:
        raise KeyError(f"no answer key for {q.qid}: run tools/make_answer_keys.py")
    return entry


def _matches(q: Question, forms: list[str], hashes: list[str]) -> bool:
    wanted = set(hashes)
    return any(K.digest(q.qid, f) in wanted for f in forms)


def _mistake(q: Question, forms: list[str]) -> str | None:
    for name, hashes in _keys(q).get("mistakes", {}).items():
        if _matches(q, forms, hashes):
            return q.mistakes.get(name, "This is a common wrong answer: re-read the question.")
    return None


def _type_name(desc: dict[str, Any]) -> str:
    t = desc.get("type")
    return {
        "string": "text",
        "sequence": f"a list of {desc.get('length', '?')} items",
        "dataframe": "a table (DataFrame)",
        "series": "a pandas Series",
        "figure": "a figure",
        "dict": "a dictionary",
        "bool": "True/False",
        "other": f"a {desc.get('python_type', 'value')}",
    }.get(str(t), str(t))


def not_answered(q: Question) -> Result:
    return Result(
        q.qid,
        NOT_ANSWERED,
        f"not answered yet: replace the ... after `{q.variable} =` with your answer, "
        "run that cell, then run this check again.",
    )


# ----------------------------------------------------------------------------- numbers
def _number_value(q: Question, desc: dict[str, Any]) -> tuple[float | None, Result | None]:
    t = desc.get("type")
    if t == "number":
        if desc.get("nan"):
            return None, Result(
                q.qid,
                NOT_YET,
                "your answer is NaN ('not a number'): usually a "
                "calculation touched a missing value, for example a year that is "
                "not in the table.",
                q.hint,
            )
        return float(desc["value"]), None
    if t == "string":
        text = str(desc["value"]).strip().replace(",", "").rstrip("%").strip()
        try:
            float(text)
            return None, Result(
                q.qid,
                CANNOT_CHECK,
                f"you gave text ({desc['value']!r}, in quotes). "
                "Give the number itself, without quotes or a % sign.",
            )
        except ValueError:
            return None, Result(
                q.qid,
                CANNOT_CHECK,
                "you gave text; this question wants a number "
                f"{'(a percentage, e.g. 12.5)' if q.percent else '(e.g. 1234)'}.",
            )
    if t == "series" and desc.get("length") == 1 and desc["values"][0] is not None:
        return None, Result(
            q.qid,
            CANNOT_CHECK,
            "you gave a pandas Series with one value; take the "
            "number out of it, e.g. with .iloc[0] or float(...).",
        )
    if t in ("sequence", "series", "dataframe"):
        return None, Result(
            q.qid,
            CANNOT_CHECK,
            f"you gave {_type_name(desc)}; this question wants "
            "a single number. Select or add up the values you need.",
        )
    return None, Result(
        q.qid, CANNOT_CHECK, f"you gave {_type_name(desc)}; this question wants a single number."
    )


def _evaluate_number(q: Question, desc: dict[str, Any]) -> Result:
    value, problem = _number_value(q, desc)
    if problem is not None:
        return problem
    assert value is not None
    if math.isinf(value):
        return Result(q.qid, NOT_YET, "your answer is infinite: did you divide by zero?", q.hint)
    # Whole numbers (counts, years) must match exactly; decimals may be off by one in the last place.
    forms = K.number_forms(value, q.decimals, 0 if q.decimals == 0 else 1)
    entry = _keys(q)
    shown = f"{value:,.{q.decimals}f}" if q.thousands else f"{value:.{q.decimals}f}"
    if _matches(q, forms, entry["expected"]):
        return Result(q.qid, PASSED, f"{shown}{q.unit} is right.")
    found = _mistake(q, forms)
    if found:
        return Result(q.qid, NOT_YET, found, q.hint)
    if (
        q.percent
        and 0 < abs(value) <= 1
        and _matches(q, K.number_forms(value * 100, q.decimals), entry["expected"])
    ):
        return Result(
            q.qid,
            NOT_YET,
            "you gave a fraction (between 0 and 1); the question asks for a "
            "percentage (between 0 and 100): multiply by 100.",
        )
    if q.percent and abs(value) > 100:
        return Result(
            q.qid,
            NOT_YET,
            "a share in percent cannot be above 100: did you divide the "
            "wrong way round, or multiply by 100 twice?",
            q.hint,
        )
    if (
        q.decimals > 0
        and round(value, q.decimals - 1) == value
        and _matches(q, K.number_forms(value, q.decimals - 1, 0), entry.get("expected_coarse", []))
    ):
        return Result(
            q.qid, NOT_YET, f"close, but round to {q.decimals} decimal place(s), not fewer.", q.hint
        )
    return Result(q.qid, NOT_YET, f"{shown}{q.unit} is not the expected value.", q.hint)


# ----------------------------------------------------------------------------- choices and lists
def _evaluate_choice(q: Question, desc: dict[str, Any]) -> Result:
    if desc.get("type") != "string":
        return Result(
            q.qid,
            CANNOT_CHECK,
            f"you gave {_type_name(desc)}; answer with one of these "
            f"texts, in quotes: {', '.join(repr(o) for o in q.options)}.",
        )
    given = K.text_form(desc["value"])
    if q.options and given not in [K.text_form(o) for o in q.options]:
        return Result(
            q.qid,
            CANNOT_CHECK,
            f"{desc['value']!r} is not one of the choices: {', '.join(repr(o) for o in q.options)}.",
        )
    if _matches(q, [given], _keys(q)["expected"]):
        return Result(q.qid, PASSED, f"{desc['value']!r} is right.")
    found = _mistake(q, [given])
    return Result(q.qid, NOT_YET, found or f"{desc['value']!r} is not the best answer.", q.hint)


def _evaluate_sequence(q: Question, desc: dict[str, Any]) -> Result:
    t = desc.get("type")
    if t == "series":
        items = desc["values"]
    elif t == "sequence":
        items = desc["items"]
    elif t == "string":
        return Result(
            q.qid, CANNOT_CHECK, "you gave a single text; this question wants a list, e.g. ['a', 'b']."
        )
    else:
        return Result(q.qid, CANNOT_CHECK, f"you gave {_type_name(desc)}; this question wants a list.")
    if q.expected_items is not None and len(items) != q.expected_items:
        return Result(
            q.qid,
            NOT_YET,
            f"your list has {len(items)} item(s); the question asks for {q.expected_items}.",
            q.hint,
        )
    form = K.sequence_form(items)
    if _matches(q, [form], _keys(q)["expected"]):
        return Result(q.qid, PASSED, "your list is right.")
    found = _mistake(q, [form])
    return Result(q.qid, NOT_YET, found or "some items in your list are not the expected ones.", q.hint)


# ----------------------------------------------------------------------------- tables
def _evaluate_table(q: Question, desc: dict[str, Any]) -> Result:
    t = desc.get("type")
    if t == "series":
        return Result(
            q.qid,
            CANNOT_CHECK,
            "you gave a pandas Series; this question wants a table "
            "(DataFrame). Use double brackets, df[[...]], or .reset_index().",
        )
    if t != "dataframe":
        return Result(
            q.qid,
            CANNOT_CHECK,
            f"you gave {_type_name(desc)}; this question wants a table (a pandas DataFrame).",
        )
    columns = list(desc["columns"])
    index_name = desc.get("index_name")
    rows = desc["data"]
    if q.key_column and q.key_column not in columns and index_name == q.key_column:
        columns = [q.key_column] + columns  # accept the key as the index, too
        rows = [[i] + list(r) for i, r in zip(desc["index"], rows)]
    missing = [c for c in q.columns if c not in columns]
    if missing:
        return Result(
            q.qid,
            NOT_YET,
            f"your table has no column(s) {missing}; it has {columns}. "
            "Check the spelling, or rename columns with .rename(columns={...}).",
            q.hint,
        )
    n = desc["shape"][0]
    if q.key_column and q.expected_span:
        col = columns.index(q.key_column)
        keys_ = [r[col] for r in rows if isinstance(r[col], (int, float))]
        lo, hi = q.expected_span
        if keys_ and (min(keys_) != lo or max(keys_) != hi):
            return Result(
                q.qid,
                NOT_YET,
                f"your table covers {q.key_column} {min(keys_):g}-{max(keys_):g}; "
                f"the question asks for {lo}-{hi}.",
                q.hint,
            )
    if q.expected_rows is not None and n != q.expected_rows:
        return Result(
            q.qid,
            NOT_YET,
            f"your table has {n} rows; the question asks for {q.expected_rows}. Check your filter.",
            q.hint,
        )
    picked = [[r[columns.index(c)] for c in q.columns] for r in rows]
    form = K.table_form(picked, q.decimals)
    if _matches(q, [form], _keys(q)["expected"]):
        return Result(q.qid, PASSED, f"your table ({n} rows, columns {list(q.columns)}) is right.")
    found = _mistake(q, [form])
    return Result(
        q.qid,
        NOT_YET,
        found or "the rows and columns are right, but some values differ from the expected ones.",
        q.hint,
    )


# ----------------------------------------------------------------------------- figures
def _plotted_values(ax: dict[str, Any]) -> list[float]:
    vals: list[float] = []
    for line in ax["lines"]:
        vals += [v for v in line["y"] if isinstance(v, (int, float))]
    for bars in ax["bars"]:
        key = "width" if bars.get("orientation") == "horizontal" else "height"
        vals += [v for v in bars[key] if isinstance(v, (int, float))]
    return vals


def _evaluate_figure(q: Question, desc: dict[str, Any]) -> Result:
    rules = q.figure or FigureRules()
    if desc.get("type") != "figure":
        return Result(
            q.qid,
            CANNOT_CHECK,
            f"you gave {_type_name(desc)}; this question wants the "
            "plot itself: assign what seaborn returns, e.g. ax = sns.lineplot(...).",
        )
    axes = [a for a in desc["axes"] if a["lines"] or a["bars"] or a["scatter"]]
    if not axes:
        return Result(q.qid, NOT_YET, "your figure is empty: nothing was plotted on it.", q.hint)
    ax = axes[0]
    n_lines = len([l for l in ax["lines"] if len(l["x"]) > 1])
    n_bars = len(ax["bars"])
    if rules.kind == "line" and n_lines == 0:
        return Result(
            q.qid,
            NOT_YET,
            "this question wants a line chart (e.g. sns.lineplot); your figure has no lines.",
            q.hint,
        )
    if rules.kind == "bar" and n_bars == 0:
        return Result(
            q.qid,
            NOT_YET,
            "this question wants a bar chart (e.g. sns.barplot); your figure has no bars.",
            q.hint,
        )
    series = n_lines if rules.kind == "line" else n_bars if rules.kind == "bar" else n_lines + n_bars
    if series < rules.min_series:
        return Result(
            q.qid,
            NOT_YET,
            f"your figure shows {series} series; the question asks for "
            f"{rules.min_series} (e.g. one per group: use hue=...).",
            q.hint,
        )
    if rules.distinct_styles and n_lines >= 2:
        styles = {(l["marker"], l["linestyle"]) for l in ax["lines"] if len(l["x"]) > 1}
        if len(styles) < min(n_lines, rules.min_series):
            return Result(
                q.qid,
                NOT_YET,
                "your lines differ only by colour; give each its own marker "
                "or line style too (e.g. style=... and markers=True in seaborn), so the "
                "figure also reads for colour-blind readers and in print.",
            )
    for flag, name, label in ((rules.xlabel, "xlabel", "x-axis"), (rules.ylabel, "ylabel", "y-axis")):
        if flag and not ax[name].strip():
            return Result(
                q.qid,
                NOT_YET,
                f"label the {label} (ax.set_{name}('...')): a reader must know what is measured.",
            )
    if rules.title and not (ax["title"].strip() or desc.get("suptitle", "").strip()):
        return Result(q.qid, NOT_YET, "give the figure a title that states its point (ax.set_title('...')).")
    if rules.data_decimals is not None:
        values = _plotted_values(ax)
        form = K.sequence_form(f"{round(v, rules.data_decimals):.{rules.data_decimals}f}" for v in values)
        if not _matches(q, [form], _keys(q)["expected"]):
            found = _mistake(q, [form])
            return Result(
                q.qid,
                NOT_YET,
                found
                or "your figure is well formed, but the plotted values "
                "are not the expected ones: check which rows and column you plot.",
                q.hint,
            )
    return Result(q.qid, PASSED, "your figure has what the question asks for.")


# ----------------------------------------------------------------------------- written answers
def _evaluate_text(q: Question, desc: dict[str, Any]) -> Result:
    if desc.get("type") != "string":
        return Result(
            q.qid,
            CANNOT_CHECK,
            f"you gave {_type_name(desc)}; write your answer as text "
            'between triple quotes: """My answer..."""',
        )
    words = len(str(desc["value"]).split())
    if words == 0:
        return not_answered(q)
    if words < q.min_words:
        return Result(
            q.qid,
            NOT_YET,
            f"your answer has {words} words; write at least {q.min_words}, citing the figures you rely on.",
        )
    tip = (
        ""
        if any(ch.isdigit() for ch in str(desc["value"]))
        else (" Tip: cite at least one figure from the data.")
    )
    return Result(
        q.qid,
        RECORDED,
        f"answer recorded ({words} words). It is not marked "
        "automatically: your teacher will use the rubric, and you can compare it with the "
        f"model answer in the solutions notebook once you have finished.{tip}",
    )


EVALUATORS = {
    "number": _evaluate_number,
    "choice": _evaluate_choice,
    "sequence": _evaluate_sequence,
    "table": _evaluate_table,
    "figure": _evaluate_figure,
    "text": _evaluate_text,
}


def evaluate(q: Question, desc: dict[str, Any]) -> Result:
    """Check a described answer against a question; never raises for bad answers."""
    if desc.get("type") == "missing":
        return not_answered(q)
    if desc.get("type") == "string" and not str(desc.get("value", "")).strip() and q.kind != "text":
        return not_answered(q)
    return EVALUATORS[q.kind](q, desc)
