"""Read a live matplotlib Axes back into data: what each point's x is, and what the reader sees.

Runs where the figure lives (the learner's kernel, or the key builder's), for :mod:`describe`.
Matplotlib stores plotted data as numbers: text x values become category positions, dates
become day numbers, pandas turns a date index into period ordinals and a text index into
positions 0..n-1 labelled through a formatter. :func:`x_reader` undoes each of these, so a
point's x is read as the learner gave it (a year, a date, a category name). Drawing the
canvas gives the rendered tick labels, whose bounding boxes decide whether they overlap.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from itertools import pairwise
from typing import Any

Scalar = float | str | None


def _finite(v: Any) -> bool:
    try:
        return math.isfinite(float(v))
    except (TypeError, ValueError):
        return False


def _date_text(value: Any) -> str:
    """An ISO date-time without time zone (what :func:`figures.x_key` reads back)."""
    import pandas as pd

    return pd.Timestamp(value).tz_localize(None).isoformat()


def x_reader(axis: Any) -> Callable[[float], Scalar]:
    """A function from a position on ``axis`` (a number) to the value the learner plotted there."""
    import matplotlib.dates as mdates
    from matplotlib.category import StrCategoryConverter
    from matplotlib.ticker import FixedFormatter, FuncFormatter

    getter = getattr(axis, "get_converter", None)
    converter = getter() if getter is not None else getattr(axis, "converter", None)
    if isinstance(converter, StrCategoryConverter):
        mapping = getattr(axis.get_units(), "_mapping", {}) or {}
        names = {float(pos): str(name) for name, pos in mapping.items()}
        return lambda v: names.get(float(v), float(v))
    if type(converter).__name__ == "PeriodConverter":
        import pandas as pd

        freq = getattr(axis.axes, "freq", None) or getattr(axis.get_major_formatter(), "freq", None)
        if freq is not None:
            return lambda v: _date_text(pd.Period(ordinal=round(v), freq=freq).start_time)
    if isinstance(converter, (mdates.DateConverter, mdates.ConciseDateConverter)) or (
        type(converter).__name__ == "_SwitchableDateConverter"
    ):
        return lambda v: _date_text(mdates.num2date(v))
    formatter = axis.get_major_formatter()
    if isinstance(formatter, FixedFormatter):
        labels = {float(loc): str(text) for loc, text in zip(axis.get_majorticklocs(), formatter.seq)}
        return lambda v: labels.get(float(v)) or float(v)
    func = getattr(formatter, "func", None)
    args = getattr(func, "args", None)
    if isinstance(formatter, FuncFormatter) and args:
        table = args[0]  # set_ticklabels(...): matplotlib's partial(_format_with_dict, {loc: label})
        if isinstance(table, dict):
            named = {float(loc): str(text) for loc, text in table.items() if str(text).strip()}
            return _labelled(named)
    return float


def _labelled(named: dict[float, str]) -> Callable[[float], Scalar]:
    """Positions named by tick labels; numbers between labelled ticks follow their steady step.

    pandas draws a text index at positions 0..n-1 and labels only the ticks it shows (2002 at
    0, 2007 at 5, ...): when those labels are numbers with one steady step, every position
    is read on that scale.
    """
    try:
        numbers = sorted(
            (loc, float(text.replace(",", "").replace("\u2212", "-"))) for loc, text in named.items()
        )
    except ValueError:
        numbers = []
    best: list[tuple[float, float]] = []
    for (l0, v0), (l1, v1) in pairwise(numbers):  # a steady step, allowing one stray label
        slope = (v1 - v0) / (l1 - l0)
        fits = [(loc, v) for loc, v in numbers if abs(v0 + slope * (loc - l0) - v) < 1e-6]
        if len(fits) > len(best):
            best = fits
    if len(best) >= 2 and len(best) >= len(numbers) - 1:
        (a0, b0), (a1, b1) = best[0], best[1]
        step = (b1 - b0) / (a1 - a0)
        return lambda v: b0 + step * (float(v) - a0)
    return lambda v: named.get(float(v)) or float(v)


def _relabelled(axis: Any) -> dict[float, str]:
    """On a category axis whose tick labels the learner rewrote (``set_xticklabels``), the text
    each tick shows, by position (empty for an axis showing the categories' own names)."""
    from matplotlib.category import StrCategoryConverter, StrCategoryFormatter

    getter = getattr(axis, "get_converter", None)
    converter = getter() if getter is not None else getattr(axis, "converter", None)
    if not isinstance(converter, StrCategoryConverter) or isinstance(
        axis.get_major_formatter(), StrCategoryFormatter
    ):
        return {}
    return {
        round(float(loc), 6): label.get_text()
        for loc, label in zip(axis.get_majorticklocs(), axis.get_ticklabels())
        if label.get_visible() and label.get_text().strip()
    }


def line_x(ax: Any, line: Any, limit: int) -> list[Scalar]:
    """Each point's x as the learner gave it (text and dates kept, category positions named; a
    text x under a rewritten tick label read as that label, which is what a reader sees)."""
    import numpy as np

    orig = np.asarray(line.get_xdata(orig=True))[:limit]
    if orig.dtype.kind in "OUS":
        numeric = [isinstance(v, (int, float, np.number)) and not isinstance(v, bool) for v in orig]
        if not all(numeric):
            given = [_date_text(v) if hasattr(v, "isoformat") else str(v) for v in orig]
            shown = _relabelled(ax.xaxis)
            if not shown:
                return list(given)
            positions = np.asarray(line.get_xdata(orig=False))[:limit]
            return [shown.get(round(float(p), 6), g) if _finite(p) else g for p, g in zip(positions, given)]
    if orig.dtype.kind == "M":
        return [_date_text(v) if not np.isnat(v) else None for v in orig]
    read = x_reader(ax.xaxis)
    return [read(float(v)) if _finite(v) else None for v in np.asarray(line.get_xdata(orig=False))[:limit]]


def bar_categories(ax: Any, patches: list[Any], horizontal: bool) -> list[Scalar]:
    """Where each bar stands, read on its category axis (y for horizontal bars)."""
    if horizontal:
        read = x_reader(ax.yaxis)
        return [read(p.get_y() + p.get_height() / 2) for p in patches]
    read = x_reader(ax.xaxis)
    return [read(p.get_x() + p.get_width() / 2) for p in patches]


def bar_ticks(ax: Any, patches: list[Any], horizontal: bool) -> list[str] | None:
    """The tick label a reader sees under (or beside) each bar of a category axis, "" where there
    is none; None for other axes (numbers, dates: their ticks need not sit on the bars).

    ``set_xticklabels`` renames the ticks, ``set_xticks([])`` removes them: the data's category
    names stay in the axis's units, so the drawn labels are read apart from them.
    """
    from matplotlib.category import StrCategoryConverter

    axis = ax.yaxis if horizontal else ax.xaxis
    getter = getattr(axis, "get_converter", None)
    if not isinstance(
        getter() if getter is not None else getattr(axis, "converter", None), StrCategoryConverter
    ):
        return None
    shown = {
        round(float(loc), 6): label.get_text()
        for loc, label in zip(axis.get_majorticklocs(), axis.get_ticklabels())
        if label.get_visible()
    }
    centres = [
        p.get_y() + p.get_height() / 2 if horizontal else p.get_x() + p.get_width() / 2 for p in patches
    ]
    return [str(shown.get(round(float(c), 6), "")) for c in centres]


def _renderer(fig: Any) -> Any:
    fig.canvas.draw()
    get = getattr(fig.canvas, "get_renderer", None)
    return get() if get is not None else fig._get_renderer()


def draw(fig: Any) -> Any:
    """Draw the figure (so tick labels and text positions are final); the renderer, or None."""
    try:
        return _renderer(fig)
    except Exception:  # a figure that cannot be drawn is still read, without geometry
        return None


def _corners(text: Any, renderer: Any) -> list[tuple[float, float]]:
    """The four corners of a rendered text's (possibly rotated) box, in display pixels."""
    box = text.get_window_extent(renderer)
    cx, cy = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
    a = math.radians(text.get_rotation())
    try:  # measure the same text unrotated (then restore it): the rotated box shares its centre
        text.set_rotation(0)
        flat = text.get_window_extent(renderer)
        w, h = float(flat.width), float(flat.height)
    except Exception:
        return [(box.x0, box.y0), (box.x1, box.y0), (box.x1, box.y1), (box.x0, box.y1)]
    finally:
        text.set_rotation(math.degrees(a))
    u, v = (math.cos(a), math.sin(a)), (-math.sin(a), math.cos(a))
    return [
        (cx + su * w / 2 * u[0] + sv * h / 2 * v[0], cy + su * w / 2 * u[1] + sv * h / 2 * v[1])
        for su, sv in ((-1, -1), (1, -1), (1, 1), (-1, 1))
    ]


def _separated(p: list[tuple[float, float]], q: list[tuple[float, float]], margin: float = 1.0) -> bool:
    """Whether two convex boxes are apart (separating-axis test), allowing ``margin`` pixels."""
    for poly in (p, q):
        for i in range(4):
            (x0, y0), (x1, y1) = poly[i], poly[(i + 1) % 4]
            nx, ny = y0 - y1, x1 - x0
            norm = math.hypot(nx, ny) or 1.0
            a = [(x * nx + y * ny) / norm for x, y in p]
            b = [(x * nx + y * ny) / norm for x, y in q]
            if min(max(a), max(b)) - max(min(a), min(b)) <= margin:
                return True
    return False


def labels_overlap(axis: Any, renderer: Any) -> bool | None:
    """Whether any two rendered tick labels of an axis overlap, rotated boxes compared as drawn."""
    if renderer is None:
        return None
    boxes = [_corners(t, renderer) for t in axis.get_ticklabels() if t.get_visible() and t.get_text().strip()]
    return any(not _separated(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def _to_axes(ax: Any, display: Any) -> list[float]:
    return [round(float(v), 4) for v in ax.transAxes.inverted().transform(display)]


def line_ends(ax: Any, line: Any) -> list[list[float]]:
    """The first and last drawn point of a line, in axes fractions (0-1 inside the plot)."""
    import numpy as np

    xy = np.asarray(line.get_xydata(), dtype=float)
    xy = xy[np.isfinite(xy).all(axis=1)] if xy.ndim == 2 and len(xy) else xy
    if not len(xy):
        return []
    shown = line.get_transform().transform(xy[[0, -1]])
    return [_to_axes(ax, p) for p in shown]


def texts(ax: Any, renderer: Any) -> list[dict[str, Any]]:
    """Free text on the Axes (``ax.text``/``annotate``): its words and its box in axes fractions."""
    out = []
    for t in ax.texts[:100]:
        text = t.get_text().strip()
        if not text or not t.get_visible() or renderer is None:
            continue
        box = t.get_window_extent(renderer)
        out.append(
            {"text": text[:200], "box": _to_axes(ax, (box.x0, box.y0)) + _to_axes(ax, (box.x1, box.y1))}
        )
    return out


def legend_title(ax: Any) -> str:
    """The title of the Axes' legend (or of a figure legend, as seaborn's relplot draws)."""
    for legend in [ax.get_legend(), *getattr(ax.get_figure(), "legends", [])]:
        if legend is not None and legend.get_title().get_text().strip():
            return str(legend.get_title().get_text())
    return ""
