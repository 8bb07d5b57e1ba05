"""Metamorphic families of figures, generated from each figure question's right answer.

The solution's own figure (as ``build-questions`` described it, in ``qN.answer_cases.json``) is
read back into its series of (x, y) points, its labels and its title. Each transform below
redraws those points for real (seaborn, pandas or matplotlib), with one change, and the check
must keep the pass (another library, orientation, text/date/float x, reference lines, legend
paraphrases, direct labels, wrapped labels, subplot position, Figure instead of Axes) or turn
it into a refusal (x shifted by one, reversed, shuffled against y, y sorted, plotted against
0..n, labels swapped, content-free labels, overlapping category labels). Every figure question
runs every transform that applies to its kind of chart.
"""

from __future__ import annotations

import json
import random
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
import seaborn as sns
from support import answer_cases

from defection_course.checks import PASSED, result_for
from defection_course.checks.figures import data_axes, series_of
from defection_course.questions import QUESTIONS

CASES = answer_cases()
FIGURES = sorted(q for q, spec in QUESTIONS.items() if spec.kind == "figure")


@dataclass(frozen=True)
class Chart:
    """What the solution's figure shows: series of points, and the words around them."""

    series: tuple[tuple[str, tuple[tuple[Any, float], ...]], ...]
    xlabel: str
    ylabel: str
    title: str
    legend_title: str = ""
    bar: bool = False


def _x(value: str) -> Any:
    try:
        f = float(value)
    except ValueError:
        return value
    return int(f) if f.is_integer() else f


def solution_chart(qid: str) -> Chart:
    """The solution's figure, read back from its description (not written by hand)."""
    ax = data_axes(CASES[qid]["expected"])
    assert ax is not None
    series = tuple((s.label, tuple((_x(x), y) for x, y in s.points)) for s in series_of(ax))
    return Chart(
        series, ax["xlabel"], ax["ylabel"], ax["title"], ax.get("legend_title", ""), bool(ax["bars"])
    )


# ----------------------------------------------------------------------------- drawing
STYLES = [("o", "-"), ("s", "--"), ("^", ":"), ("D", "-.")]


def _long(chart: Chart) -> pd.DataFrame:
    rows = [(label, x, y) for label, points in chart.series for x, y in points]
    return pd.DataFrame(rows, columns=["group", "x", "y"])


def _finish(ax: Any, chart: Chart, legend: bool = True) -> Any:
    ax.set_xlabel(chart.xlabel)
    ax.set_ylabel(chart.ylabel)
    ax.set_title(chart.title)
    if legend and not chart.bar and ax.get_legend() is None:
        ax.legend(title=chart.legend_title or None)
    elif legend and ax.get_legend() is not None and chart.legend_title:
        ax.get_legend().set_title(chart.legend_title)
    return ax


def draw_seaborn(chart: Chart, xform: Callable[[Any], Any] = lambda x: x) -> Any:
    df = _long(chart).assign(x=lambda d: d["x"].map(xform))
    if chart.bar:
        ax = sns.barplot(data=df, x="x", y="y", color="#0072B2")
        ax.tick_params(axis="x", labelrotation=60)
        return _finish(ax, chart, legend=False)
    ax = sns.lineplot(data=df, x="x", y="y", hue="group", style="group", markers=True)
    return _finish(ax, chart)


def draw_matplotlib(
    chart: Chart, xform: Callable[[Any], Any] = lambda x: x, ax: Any = None, legend: bool = True
) -> Any:
    if ax is None:
        _, ax = plt.subplots()
    for (label, points), (marker, style) in zip(chart.series, STYLES):
        xs, ys = [xform(x) for x, _ in points], [y for _, y in points]
        if chart.bar:
            ax.bar([str(x) for x in xs], ys)
            ax.tick_params(axis="x", labelrotation=60)
        else:
            ax.plot(xs, ys, marker=marker, linestyle=style, label=label)
    return _finish(ax, chart, legend=legend and not chart.bar)


