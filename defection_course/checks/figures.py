"""Figures judged as data: each series a set of (x, y) points; labels judged by what they name.

A described figure (see :mod:`describe` and :mod:`figure_reading`) is read into series of
points in data coordinates: a line's x as the learner plotted it (years, dates, text), a
bar's category through its axis. The figure is right when its points are the expected ones
(compared through hashed keys, rounded to the question's decimals). When they are not, the
message says what differs (shifted, reversed, paired wrongly, plotted against positions)
without giving the answer.

Labels are refused only on evidence: a legend label that names another series (a swap) or
nothing at all (empty, "x", a single letter without a legend title); an axis label that is
empty, a default column name, content-free, or names only the other axis; a title with no
content. Where the check cannot tell (a label it cannot match to a series), the answer
passes with a note for the learner and a flag for the teacher. Tick labels overlap when
their rendered boxes do.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from . import keys as K
from . import naming as N
from .spec import (
    FIGURE_CHECKS,
    NOT_YET,
    PASSED,
    FigureRules,
    Question,
    Result,
    _keys,
    _matches,
    _mistake,
    wrong_type,
)

# ----------------------------------------------------------------------------- reading points
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00:00(?:\.0+)?)?$")
_NUMBER = re.compile(r"^[-+]?\d[\d,]*(?:\.\d+)?$")


def _number_key(v: float) -> str:
    return str(round(v)) if abs(v - round(v)) < 1e-6 else f"{v:.6g}"


def x_key(value: Any) -> str | None:
    """The canonical form of one x value: a year for 2013, 2013.0, "2013" or 1 January 2013."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return _number_key(float(value)) if math.isfinite(float(value)) else None
    text = str(value).strip()
    date = _ISO_DATE.match(text)
    if date:
        year, month, day = (int(g) for g in date.groups())
        return str(year) if (month, day) in ((1, 1), (12, 31)) else f"{year:04d}-{month:02d}-{day:02d}"
    if _NUMBER.match(text):
        return _number_key(float(text.replace(",", "")))
    return K.text_form(text) or None


def _finite(values: Iterable[Any]) -> list[float]:
    return [float(v) for v in values if isinstance(v, (int, float)) and math.isfinite(float(v))]


def _is_data_line(line: dict[str, Any]) -> bool:
    """A plotted series, not an error bar, a reference line (axhline/axvline) or an empty proxy."""
    xs = [x for x in line.get("px", line["x"]) if x is not None and not isinstance(x, bool)]
    ys = _finite(line["y"])
    if len(ys) < 2 or len(xs) < 2:
        return False
    if len({str(x) for x in xs}) == 1:  # vertical: an error bar or axvline
        return False
    return not (len(ys) == 2 and len(set(ys)) == 1)  # a two-point horizontal line: axhline


def data_lines(ax: dict[str, Any]) -> list[dict[str, Any]]:
    """The lines that carry data (reference lines, error bars and legend proxies left out)."""
    lines = [line for line in ax["lines"] if _is_data_line(line)]
    varying = [line for line in lines if len(set(_finite(line["y"]))) > 1]
    # A flat unlabelled line next to real series is a reference line drawn with ax.plot.
    return [
        line
        for line in lines
        if line in varying or not varying or not str(line.get("label", "_")).startswith("_")
    ]


def _bar_values(bars: dict[str, Any]) -> list[Any]:
    return list(bars["width"] if bars.get("orientation") == "horizontal" else bars["height"])


def has_data(ax: dict[str, Any]) -> bool:
    return bool(data_lines(ax) or ax["bars"] or ax["scatter"])


def data_axes(desc: dict[str, Any]) -> dict[str, Any] | None:
    """The Axes the learner gave, or else the first Axes of the figure that holds plotted data."""
    axes = desc["axes"]
    passed = desc.get("passed")
    if isinstance(passed, int) and 0 <= passed < len(axes):
        return axes[passed]
    with_data = [a for a in axes if has_data(a)]
    return with_data[0] if with_data else None


