"""Turn whatever a learner assigned to an answer variable into plain JSON-able data.

Checks never look at the learner's objects directly: they look at this description. The
same description is produced inside a learner's kernel by the grader, sent out as JSON
and evaluated in the grader's own process, so a submission cannot tamper with the checks.
"""

from __future__ import annotations

import math
import numbers
from typing import Any, SupportsFloat, cast

from . import figure_reading as R

MAX_ROWS = 2000
MAX_ITEMS = 2000


def _scalar(value: Any) -> Any:
    """A JSON-safe version of a scalar (numbers, text, missing values)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        f = float(value)
        return None if math.isnan(f) else f
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError, ImportError):
        pass
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _figure(obj: Any) -> dict[str, Any] | None:
    try:
        import numpy as np
        from matplotlib.axes import Axes
        from matplotlib.figure import Figure, SubFigure
    except ImportError:  # pragma: no cover
        return None
    fig: Figure | SubFigure | None = None
    if isinstance(obj, Figure):
        fig = obj
    elif isinstance(obj, Axes):
        fig = obj.get_figure()
    elif isinstance(getattr(obj, "figure", None), Figure):  # seaborn FacetGrid and friends
        fig = obj.figure
    else:
        try:
            first = obj.flat[0]
            if isinstance(first, Axes):
                fig = first.get_figure()
        except (AttributeError, IndexError, TypeError):
            fig = None
    if fig is None:
        return None
    passed = fig.get_axes().index(obj) if isinstance(obj, Axes) and obj in fig.get_axes() else None
    renderer = R.draw(fig)
    axes = []
    for ax in fig.get_axes():
        lines = []
        for line in ax.get_lines():
            # whatever the plot was given (list, array, Series): read as it is
            xs: Any = line.get_xdata()
            ys: Any = line.get_ydata()
            label = str(line.get_label())
            if len(xs) < 2 and not label.startswith("_"):
                continue
            if label.startswith("_child") and len(xs) < 2:
                continue
            lines.append(
                {
                    "label": label,
                    "x": [_scalar(v) for v in list(xs)[:MAX_ITEMS]],
                    "y": [_scalar(v) for v in list(ys)[:MAX_ITEMS]],
                    "px": R.line_x(ax, line, MAX_ITEMS),
                    "ends": R.line_ends(ax, line),
                    "marker": str(line.get_marker()),
                    "linestyle": str(line.get_linestyle()),
                    "color": _colour(line.get_color()),
                }
            )
        bars = []
        for container in getattr(ax, "containers", []):
            patches = list(getattr(container, "patches", []) or [])
            if not patches:
                continue
            horizontal = getattr(container, "orientation", None) == "horizontal"
            bars.append(
                {
                    "label": str(container.get_label()),
                    "color": _colour(patches[0].get_facecolor()),
                    "orientation": "horizontal" if horizontal else "vertical",
                    "x": [_scalar(p.get_x() + p.get_width() / 2) for p in patches],
                    "height": [_scalar(p.get_height()) for p in patches],
                    "width": [_scalar(p.get_width()) for p in patches],
                    "categories": R.bar_categories(ax, patches, horizontal),
                    "ticks": R.bar_ticks(ax, patches, horizontal),
                    "hatch": [str(p.get_hatch() or "") for p in patches][:1],
                }
            )
        collections = [
            {"n": len(np.asarray(c.get_offsets()))} for c in ax.collections if hasattr(c, "get_offsets")
        ]
        legend = ax.get_legend()
        axes.append(
            {
                "xlabel": ax.get_xlabel(),
                "ylabel": ax.get_ylabel(),
                "title": ax.get_title(),
                "lines": lines,
                "bars": bars,
                "scatter": collections,
                "legend": [t.get_text() for t in legend.get_texts()] if legend else [],
                "legend_entries": _legend_entries(ax),
                "yscale": ax.get_yscale(),
                "xticklabels": [t.get_text() for t in ax.get_xticklabels()][:200],
                "xtickrotation": [float(t.get_rotation()) for t in ax.get_xticklabels()][:1],
                "yticklabels": [t.get_text() for t in ax.get_yticklabels()][:200],
                "xtick_overlap": R.labels_overlap(ax.xaxis, renderer),
                "ytick_overlap": R.labels_overlap(ax.yaxis, renderer),
                "texts": R.texts(ax, renderer),
                "legend_title": R.legend_title(ax),
            }
        )
    title = getattr(fig, "_suptitle", None)  # matplotlib has no public getter for it
    suptitle = title.get_text() if title else ""
    out: dict[str, Any] = {"type": "figure", "axes": axes, "suptitle": suptitle}
    if passed is not None:
        out["passed"] = passed  # the index of the Axes the learner gave (checks read that one)
    return out


def _colour(value: Any) -> str:
    from matplotlib.colors import to_hex

    try:
        return to_hex(value)
    except (TypeError, ValueError):
        return str(value)


def _legend_entries(ax: Any) -> list[dict[str, str]]:
    """Each legend entry of an Axes (its own legend, or a figure legend as seaborn's relplot draws)."""
    legends = [ax.get_legend(), *getattr(ax.get_figure(), "legends", [])]
    entries: list[dict[str, str]] = []
    for legend in legends:
        if legend is None:
            continue
        for handle, text in zip(getattr(legend, "legend_handles", []), legend.get_texts()):
            if hasattr(handle, "get_marker"):
                entries.append(
                    {
                        "kind": "line",
                        "color": _colour(handle.get_color()),
                        "marker": str(handle.get_marker()),
                        "linestyle": str(handle.get_linestyle()),
                        "text": text.get_text(),
                    }
                )
            elif hasattr(handle, "get_facecolor"):
                entries.append(
                    {"kind": "patch", "color": _colour(handle.get_facecolor()), "text": text.get_text()}
                )
    return entries


def _with_table(desc: dict[str, Any], table: dict[str, Any] | None) -> dict[str, Any]:
    if table is not None:
        desc["table"] = table  # a table given as plain Python (read as one by checks.values)
    return desc


def _cell(value: Any) -> Any:
    return _scalar(value) if not isinstance(value, (list, tuple, dict, set)) else str(value)


def _columns_table(value: dict[Any, Any]) -> dict[str, Any] | None:
    """A dict of equally long columns ({"year": [...], "persons": [...]}) as columns and rows."""
    if not value or len(value) > MAX_ITEMS:
        return None
    columns = []
    inner = [list(v) for v in value.values() if isinstance(v, dict)]
    if inner and len(inner) == len(value) and all(k == inner[0] for k in inner):  # df.to_dict(): by index
        value = {k: list(v.values()) for k, v in value.items()}
    for v in value.values():
        if isinstance(v, (str, bytes, dict)) or not hasattr(v, "__len__") or not hasattr(v, "__iter__"):
            return None
        col = list(v.tolist() if hasattr(v, "tolist") else v)
        columns.append(col)
    if len({len(c) for c in columns}) != 1 or len(columns[0]) > MAX_ROWS:
        return None
    return {
        "columns": [str(k) for k in value],
        "data": [[_cell(c[i]) for c in columns] for i in range(len(columns[0]))],
    }


def _records_table(items: list[Any]) -> dict[str, Any] | None:
    """A list of records with the same keys ([{"year": ..., "persons": ...}, ...]) as columns and rows."""
    if not items or len(items) > MAX_ROWS or not all(isinstance(r, dict) for r in items):
        return None
    keys = list(items[0])
    if not keys or any(set(r) != set(keys) for r in items):
        return None
    return {"columns": [str(k) for k in keys], "data": [[_cell(r[k]) for k in keys] for r in items]}


def describe(value: Any) -> dict[str, Any]:
    """A JSON-able description of an answer (type plus the data a check may need)."""
    if value is Ellipsis:
        return {"type": "missing"}
    if value is None:
        return {"type": "none"}
    if isinstance(value, bool):
        return {"type": "bool", "value": value}
    if isinstance(value, numbers.Number) and not isinstance(value, complex):
        f = float(cast(SupportsFloat, value))  # numbers.Number declares no __float__; real numbers have one
        return {
            "type": "number",
            "value": None if math.isnan(f) else f,
            "nan": math.isnan(f),
            "integer": isinstance(value, numbers.Integral),
        }
    if isinstance(value, str):
        return {"type": "string", "value": value[:20000]}
    import numpy as np  # required by the course (and by matplotlib); imported late: describe runs in kernels
    import pandas as pd

    if value is pd.NA or value is pd.NaT:
        return {"type": "number", "value": None, "nan": True, "na": True, "integer": False}
    if isinstance(value, pd.DataFrame):
        head = value.head(MAX_ROWS)
        return {
            "type": "dataframe",
            "columns": [str(c) for c in value.columns],
            "index_name": str(value.index.name) if value.index.name is not None else None,
            "index": [_scalar(v) for v in head.index],
            "shape": [int(value.shape[0]), int(value.shape[1])],
            "data": [[_scalar(v) for v in row] for row in head.itertuples(index=False)],
        }
    if isinstance(value, pd.Series):
        head = value.head(MAX_ROWS)
        return {
            "type": "series",
            "name": str(value.name),
            "length": len(value),
            "index": [_scalar(v) for v in head.index],
            "values": [_scalar(v) for v in head.tolist()],
        }
    if isinstance(value, np.ndarray):
        flat = value.ravel()[:MAX_ITEMS]
        if value.ndim == 0:
            return describe(value.item())
        return {"type": "sequence", "items": [_scalar(v) for v in flat.tolist()], "length": int(value.size)}
    if isinstance(value, (list, tuple, set, frozenset, range)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else list(value)
        out = {
            "type": "sequence",
            "items": [
                _scalar(v) if not isinstance(v, (list, tuple, dict)) else str(v) for v in items[:MAX_ITEMS]
            ],
            "length": len(items),
        }
        return _with_table(out, _records_table(items))
    if isinstance(value, dict):
        out = {"type": "dict", "keys": [str(k) for k in list(value)[:MAX_ITEMS]]}
        return _with_table(out, _columns_table(value))
    fig = _figure(value)
    if fig is not None:
        return fig
    return {"type": "other", "python_type": type(value).__name__}