def draw_pandas(chart: Chart, xform: Callable[[Any], Any] = lambda x: x) -> Any:
    wide = _long(chart).assign(x=lambda d: d["x"].map(xform)).pivot(index="x", columns="group", values="y")
    if chart.bar:
        ax = wide.plot.bar(legend=False, rot=60)
        return _finish(ax, chart, legend=False)
    ax = wide[[label for label, _ in chart.series]].plot(
        style=["o-", "s--", "^:", "D-."][: len(chart.series)]
    )
    return _finish(ax, chart)


def draw_horizontal(chart: Chart, height: float = 4.8) -> Any:
    df = _long(chart)
    _, ax = plt.subplots(figsize=(6.4, height))
    ax = sns.barplot(data=df, y="x", x="y", color="#0072B2", ax=ax)
    ax.set_ylabel(chart.xlabel)
    ax.set_xlabel(chart.ylabel)
    ax.set_title(chart.title)
    return ax


def _map_points(
    chart: Chart, change: Callable[[list[Any], list[float]], tuple[list[Any], list[float]]]
) -> Chart:
    series = []
    for label, points in chart.series:
        xs, ys = change([x for x, _ in points], [y for _, y in points])
        series.append((label, tuple(zip(xs, ys))))
    return replace(chart, series=tuple(series))


def _relabel(chart: Chart, labels: list[str], title: str | None = None) -> Chart:
    series = tuple((new, points) for new, (_, points) in zip(labels, chart.series))
    return replace(chart, series=series, legend_title=chart.legend_title if title is None else title)


def _renamed(chart: Chart, rename: Callable[[Any, int], Any]) -> Chart:
    """The chart with each x (category) renamed, its values left where they are."""
    series = tuple(
        (label, tuple((rename(x, i), y) for i, (x, y) in enumerate(points))) for label, points in chart.series
    )
    return replace(chart, series=series)


def _short(name: Any) -> str:
    """A learner's abbreviation: the first word of the data's name, cut to five letters, a full stop."""
    first = next(w for w in re.findall(r"[A-Za-z]+", str(name)) if len(w) > 1)
    return first[:5] + ("." if len(first) > 5 else "")


def _moved_along(names: list[str]) -> list[str]:
    return names[1:] + names[:1]


def _ticks_renamed(chart: Chart, rename: Callable[[str, int], str]) -> Any:
    """Horizontal bars whose drawn tick labels are rewritten afterwards (``ax.set_yticks(ticks, labels)``)."""
    ax = draw_horizontal(chart, height=9)
    ticks = ax.get_yticks()
    ax.set_yticks(ticks, [rename(t.get_text(), i) for i, t in enumerate(ax.get_yticklabels())])
    return ax


def _text_ticks(chart: Chart, rename: Callable[[list[str]], list[str]] | None) -> Any:
    """A line chart with text x whose tick labels are rewritten afterwards (or, with no
    ``rename``, thinned to every third one)."""
    ax = draw_matplotlib(chart, str)
    ticks, names = list(ax.get_xticks()), [t.get_text() for t in ax.get_xticklabels()]
    if rename is None:
        ax.set_xticks(ticks[::3])
    else:
        ax.set_xticks(ticks, rename(names))
    return ax


def _legend_bars(chart: Chart, names: list[str] | None = None) -> Any:
    """One bar per category, named by a legend (hue=) instead of tick labels."""
    _, ax = plt.subplots(figsize=(10, 5))
    ax = sns.barplot(data=_long(chart), hue="x", y="y", legend=True, ax=ax)
    if names is not None:
        for text, name in zip(ax.get_legend().get_texts(), names):
            text.set_text(name)
    return _finish(ax, chart, legend=False)