Point = tuple[str, float]


def _points(xs: list[Any], ys: list[Any]) -> list[Point]:
    out = []
    for x, y in zip(xs, ys):
        key = x_key(x)
        if key is not None and isinstance(y, (int, float)) and math.isfinite(float(y)):
            out.append((key, float(y)))
    return out


@dataclass(frozen=True)
class Series:
    """One plotted series: the label a reader sees for it and its points."""

    label: str
    points: list[Point]


def _line_points(line: dict[str, Any]) -> list[Point]:
    return _points(line.get("px", line["x"]), line["y"])


def _bar_names(bars: dict[str, Any], shown_only: bool = False) -> list[Any]:
    """Each bar's category as the reader sees it: its tick label on a category axis (renamed ones
    included); where no tick label is drawn, the data's category (or, with ``shown_only``, "")."""
    categories = bars.get("categories", bars["x"])
    ticks = bars.get("ticks")
    if ticks is None:
        return list(categories)
    return [t if str(t).strip() else ("" if shown_only else c) for t, c in zip(ticks, categories)]


def _unnamed_bars(ax: dict[str, Any]) -> int:
    """Bars a reader cannot name: no tick label drawn at them, and no legend entry of their own."""
    legend = _legend_labels(ax["bars"], ax.get("legend_entries", []), "patch")
    return sum(
        1
        for bars, entry in zip(ax["bars"], legend)
        if not (entry.strip() and len(_bar_values(bars)) == 1)
        for name in _bar_names(bars, shown_only=True)
        if not str(name).strip()
    )


def _bar_points(bars: dict[str, Any]) -> list[Point]:
    return _points(_bar_names(bars), _bar_values(bars))


def _legend_labels(series: list[dict[str, Any]], entries: list[dict[str, Any]], kind: str) -> list[str]:
    """The label a reader sees for each series: its legend entry, else (with a legend) its own label.

    A legend entry is matched by colour, marker and line style; else by colour alone (if no
    other entry has it); else, with as many entries as series, by order.
    """
    entries = [e for e in entries if e.get("kind") == kind]
    labels = []
    for i, item in enumerate(series):
        own = str(item.get("label", ""))
        exact = [
            e["text"]
            for e in entries
            if e["color"] == item.get("color")
            and (kind == "patch" or (e["marker"], e["linestyle"]) == (item["marker"], item["linestyle"]))
        ]
        same_colour = [e["text"] for e in entries if e["color"] == item.get("color")]
        if len(exact) == 1:
            labels.append(exact[0])
        elif len(same_colour) == 1:
            labels.append(same_colour[0])
        elif entries and len(entries) == len(series):
            labels.append(entries[i]["text"])
        else:  # no legend: a reader sees no label (a direct label may still name it)
            labels.append("" if own.startswith("_") or not entries else own)
    return labels


def _distance(end: list[float], box: list[float]) -> float:
    dx = max(box[0] - end[0], 0.0, end[0] - box[2])
    dy = max(box[1] - end[1], 0.0, end[1] - box[3])
    return math.hypot(dx, dy)


def _direct_labels(lines: list[dict[str, Any]], labels: list[str], texts: list[dict[str, Any]]) -> list[str]:
    """Labels written next to a line's end (``ax.text``) for lines the legend does not name."""
    words = [t for t in texts if re.search(r"[^\W\d_]", t["text"])]  # not bar labels or numbers
    out = list(labels)
    for i, line in enumerate(lines):
        if out[i] or not line.get("ends"):
            continue
        near = sorted((min(_distance(e, t["box"]) for e in line["ends"]), t["text"]) for t in words)
        if near and near[0][0] < 0.08 and (len(near) == 1 or near[1][0] > near[0][0]):
            out[i] = near[0][1]
    return out


def compared(rules: FigureRules, series: list[Series]) -> list[Series]:
    """The series as the keys compare them: one set of points when the question names no series
    (bars coloured one by one with hue= are one series of bars, whatever their containers)."""
    if rules.series:
        return series
    return [Series("", [p for s in series for p in s.points])]


