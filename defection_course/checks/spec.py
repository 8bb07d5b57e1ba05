"""Question specifications and the evaluation of a described answer against hashed keys.

A :class:`Question` says what kind of answer is expected (a number, a table, a figure, a
choice, a short written answer), which common mistakes to recognise and what to say about
each. :func:`evaluate` compares a description (see :mod:`describe`) with the hashed keys
and returns a :class:`Result` whose message says, in words, what is wrong, without ever
revealing the expected answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

from . import keys as K
from . import values as V
from . import written as W
from .written import PLACEHOLDER  # noqa: F401  (re-exported: the review files' flag text)

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
    note: str = ""
    flags: tuple[str, ...] = ()

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
    #: canonical series name -> words that name it in a legend (e.g. female: [female, women]);
    #: if set, each series' label must name the series whose values it shows
    series: dict[str, list[str]] | None = None
    #: axis labels that count as no label (the column names seaborn writes by default)
    default_labels: tuple[str, ...] = ()
    readable_categories: bool = False  #: category tick labels must not overlap (rendered boxes)
    #: word stems that name what the category (x) axis and the value axis show: an axis label
    #: that names only the other axis's is a swap
    category_words: tuple[str, ...] = ()
    value_words: tuple[str, ...] = ()


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
    whole: bool = False  #: number: a count, so only whole numbers can be right (no rounding)
    points: int = 1
    rubric: str = ""  #: text: marking guidance shown to teachers
    prompt: str = ""  #: text: the question as the exercise asks it (to spot a copied prompt)


_TUPLE_FIELDS = ("columns", "expected_span", "options")


def question_from_json(spec: dict[str, Any]) -> Question:
    """A :class:`Question` from its entry in a ``qN.questions.json``."""
    spec = dict(spec)
    for key in _TUPLE_FIELDS:
        if key in spec:
            spec[key] = tuple(spec[key])
    if "figure" in spec:
        rules = dict(spec["figure"])
        for name in ("default_labels", "category_words", "value_words"):
            if name in rules:
                rules[name] = tuple(rules[name])
        spec["figure"] = FigureRules(**rules)
    return Question(**spec)


def _keys(q: Question) -> dict[str, Any]:
    entry = K.load_keys(q.lesson).get(q.qid)
    if entry is None:
        raise KeyError(f"no answer key for {q.qid}: run python -m defection_course build-questions")
    return entry


def _matches(q: Question, forms: list[str], hashes: list[str]) -> bool:
    wanted = set(hashes)
    return any(K.digest(q.qid, f) in wanted for f in forms)


def _mistake(q: Question, forms: list[str]) -> str | None:
    for name, hashes in _keys(q).get("mistakes", {}).items():
        if _matches(q, forms, hashes):
            return q.mistakes.get(name, "This is a common wrong answer: re-read the question.")
    return None


def _items(n: Any) -> str:
    return f"a list of {n} item{'' if n == 1 else 's'}" if isinstance(n, int) else "a list"


def _type_name(desc: dict[str, Any]) -> str:
    t = desc.get("type")
    return {
        "string": "text",
        "sequence": _items(desc.get("length")),
        "dataframe": "a table (DataFrame)",
        "number": "a number",
        "none": "None",
        "series": "a pandas Series",
        "figure": "a figure",
        "dict": "a dictionary",
        "bool": "True/False",
        "other": f"a {desc.get('python_type', 'value')}",
    }.get(str(t), str(t))


def wrong_type(q: Question, desc: dict[str, Any], wanted: str) -> Result:
    """The answer is of another kind than the question asks: say what was given and what is wanted."""
    return Result(q.qid, CANNOT_CHECK, f"you gave {_type_name(desc)}; {wanted}")


def not_answered(q: Question) -> Result:
    where = (
        f'write your answer between the triple quotes after `{q.variable} = """`'
        if q.kind == "text"
        else f"replace the ... after `{q.variable} =` with your answer"
    )
    return Result(
        q.qid, NOT_ANSWERED, f"not answered yet: {where}, run that cell, then run this check again."
    )


# ----------------------------------------------------------------------------- numbers
def _number_value(q: Question, desc: dict[str, Any]) -> tuple[float | None, Result | None, str]:
    """The number an answer holds, or the refusal that says why it holds none; and a note on its form."""
    note = ""
    single = V.single_value(desc)
    if single is not None:  # a one-value list, array or Series is read as its value
        value, note = single
        desc = {"type": "number", "value": value, "nan": value is None}
    t = desc.get("type")
    if t == "number":
        if desc.get("na"):
            return (
                None,
                Result(
                    q.qid,
                    NOT_YET,
                    "your answer is pd.NA, pandas' marker for a missing value: usually a calculation "
                    "touched an empty cell of the table, for example a year or a group that has no figure.",
                    q.hint,
                ),
                note,
            )
        if desc.get("nan"):
            return (
                None,
                Result(
                    q.qid,
                    NOT_YET,
                    "your answer is NaN ('not a number'): usually a "
                    "calculation touched a missing value, for example a year that is "
                    "not in the table.",
                    q.hint,
                ),
                note,
            )
        return float(desc["value"]), None, note
    if t == "string":
        number = V.number_from_text(str(desc["value"]), q.unit, q.percent)
        if number is not None:
            return number, None, V.text_number_note(str(desc["value"]))
        return (
            None,
            Result(
                q.qid,
                CANNOT_CHECK,
                "you gave text; this question wants a number "
                f"{'(a percentage, e.g. 12.5)' if q.percent else '(e.g. 1234)'}.",
            ),
            "",
        )
    if t in ("sequence", "series", "dataframe"):
        return (
            None,
            wrong_type(
                q, desc, "this question wants a single number, computed from the rows the question names."
            ),
            "",
        )
    return (
        None,
        wrong_type(q, desc, "this question wants a single number."),
        "",
    )


def _shown(q: Question, value: float) -> str:
    """A number as the learner gave it (their own decimals, up to six), with the unit."""
    own = f"{value:.6f}".rstrip("0").rstrip(".")
    decimals = max(q.decimals, len(own.split(".")[1]) if "." in own else 0)
    text = f"{value:,.{decimals}f}" if q.thousands else f"{value:.{decimals}f}"
    return f"{text}{q.unit}"


def _evaluate_number(q: Question, desc: dict[str, Any]) -> Result:
    value, problem, note = _number_value(q, desc)
    if problem is not None:
        return problem
    assert value is not None
    result = _judge_number(q, value)
    return replace(result, note=note) if note else result


def _judge_number(q: Question, value: float) -> Result:
    assert value is not None
    if math.isinf(value):
        return Result(q.qid, NOT_YET, "your answer is infinite: did you divide by zero?", q.hint)
    shown = _shown(q, value)
    if q.whole and abs(value - round(value)) > 1e-9:
        found = _mistake(q, K.number_forms(value, q.decimals, 0))
        if found:
            return Result(q.qid, NOT_YET, found, q.hint)
        return Result(
            q.qid,
            NOT_YET,
            f"{shown} is not a whole number, and this question asks for one: check your "
            "calculation (a count of people or cases has no decimals).",
            q.hint,
        )
    # Exactly the values a correct computation gives: the value itself, or it rounded as asked.
    forms = K.number_forms(value, q.decimals, 0)
    entry = _keys(q)
    if _matches(q, forms, entry["expected"]):
        rounding = f", to {q.decimals} decimal place{'s' if q.decimals != 1 else ''}" if q.decimals else ""
        return Result(q.qid, PASSED, f"accepted: {shown} matches the expected value{rounding}.")
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
    return Result(q.qid, NOT_YET, f"{shown} is not the expected value.", q.hint)


# ----------------------------------------------------------------------------- choices and lists
def _evaluate_choice(q: Question, desc: dict[str, Any]) -> Result:
    if desc.get("type") != "string":
        listed = ", ".join(map(repr, q.options))
        return wrong_type(q, desc, f"answer with one of these texts, in quotes: {listed}.")
    options = [K.text_form(o) for o in q.options]
    given = V.choice_form(K.text_form(desc["value"]), options)
    if q.options and given not in options:
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
        return wrong_type(q, desc, "this question wants a list.")
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
def _table_columns_rows(q: Question, desc: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """A described DataFrame's columns and rows, with the key column taken from the index if needed."""
    columns = list(desc["columns"])
    rows = desc["data"]
    index_name = desc.get("index_name")
    if index_name and index_name not in columns and index_name in q.columns:
        columns = [index_name] + columns  # a required column given as the index counts as a column
        rows = [[i] + list(r) for i, r in zip(desc["index"], rows)]
    return columns, rows


def _table_form(q: Question, columns: list[str], rows: list[list[Any]]) -> str:
    picked = [[r[columns.index(c)] for c in q.columns] for r in rows]
    return K.table_form(picked, q.decimals)


def _evaluate_table(q: Question, desc: dict[str, Any]) -> Result:
    as_table = V.table_from(desc)
    if as_table is None:
        return _judge_table(q, desc)
    result = _judge_table(q, as_table[0])
    return replace(result, note=" ".join(n for n in (as_table[1], result.note) if n))


def _judge_table(q: Question, desc: dict[str, Any]) -> Result:
    t = desc.get("type")
    if t == "series":
        return Result(
            q.qid,
            CANNOT_CHECK,
            "you gave a pandas Series; this question wants a table "
            "(DataFrame). Use double brackets, df[[...]], or .reset_index().",
        )
    if t != "dataframe":
        return wrong_type(q, desc, "this question wants a table (a pandas DataFrame).")
    columns, rows = _table_columns_rows(q, desc)
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
    numeric_rows, converted = V.numeric_cells(rows)
    if q.key_column and q.expected_span:
        col = columns.index(q.key_column)
        keys_ = [r[col] for r in numeric_rows if isinstance(r[col], (int, float))]
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
    forms = [_table_form(q, columns, rows)]
    note = ""
    if converted:  # text cells that hold numbers: compared as numbers if the table as given differs
        forms.append(_table_form(q, columns, numeric_rows))
    accepted = f"accepted: your table ({n} rows, columns {list(q.columns)}) matches the expected one."
    for i, form in enumerate(forms):
        note = V.numeric_cells_note(converted) if i else ""
        if _matches(q, [form], _keys(q)["expected"]):
            return Result(q.qid, PASSED, accepted, note=note)
        found = _mistake(q, [form])
        if found:
            return Result(q.qid, NOT_YET, found, q.hint, note=note)
    return Result(
        q.qid,
        NOT_YET,
        "the rows and columns are right, but some values differ from the expected ones."
        + (" Some cells are text, not numbers: check their type (df.dtypes)." if converted else ""),
        q.hint,
    )


# ----------------------------------------------------------------------------- figures
#: the figure checks, defined in :mod:`.figures` (which builds on this module and fills this table
#: when the ``checks`` package is imported), so that the two modules do not import each other
FIGURE_CHECKS: dict[str, Any] = {}


def _evaluate_figure(q: Question, desc: dict[str, Any]) -> Result:
    return FIGURE_CHECKS["evaluate"](q, desc)


# ----------------------------------------------------------------------------- written answers
def _evaluate_text(q: Question, desc: dict[str, Any]) -> Result:
    """A written answer is recorded for the teacher; possible filler is flagged, never marked down."""
    if desc.get("type") != "string":
        return wrong_type(q, desc, 'write your answer as text between triple quotes: """My answer..."""')
    text = str(desc["value"])
    if not W.words(text):
        return not_answered(q)
    flags, note = W.flags_for(text, f"{q.prompt} {q.hint}", q.min_words)
    return Result(
        q.qid,
        RECORDED,
        f"answer recorded ({W.word_count(text)} words). It is not marked "
        "automatically: your teacher will use the rubric, and you can compare it with the "
        "model answer in the solutions notebook once you have finished.",
        note=note,
        flags=flags,
    )


def answer_forms(q: Question, desc: dict[str, Any]) -> list[str]:
    """The canonical forms of a described answer, as the checks compare them with the keys.

    The key builder hashes these forms for the solution's answer and for each anticipated
    mistake, so keys and checks read an answer in exactly the same way. Empty when the
    answer is not of the question's kind.
    """
    t = desc.get("type")
    if q.kind == "number" and t == "number" and desc.get("value") is not None:
        return K.number_forms(desc["value"], q.decimals, 0)
    if q.kind == "choice" and t == "string":
        return [K.text_form(desc["value"])]
    if q.kind == "sequence" and t in ("sequence", "series"):
        return [K.sequence_form(desc["items"] if t == "sequence" else desc["values"])]
    if q.kind == "table" and t == "dataframe":
        columns, rows = _table_columns_rows(q, desc)
        if all(c in columns for c in q.columns):
            return [_table_form(q, columns, rows)]
    if q.kind == "figure" and t == "figure" and q.figure and q.figure.data_decimals is not None:
        return FIGURE_CHECKS["answer_form"](q.figure, desc)
    return []


def coarse_forms(q: Question, desc: dict[str, Any]) -> list[str]:
    """A number rounded to one decimal fewer (to say "round to N decimals", not "wrong")."""
    if (
        q.kind == "number"
        and q.decimals > 0
        and desc.get("type") == "number"
        and desc.get("value") is not None
    ):
        return K.number_forms(desc["value"], q.decimals - 1, 0)
    return []


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
    if desc.get("type") == "none":
        what = (
            f"the plot itself: `{q.variable} = sns.barplot(...)` (or lineplot), and show it on another line"
            if q.kind == "figure"
            else f"the value itself to `{q.variable}`, and print it on another line if you want to see it"
        )
        return Result(
            q.qid,
            CANNOT_CHECK,
            "your answer is None. Functions that only display something (print(), show(), "
            f"display()) return None, so assigning their result stores nothing. Assign {what}.",
        )
    if desc.get("type") == "string" and not str(desc.get("value", "")).strip() and q.kind != "text":
        return not_answered(q)
    return EVALUATORS[q.kind](q, desc)