# ----------------------------------------------------------------------------- keep-pass transforms
def _with_references(chart: Chart) -> Any:
    ax = draw_matplotlib(chart)
    ys = [y for _, points in chart.series for _, y in points]
    xs = [x for x, _ in chart.series[0][1]]
    ax.axhline(sum(ys) / len(ys), color="grey", linestyle=":")
    if not chart.bar:
        ax.axvline(xs[len(xs) // 2], color="grey")
        ax.axvspan(xs[1], xs[2], alpha=0.2)
    ax.annotate("note", xy=(0.1, 0.9), xycoords="axes fraction")
    if chart.bar:
        ax.bar_label(ax.containers[0])
    return ax


def _direct_labels(chart: Chart) -> Any:
    _, ax = plt.subplots()
    span = max(y for _, p in chart.series for _, y in p) - min(y for _, p in chart.series for _, y in p)
    for i, ((label, points), (marker, style)) in enumerate(zip(chart.series, STYLES)):
        xs, ys = [x for x, _ in points], [y for _, y in points]
        ax.plot(xs, ys, marker=marker, linestyle=style)
        ax.text(xs[-1], ys[-1] + (i - 0.5) * 0.04 * span, f" {label}", va="center")
    return _finish(ax, chart, legend=False)


def _second_subplot(chart: Chart, give_figure: bool) -> Any:
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
    left.set_axis_off()
    ax = draw_matplotlib(chart, ax=right)
    return fig if give_figure else ax


def _facet(chart: Chart) -> Any:
    g = sns.relplot(data=_long(chart), x="x", y="y", hue="group", style="group", kind="line", markers=True)
    g.set_axis_labels(chart.xlabel, chart.ylabel)
    g.ax.set_title(chart.title)
    if chart.legend_title:
        g.legend.set_title(chart.legend_title)
    return g


def _wrapped(chart: Chart) -> Any:
    df = _long(chart).assign(x=lambda d: d["x"].map(lambda s: textwrap.fill(str(s), 10)))
    _, ax = plt.subplots(figsize=(14, 5))
    ax = sns.barplot(data=df, x="x", y="y", color="#0072B2", ax=ax)
    return _finish(ax, chart, legend=False)


#: Legend wordings a learner may use for each series (the issue's cases, and each series' words).
PARAPHRASES: dict[str, list[tuple[dict[str, str], str]]] = {
    "q1_4": [
        ({"female": "F", "male": "M"}, "sex"),
        ({"female": "women", "male": "men"}, ""),
        ({"female": "female arrivals", "male": "male arrivals"}, ""),
    ],
    "q3_3": [
        ({"confirmed": "confirmed", "reported": "not confirmed"}, ""),
        ({"confirmed": "confirmed", "reported": "unconfirmed"}, ""),
        ({"confirmed": "Confirmed", "reported": "Reported (not confirmed)"}, ""),
    ],
    "q4_4": [
        ({"successful_escapes": "all escapes", "of_which_non_returners": "escapes by non-returners"}, ""),
        (
            {
                "successful_escapes": "successful escapes",
                "of_which_non_returners": "of which: stayed after a permitted trip",
            },
            "",
        ),
    ],
    "q5_4": [
        ({"10 years": "ten years", "15 years": "fifteen years"}, ""),
        ({"10 years": "10y", "15 years": "15y"}, ""),
        ({"10 years": "10-year window", "15 years": "15-year window"}, ""),
    ],
}


def _ordered(qid: str, labels: dict[str, str], chart: Chart) -> list[str]:
    """The paraphrase of each of the chart's series, in the chart's order."""
    return [labels[name] for name in _names(qid, chart)]


def _names(qid: str, chart: Chart) -> list[str]:
    from defection_course.checks.figures import series_name

    rules = QUESTIONS[qid].figure
    return [series_name(rules, label, chart.legend_title) or "" for label, _ in chart.series]


def keep_pass(qid: str, chart: Chart) -> dict[str, Callable[[], Any]]:
    out: dict[str, Callable[[], Any]] = {
        "seaborn": lambda: draw_seaborn(chart),
        "matplotlib": lambda: draw_matplotlib(chart),
        "pandas": lambda: draw_pandas(chart),
        "reference lines, span, annotation": lambda: _with_references(chart),
        "title states a short point": lambda: _finish(
            draw_matplotlib(chart), replace(chart, title="2016 peak")
        ),
        "title of two words": lambda: _finish(
            draw_matplotlib(chart), replace(chart, title="Women predominate")
        ),
    }
    if chart.bar:
        out["horizontal bars"] = lambda: draw_horizontal(chart)
        out["wrapped labels that do not overlap"] = lambda: _wrapped(chart)
        out["matplotlib horizontal, Figure passed"] = lambda: draw_horizontal(chart).get_figure()
        out["names in capitals"] = lambda: draw_horizontal(_renamed(chart, lambda x, _: str(x).upper()))
        out["names re-spaced and punctuated"] = lambda: draw_horizontal(
            _renamed(chart, lambda x, _: f" {str(x).title().replace(' ', '  ')} .")
        )
        out["names wrapped at 8 characters"] = lambda: draw_horizontal(
            _renamed(chart, lambda x, _: textwrap.fill(str(x), 8)), height=9
        )
        out["names abbreviated (first word, five letters)"] = lambda: draw_horizontal(
            _renamed(chart, lambda x, _: _short(x))
        )
        out["abbreviated names, vertical bars"] = lambda: draw_matplotlib(
            _renamed(chart, lambda x, _: _short(x))
        )
        out["a legend instead of tick labels"] = lambda: _legend_bars(chart)
        out["tick labels rewritten afterwards, wrapped"] = lambda: _ticks_renamed(
            chart, lambda t, _: textwrap.fill(t, 12)
        )
        out["categories in another order (by height)"] = lambda: draw_horizontal(
            replace(
                chart, series=tuple((lab, tuple(sorted(p, key=lambda q: q[1]))) for lab, p in chart.series)
            )
        )
        return out
    out.update(
        {
            "matplotlib text x": lambda: draw_matplotlib(chart, str),
            "seaborn text x": lambda: draw_seaborn(chart, str),
            "pandas text x": lambda: draw_pandas(chart, str),
            "matplotlib date x": lambda: draw_matplotlib(
                chart, lambda x: pd.Timestamp(year=int(x), month=1, day=1)
            ),
            "seaborn date x": lambda: draw_seaborn(
                chart, lambda x: pd.Timestamp(year=int(x), month=12, day=31)
            ),
            "pandas date x": lambda: draw_pandas(chart, lambda x: pd.Timestamp(year=int(x), month=1, day=1)),
            "float x": lambda: draw_matplotlib(chart, float),
            "direct labels at the line ends": lambda: _direct_labels(chart),
            "second subplot, Axes passed": lambda: _second_subplot(chart, False),
            "second subplot, Figure passed": lambda: _second_subplot(chart, True),
            "Figure passed": lambda: draw_seaborn(chart).get_figure(),
            "FacetGrid (relplot)": lambda: _facet(chart),
            "x as text with a note after the year": lambda: draw_matplotlib(chart, lambda x: f"{x} (data)"),
            "text x, every third tick label shown": lambda: _text_ticks(chart, None),
            "x as text with a Korean year suffix": lambda: draw_matplotlib(chart, lambda x: f"{x}\ub144"),
        }
    )
    for i, (labels, title) in enumerate(PARAPHRASES.get(qid, [])):
        relabelled = _relabel(chart, _ordered(qid, labels, chart), title)
        out[f"legend paraphrase {i}: {sorted(labels.values())}"] = lambda c=relabelled: draw_matplotlib(c)
    return out


# ----------------------------------------------------------------------------- must-refuse transforms
def _shuffle(xs: list[Any], ys: list[float]) -> tuple[list[Any], list[float]]:
    order = list(range(len(ys)))
    rng = random.Random(18)
    while order in (list(range(len(ys))), list(reversed(range(len(ys))))):
        rng.shuffle(order)
    return xs, [ys[i] for i in order]


def must_refuse(qid: str, chart: Chart) -> dict[str, Callable[[], Any]]:
    x_plus_one = _map_points(
        chart, lambda xs, ys: ([x + 1 for x in xs] if not chart.bar else xs[1:] + xs[:1], ys)
    )
    reversed_x = _map_points(chart, lambda xs, ys: (xs, list(reversed(ys))))
    shuffled = _map_points(chart, _shuffle)
    y_sorted = _map_points(chart, lambda xs, ys: (xs, sorted(ys)))
    out: dict[str, Callable[[], Any]] = {
        "x shifted by one": lambda: draw_matplotlib(x_plus_one),
        "x reversed": lambda: draw_seaborn(reversed_x),
        "x shuffled against y": lambda: draw_matplotlib(shuffled),
        "y sorted": lambda: draw_matplotlib(y_sorted),
        "axis labels swapped": lambda: _finish(
            draw_matplotlib(chart), replace(chart, xlabel=chart.ylabel, ylabel=chart.xlabel)
        ),
        "axis labels x and y": lambda: _finish(
            draw_matplotlib(chart), replace(chart, xlabel="x", ylabel="y")
        ),
        "title 'my line chart'": lambda: _finish(
            draw_matplotlib(chart), replace(chart, title="my line chart")
        ),
        "title 'a b c'": lambda: _finish(draw_matplotlib(chart), replace(chart, title="a b c")),
        "empty axis label": lambda: _finish(draw_matplotlib(chart), replace(chart, ylabel="")),
    }
    if chart.bar:
        out["category labels overlap (no rotation)"] = lambda: _finish(
            sns.barplot(data=_long(chart), x="x", y="y", color="#0072B2"), chart, legend=False
        )
        out["plotted against 0..n (no categories)"] = lambda: _finish(
            plt.subplots()[1]
            .bar(range(len(chart.series[0][1])), [y for _, y in chart.series[0][1]])
            .patches[0]
            .axes,
            chart,
            legend=False,
        )
        names = [str(x) for x, _ in chart.series[0][1]]
        out["names replaced by a, b, c, ..."] = lambda: draw_seaborn(
            _renamed(chart, lambda _, i: chr(97 + i))
        )
        out["names replaced by other words"] = lambda: draw_horizontal(
            _renamed(chart, lambda _, i: f"group {i + 1}")
        )
        out["abbreviated names moved one bar along"] = lambda: draw_horizontal(
            _renamed(chart, lambda _, i: _moved_along([_short(n) for n in names])[i])
        )
        out["legend names moved one bar along"] = lambda: _legend_bars(chart, _moved_along(names))
        out["tick labels rewritten afterwards as a, b, c, ..."] = lambda: _ticks_renamed(
            chart, lambda _, i: chr(97 + i)
        )
        out["tick labels rewritten afterwards, moved one bar along"] = lambda: _ticks_renamed(
            chart, lambda _, i: _moved_along(names)[i]
        )
        out["tick labels removed"] = lambda: _ticks_renamed(chart, lambda _, i: "")
        out["legend names replaced by a, b, c, ..."] = lambda: _legend_bars(
            chart, [chr(97 + i) for i in range(len(names))]
        )
        return out
    against_positions = _map_points(chart, lambda xs, ys: (list(range(len(xs))), ys))
    swapped = _relabel(chart, [label for label, _ in reversed(chart.series)])
    out.update(
        {
            "plotted against 0..n": lambda: draw_matplotlib(against_positions),
            "legend labels swapped": lambda: draw_matplotlib(swapped),
            "legend labels content-free": lambda: draw_matplotlib(
                _relabel(chart, ["a", "b", "c", "d"][: len(chart.series)])
            ),
            "no legend": lambda: draw_matplotlib(chart, legend=False),
            "x replaced by other text": lambda: draw_matplotlib(_renamed(chart, lambda _, i: f"t{i}")),
            "text x, tick labels rewritten one step on": lambda: _text_ticks(chart, _moved_along),
            "text x, tick labels rewritten as other text": lambda: _text_ticks(
                chart, lambda names: [f"t{i}" for i in range(len(names))]
            ),
            "legend labels 'line 1', 'line 2'": lambda: draw_matplotlib(
                _relabel(chart, [f"line {i + 1}" for i in range(len(chart.series))])
            ),
            "legend labels 'group A', 'group B'": lambda: draw_matplotlib(
                _relabel(chart, [f"group {chr(65 + i)}" for i in range(len(chart.series))])
            ),
        }
    )
    return out


def _cases(kind: str) -> list[tuple[str, str]]:
    out = []
    for qid in FIGURES:
        chart = solution_chart(qid)
        family = keep_pass(qid, chart) if kind == "keep" else must_refuse(qid, chart)
        out += [(qid, name) for name in family]
    return out


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_every_figure_question_has_both_families():
    keep, refuse = _cases("keep"), _cases("refuse")
    for qid in FIGURES:
        assert sum(q == qid for q, _ in keep) >= 12 or QUESTIONS[qid].figure.kind == "bar", qid
        assert sum(q == qid for q, _ in refuse) >= 10, qid
    assert set(FIGURES) >= {"q1_4", "q2_4", "q3_3", "q4_4", "q5_4"}


@pytest.mark.filterwarnings("ignore:Glyph")  # Hangul labels: DejaVu Sans has no glyphs for them
@pytest.mark.parametrize(("qid", "name"), _cases("keep"))
def test_a_right_figure_drawn_another_way_passes(qid, name):
    r = result_for(qid, keep_pass(qid, solution_chart(qid))[name]())
    assert r.status == PASSED, (qid, name, r)


@pytest.mark.parametrize(("qid", "name"), _cases("refuse"))
def test_a_changed_figure_is_refused_with_a_reason(qid, name):
    r = result_for(qid, must_refuse(qid, solution_chart(qid))[name]())
    assert r.status != PASSED, (qid, name, r)
    assert r.message and "accepted" not in r.message


def test_the_solution_redrawn_as_is_passes():
    """The generator itself is honest: the unchanged points, redrawn, pass for every question."""
    for qid in FIGURES:
        assert result_for(qid, draw_matplotlib(solution_chart(qid))).status == PASSED, qid
        plt.close("all")


@pytest.mark.filterwarnings("ignore:Glyph")
def test_a_figure_note_reaches_the_check_cell_and_the_feedback_file(capsys):
    """A note from a figure check (labels in a script the check cannot read: it passes, unsure) is
    printed under the check cell and written into the student's feedback by the same formatter,
    after the grader's round trip of results through JSON."""
    from dataclasses import asdict

    from defection_course.checks import check
    from defection_course.checks.spec import Result
    from defection_course.grading.reports import feedback_markdown
    from defection_course.grading.runner import Graded

    qid = next(q for q in FIGURES if QUESTIONS[q].figure.kind == "bar")
    chart = solution_chart(qid)
    hangul = [chr(0xAC00 + 37 * i) + chr(0xAC01 + 53 * i) for i in range(len(chart.series[0][1]))]
    drawn = draw_horizontal(_renamed(chart, lambda _, i: hangul[i]))
    r = result_for(qid, drawn)
    assert r.status == PASSED and r.note and r.flags, r
    check(qid, drawn)
    printed = capsys.readouterr().out
    assert f"Note: {r.note}" in printed
    round_trip = Result(**json.loads(json.dumps(asdict(r))))
    text = feedback_markdown(Graded("s1", "graded", {qid: round_trip}), [QUESTIONS[qid]], "lesson")
    assert "Note:" in text and "cannot read the labels" in text