def series_of(ax: dict[str, Any]) -> list[Series]:
    """Each plotted series of an Axes, with the label a reader sees and its points."""
    entries = ax.get("legend_entries", [])
    lines, bars = data_lines(ax), ax["bars"]
    line_labels = _direct_labels(lines, _legend_labels(lines, entries, "line"), ax.get("texts", []))
    out = [Series(label, _line_points(line)) for label, line in zip(line_labels, lines)]
    out += [Series(label, _bar_points(b)) for label, b in zip(_legend_labels(bars, entries, "patch"), bars)]
    return out


# ----------------------------------------------------------------------------- canonical forms
def _y(v: float, decimals: int) -> str:
    return f"{round(v, decimals):.{decimals}f}"


def points_form(points: Iterable[Point], decimals: int) -> str:
    """One series' points (order ignored): ``x:y`` with y rounded to the question's decimals."""
    return K.sequence_form(f"{x}:{_y(y, decimals)}" for x, y in points)


def figure_form(series: list[Series], decimals: int) -> str:
    """All series' points, series order ignored (which label names which series is judged apart)."""
    return "||".join(sorted(points_form(s.points, decimals) for s in series))


def values_form(series: list[Series], decimals: int) -> str:
    """The plotted y values alone (to tell "right values, wrong places" from wrong values)."""
    return K.sequence_form(_y(y, decimals) for s in series for _, y in s.points)


def xs_form(series: list[Series]) -> str:
    """The set of x values plotted (to tell wrong x values from values paired wrongly)."""
    return K.sequence_form(sorted({x for s in series for x, _ in s.points}))


def answer_form(rules: FigureRules, desc: dict[str, Any]) -> list[str]:
    """The canonical form of a figure answer, as the keys hash it (empty if nothing plotted)."""
    ax = data_axes(desc)
    if ax is None or rules.data_decimals is None:
        return []
    series = compared(rules, series_of(ax))
    if not any(s.points for s in series):
        return []
    return [figure_form(series, rules.data_decimals)]


def diagnostic_forms(rules: FigureRules, desc: dict[str, Any]) -> dict[str, str]:
    """The solution's values and x values, hashed apart so a message can say what differs."""
    ax = data_axes(desc)
    if ax is None or rules.data_decimals is None:
        return {}
    series = compared(rules, series_of(ax))
    return {"values": values_form(series, rules.data_decimals), "xs": xs_form(series)}


# ----------------------------------------------------------------------------- what names each value
def _whole(key: str) -> bool:
    """A canonical x that is a number or a date (named only by itself, never by its words)."""
    return bool(_NUMBER.match(key) or _ISO_DATE.match(key))


def _label(text: str) -> tuple[str, str | None]:
    key = x_key(text)
    return text, key if key is not None and _whole(key) else None


def labelled_values(ax: dict[str, Any], decimals: int) -> list[tuple[list[tuple[str, str | None]], str]]:
    """Each drawn value (y rounded) with the labels a reader sees for it.

    A line's point is named by its x; a bar by its category (tick) and, when its container
    holds that bar alone (seaborn's ``hue=`` with a legend instead of ticks), by its legend entry.
    """
    out: list[tuple[list[tuple[str, str | None]], str]] = []
    for line in data_lines(ax):
        for x, y in zip(line.get("px", line["x"]), line["y"]):
            if x is not None and isinstance(y, (int, float)) and math.isfinite(float(y)):
                out.append(([_label(str(x))], _y(float(y), decimals)))
    legend = _legend_labels(ax["bars"], ax.get("legend_entries", []), "patch")
    for bars, entry in zip(ax["bars"], legend):
        values = _bar_values(bars)
        finite = [v for v in values if isinstance(v, (int, float)) and math.isfinite(float(v))]
        for cat, v in zip(_bar_names(bars, shown_only=True), values):
            if not (isinstance(v, (int, float)) and math.isfinite(float(v))):
                continue
            labels = [_label(str(cat))] if cat is not None and str(cat).strip() else []
            if entry.strip() and len(finite) == 1:
                labels.append((entry, None))
            out.append((labels, _y(float(v), decimals)))
    return out


def name_keys(rules: FigureRules, desc: dict[str, Any]) -> dict[str, list[str]]:
    """The forms that name each of the solution's categories, and its values by category
    (hashed by the key builder)."""
    ax = data_axes(desc)
    if ax is None or rules.data_decimals is None:
        return {}
    points = [p for s in compared(rules, series_of(ax)) for p in s.points]
    categories = [(x, _whole(x)) for x in sorted({x for x, _ in points})]
    return N.key_forms(categories, [(x, _y(y, rules.data_decimals)) for x, y in points])


def _naming(q: Question, ax: dict[str, Any], decimals: int) -> dict[str, list[str]]:
    """The labels of the drawn values, grouped by verdict (own, other, none, unreadable)."""
    entry = _keys(q)
    count = len(entry.get("category_points", []))  # every category has a value: an upper bound, not in clear
    wanted = {name: set(entry.get(name, [])) for name in ("category_names", "category_points")}

    def known(name: str, form: str) -> bool:
        return K.digest(q.qid, form) in wanted[name]

    out: dict[str, list[str]] = {N.OWN: [], N.OTHER: [], N.NONE: [], N.UNREADABLE: []}
    for labels, y in labelled_values(ax, decimals):
        shown = " / ".join(" ".join(t.split()) for t, _ in labels) or "(no label)"
        out[N.verdict(labels, y, count, known)].append(shown)
    return out


# ----------------------------------------------------------------------------- words
_NUMBER_WORDS = {"ten": "10", "fifteen": "15", "five": "5", "twenty": "20"}


def tokens(text: str) -> list[str]:
    """Words of a label: lower case, % as "percent", digits split from letters ("10y" -> 10, y)."""
    text = text.lower().replace("%", " percent ")
    found = re.findall(r"[^\W\d_]+|\d+", text)
    return [_NUMBER_WORDS.get(t, t) for t in found]


def _hits(words: list[str], stems: Iterable[str]) -> set[str]:
    stems = [s.lower() for s in stems]
    return {w for w in words for s in stems if w == s or (len(s) >= 4 and w.startswith(s))}


#: Labels that say nothing (a reader learns nothing from them).
CONTENT_FREE = {
    "x", "y", "value", "values", "data", "label", "axis", "xlabel", "ylabel", "variable", "series",
    "line", "column", "count", "number", "title", "todo", "tbd", "none", "nan", "untitled", "test",
}  # fmt: skip
#: Words a title can use without saying anything about the data.
_FILLER = {
    "my", "the", "a", "an", "of", "this", "is", "and", "line", "bar", "chart", "plot", "graph",
    "figure", "fig", "title", "untitled", "test", "lesson", "exercise", "question", "answer",
    "here", "data", "diagram", "new", "simple", "seaborn", "sns", "matplotlib", "lineplot",
    "barplot", "visualisation", "visualization", "q", "chart's", "plotted", "showing", "shows",
}  # fmt: skip


def content_free(text: str) -> bool:
    """Empty, a placeholder ("x", "value"), or only single letters: nothing a reader can use."""
    words = tokens(text)
    if not words:
        return True
    if " ".join(words) in CONTENT_FREE or all(w in CONTENT_FREE for w in words):
        return True
    return all(len(w) == 1 and not w.isdigit() for w in words)


#: words that make a legend label generic when all its other words are numbers ("line 1", "group 2")
_GENERIC = {"group", "set", "category", "item", "trace", "plot", "sample", "curve", "serie", "col"}


def generic_series_label(text: str) -> bool:
    """A legend label that tells series apart only by a number or letter ("line 1", "group B", "2")."""
    words = tokens(text)
    return bool(words) and all(
        w in CONTENT_FREE or w in _GENERIC or w.isdigit() or len(w) == 1 for w in words
    )


def title_content_free(text: str) -> bool:
    """A title made only of filler ("my line chart") or single letters ("a b c")."""
    words = [w for w in tokens(text) if w not in _FILLER]
    return not any(len(w) > 1 or w.isdigit() for w in words)


def default_label(rules: FigureRules, text: str) -> bool:
    """seaborn's default axis label: a column name (``share_pct``) rather than words."""
    t = text.strip()
    return t.lower() in {d.lower() for d in rules.default_labels} or bool(re.fullmatch(r"\w+_\w+", t))


# ----------------------------------------------------------------------------- naming series
_NEGATIONS = {"not", "no", "un", "non"}


def series_name(rules: FigureRules, label: str, title: str = "") -> str | None:
    """Which expected series a legend label names (None if it names none, or cannot be told).

    Words name a series; "not X", "unX" or "non-X" names the other one of two (when X is a word
    of one series and the negated form is not itself a series word); a short abbreviation under
    a legend title ("F" under "sex") names the series one of whose words it begins.
    """
    named = {n: [w.lower() for w in words] for n, words in (rules.series or {}).items()}
    if not named:
        return None
    words = tokens(label)
    all_words = {w for ws in named.values() for w in ws}
    score = {n: len(set(words) & set(ws)) for n, ws in named.items()}
    negated = set()
    for i, w in enumerate(words):
        target = None
        if w in _NEGATIONS and w not in all_words and i + 1 < len(words):
            target = words[i + 1]
        elif w.startswith("un") and w[2:] in all_words and w not in all_words:
            target = w[2:]
        if target is None:
            continue
        for n, ws in named.items():
            if target in ws:
                score[n] -= 1
                negated.add(n)
    if negated and len(named) == 2 and len(negated) == 1:
        other = next(n for n in named if n not in negated)
        score[other] += 1
    best = max(score.values())
    winners = [n for n, s in score.items() if s == best]
    if best > 0 and len(winners) == 1:
        return winners[0]
    short = "".join(words)
    if best <= 0 and title.strip() and 0 < len(short) <= 3 and short.isalpha():
        found = [n for n, ws in named.items() if any(w.startswith(short) for w in ws)]
        if len(found) == 1:
            return found[0]
    return None


def series_forms(rules: FigureRules, ax: dict[str, Any], values: bool = False) -> dict[str, str]:
    """The points form of each named series (for the per-series keys); with ``values``, its values
    alone (to tell a series drawn at renamed x values from another series' values)."""
    decimals = rules.data_decimals or 0
    title = str(ax.get("legend_title", ""))
    out: dict[str, str] = {}
    for s in series_of(ax):
        name = series_name(rules, s.label, title)
        if name is not None:
            out[name] = values_form([s], decimals) if values else points_form(s.points, decimals)
    return out


# ----------------------------------------------------------------------------- judging
def _result(q: Question, message: str, hint: bool = True) -> Result:
    return Result(q.qid, NOT_YET, message, q.hint if hint else "")


def _chart_problem(q: Question, rules: FigureRules, ax: dict[str, Any]) -> Result | None:
    """The kind of chart, the number of series and their styles."""
    n_lines, n_bars = len(data_lines(ax)), len(ax["bars"])
    if rules.kind == "line" and n_lines == 0:
        drew = "you drew bars" if n_bars else "your figure has no lines"
        return _result(q, f"this question wants a line chart (e.g. sns.lineplot); {drew}.")
    if rules.kind == "bar" and n_bars == 0:
        return _result(q, "this question wants a bar chart (e.g. sns.barplot); your figure has no bars.")
    series = n_lines if rules.kind == "line" else n_bars if rules.kind == "bar" else n_lines + n_bars
    if series < rules.min_series:
        return _result(
            q,
            f"your figure shows {series} series; the question asks for "
            f"{rules.min_series} (e.g. one per group: use hue=...).",
        )
    if rules.distinct_styles and n_lines >= 2:
        styles = {(line["marker"], line["linestyle"]) for line in data_lines(ax)}
        if len(styles) < min(n_lines, rules.min_series):
            return _result(
                q,
                "your lines differ only by colour; give each its own marker "
                "or line style too (e.g. style=... and markers=True in seaborn), so the "
                "figure also reads for colour-blind readers and in print.",
                hint=False,
            )
    return None


def _horizontal(ax: dict[str, Any]) -> bool:
    return bool(ax["bars"]) and all(b.get("orientation") == "horizontal" for b in ax["bars"])


def _axis_problem(q: Question, rules: FigureRules, ax: dict[str, Any]) -> Result | None:
    """Each axis label: present, not a column name, not content-free, not naming the other axis."""
    category, value = ("ylabel", "xlabel") if _horizontal(ax) else ("xlabel", "ylabel")
    own = {category: rules.category_words, value: rules.value_words}
    other = {category: rules.value_words, value: rules.category_words}
    for flag, name, where in ((rules.xlabel, "xlabel", "x-axis"), (rules.ylabel, "ylabel", "y-axis")):
        text = str(ax[name]).strip()
        if not flag:
            continue
        if not text:
            return _result(
                q, f"label the {where} (ax.set_{name}('...')): a reader must know what is measured.", False
            )
        if default_label(rules, text):
            return _result(
                q,
                f"the {where} still shows seaborn's default label, the column name {text!r}: say in words "
                f"what it shows (ax.set_{name}('...')).",
                False,
            )
        if content_free(text):
            return _result(
                q,
                f"the {where} label {text!r} does not say what is measured: write it in words "
                f"(ax.set_{name}('...')).",
                False,
            )
        words = tokens(text)
        if other[name] and _hits(words, other[name]) and not _hits(words, own[name]):
            return _result(
                q,
                f"the {where} label {text!r} describes what the other axis shows: check which label "
                "belongs to which axis.",
                False,
            )
    return None


def _text_problem(q: Question, rules: FigureRules, desc: dict[str, Any], ax: dict[str, Any]) -> Result | None:
    """Axis labels, a title with content, readable category labels."""
    problem = _axis_problem(q, rules, ax)
    if problem is not None:
        return problem
    title = str(ax["title"]).strip() or str(desc.get("suptitle", "")).strip()
    if rules.title and not title:
        return _result(q, "give the figure a title that states its point (ax.set_title('...')).", False)
    if rules.title and title_content_free(title):
        return _result(
            q, f"the title {title!r} says nothing about the data; write a title that states its point.", False
        )
    unnamed = _unnamed_bars(ax) if rules.kind == "bar" else 0
    if unnamed:
        return _result(
            q,
            f"{unnamed} of your bars carry no name a reader can see (no tick label, no legend entry): "
            "label each bar with its category.",
        )
    overlap = ax.get("ytick_overlap" if _horizontal(ax) else "xtick_overlap")
    if rules.readable_categories and overlap:
        return _result(
            q,
            "the category labels still overlap: rotate them (ax.tick_params(axis='x', labelrotation=45)), "
            "shorten or wrap them, or draw horizontal bars (y=... for the categories).",
        )
    return None


def _positions(series: list[Series]) -> bool:
    """Every series plotted against 0, 1, 2, ... (its row positions, not its x column)."""
    return all([x for x, _ in s.points] == [str(i) for i in range(len(s.points))] for s in series if s.points)


def _moved(series: list[Series], step: float) -> list[Series]:
    moved = []
    for s in series:
        try:
            moved.append(Series(s.label, [(_number_key(float(x) + step), y) for x, y in s.points]))
        except ValueError:
            return []
    return moved


def _reversed(series: list[Series]) -> list[Series]:
    """Each series with its values in reverse order along x."""
    out = []
    for s in series:
        try:
            ordered = sorted(s.points, key=lambda p: float(p[0]))
        except ValueError:
            ordered = sorted(s.points)
        xs, ys = [x for x, _ in ordered], [y for _, y in ordered]
        out.append(Series(s.label, list(zip(xs, reversed(ys)))))
    return out


def _numeric(series: list[Series]) -> bool:
    return all(_NUMBER.match(x) for s in series for x, _ in s.points)


def _naming_problem(
    q: Question, rules: FigureRules, ax: dict[str, Any], series: list[Series]
) -> Result | str | None:
    """The right values drawn under other names than the data's: tied to the data by what the
    labels name (see :mod:`naming`); refused on evidence, a note where the labels cannot be read."""
    found = _naming(q, ax, rules.data_decimals or 0)
    total = sum(len(v) for v in found.values())
    bars = rules.kind == "bar" or (bool(ax["bars"]) and not data_lines(ax))
    what, one, names = ("bars", "category", "categories") if bars else ("points", "x value", "x values")
    if not (found[N.OTHER] or found[N.NONE] or found[N.UNREADABLE]):
        return None  # every value is named by its own category: abbreviated, wrapped, re-cased
    if found[N.NONE] and _numeric(series) and not bars:
        return _result(
            q,
            "your values are the expected ones, but they are plotted at other x values than in the data: "
            "check the column you plot on the x-axis.",
        )
    values = "bar heights" if bars else "values"
    if found[N.OTHER]:
        n = len(found[N.OTHER])
        return _result(
            q,
            f"the {values} are right and the labels name the data's {names}, but {n} of your {total} {what} "
            f"{'carries' if n == 1 else 'carry'} another {one}'s name: each value must stay with its own "
            f"{one} (did you sort or reorder one column but not the other?).",
        )
    if found[N.NONE]:
        n = len(found[N.NONE])
        shown = ", ".join(repr(t) for t in found[N.NONE][:3]) + (", ..." if n > 3 else "")
        fine = "shortened, wrapped or re-cased names are fine" if bars else "as a number, a date or text"
        return _result(
            q,
            f"the {values} are right, but the {what} are not labelled with the data's {names}: "
            f"{n} of your {total} labels ({shown}) {'names' if n == 1 else 'name'} none of them. Label "
            f"each {what[:-1]} with its {one} as the data names it ({fine}).",
        )
    shown = ", ".join(repr(t) for t in found[N.UNREADABLE][:3])
    return (
        f"the {values} are right, but the check cannot read the labels {shown} (no Latin letters or "
        f"digits), so it cannot tell which {what[:-1]} is which: make sure each names its own {one}."
    )


def _points_problem(
    q: Question, rules: FigureRules, ax: dict[str, Any], series: list[Series]
) -> Result | str | None:
    """Why the points differ from the expected ones; a str is a note (passes, unsure)."""
    decimals = rules.data_decimals or 0
    entry = _keys(q)
    if _matches(q, [figure_form(series, decimals)], entry["expected"]):
        return None
    axis = "categories" if rules.kind == "bar" else "x-axis"
    for step, way in ((1, "one step to the left"), (-1, "one step to the right")):
        moved = _moved(series, step)
        if moved and _matches(q, [figure_form(moved, decimals)], entry["expected"]):
            return _result(
                q,
                f"your values are right, but every point sits {way} of where its data puts it "
                f"(the {axis} is off by one): check the column you plot on the x-axis.",
            )
    if _matches(q, [figure_form(_reversed(series), decimals)], entry["expected"]):
        return _result(
            q,
            "your values run in reverse order along the x-axis: each value must stay with its own "
            f"{'category' if rules.kind == 'bar' else 'x value'}.",
        )
    same_values = _matches(q, [values_form(series, decimals)], entry.get("values", []))
    same_xs = _matches(q, [xs_form(series)], entry.get("xs", []))
    if same_values and same_xs:
        return _result(
            q,
            "the values and the x positions are the right ones, but they are paired wrongly: some values "
            "sit at another x than in the data (did you sort or reorder one column but not the other?).",
        )
    if same_values and _positions(series):
        return _result(
            q,
            "your values are plotted against their positions 0, 1, 2, ... instead of the x column: "
            "pass x=... as well as y=....",
        )
    if same_values:
        return _naming_problem(q, rules, ax, series)
    return _result(
        q,
        "your figure is well formed, but the plotted values are not the expected ones: check which rows "
        "and column you plot.",
    )


def _series_problem(q: Question, rules: FigureRules, ax: dict[str, Any]) -> Result | str | None:
    """Each series' label must name the series it shows; a str is a note (passes, unsure)."""
    names = ", ".join(repr(n) for n in rules.series or {})
    title = str(ax.get("legend_title", ""))
    series = series_of(ax)
    labels = [s.label for s in series]
    if all(not label.strip() for label in labels):
        return _result(q, f"name each series in a legend ({names}), so a reader knows which is which.", False)
    given = {s.label: series_name(rules, s.label, title) for s in series}
    empty = [
        label
        for label in labels
        if series_name(rules, label, title) is None and (content_free(label) or generic_series_label(label))
    ]
    if empty:
        return _result(
            q,
            f"name each series in a legend ({names}), so a reader knows which is which; "
            f"your series are labelled {labels}, and {empty[0]!r} names none.",
            False,
        )
    named = [n for n in given.values() if n is not None]
    if len(named) != len(set(named)):
        return _result(
            q, f"two series carry labels for the same series; your series are labelled {labels}.", False
        )
    keyed, keyed_values = _keys(q).get("series", {}), _keys(q).get("series_values", {})
    decimals = rules.data_decimals or 0
    wrong = [  # points not the series' own (values too, when the x values passed by what they name)
        label
        for label, name in given.items()
        for s in series
        if s.label == label
        and name is not None
        and K.digest(q.qid, points_form(s.points, decimals)) not in keyed.get(name, [])
        and K.digest(q.qid, values_form([s], decimals)) not in keyed_values.get(name, [])
    ]
    if wrong:
        return _result(
            q,
            f"the values are right, but the series labelled {', '.join(repr(n) for n in wrong)} show another "
            "series' values: check which column each label belongs to.",
            False,
        )
    unsure = [label for label, name in given.items() if name is None]
    if unsure:
        return (
            f"the check could not tell which series {', '.join(repr(u) for u in unsure)} names ({names}): "
            "make sure each legend label says which series it is."
        )
    return None


def evaluate_figure(q: Question, desc: dict[str, Any]) -> Result:
    """Check a described figure against a figure question."""
    rules = q.figure or FigureRules()
    if desc.get("type") != "figure":
        return wrong_type(
            q,
            desc,
            "this question wants the plot itself: assign what seaborn returns, e.g. ax = sns.lineplot(...).",
        )
    ax = data_axes(desc)
    if ax is None or not has_data(ax):
        return _result(q, "your figure is empty: nothing was plotted on it.")
    series = compared(rules, series_of(ax))
    checked = rules.data_decimals is not None
    form = figure_form(series, rules.data_decimals or 0) if checked else None
    found = _mistake(q, [form]) if form is not None else None
    if found:  # an anticipated mistake says more than a generic problem with the chart
        return _result(q, found)
    problem = _chart_problem(q, rules, ax) or _text_problem(q, rules, desc, ax)
    if problem is not None:
        return problem
    notes: list[str] = []
    for step in (
        _points_problem(q, rules, ax, series) if checked else None,
        _series_problem(q, rules, ax) if rules.series else None,
    ):
        if isinstance(step, Result):
            return step
        if step:
            notes.append(step)
    note = " ".join(notes)
    return Result(
        q.qid,
        PASSED,
        "accepted: your figure shows what the question asks for.",
        note=note,
        flags=tuple(f"figure: {n}" for n in notes),
    )


FIGURE_CHECKS.update(evaluate=evaluate_figure, answer_form=answer_form)
