"""Show a figure in a notebook with alt text and a caption, reproducibly.

Every course figure goes through :func:`show`, which

* renders the figure to PNG with no version stamp, so the bytes are identical on every run;
* attaches the alt text to the output's metadata (``{"image/png": {"alt": ...}}``) and
  uses it as the plain-text fallback, so screen readers and text-only views get it;
* adds the one-sentence caption as Markdown under the image;
* closes the figure, so Jupyter does not display it a second time.
"""

from __future__ import annotations

import base64
import io
from typing import Any

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .errors import CourseError


def as_figure(obj: Any) -> Figure:
    """Return the matplotlib Figure behind a Figure, Axes, seaborn grid or array of Axes."""
    if isinstance(obj, Figure):
        return obj
    if isinstance(obj, Axes):
        return obj.get_figure()
    fig = getattr(obj, "figure", None) or getattr(obj, "fig", None)
    if isinstance(fig, Figure):
        return fig
    try:
        first = obj.flat[0]  # numpy array of Axes from plt.subplots
    except (AttributeError, IndexError, TypeError):
        first = None
    if isinstance(first, Axes):
        return first.get_figure()
    raise CourseError(f"Expected a matplotlib figure or axes, got {type(obj).__name__}.")


def figure_png(obj: Any, close: bool = True) -> bytes:
    """Render a figure to PNG bytes that are identical on every run."""
    fig = as_figure(obj)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight", metadata={"Software": None})
    if close:
        plt.close(fig)
    return buf.getvalue()


def show(obj: Any, alt: str, caption: str | None = None) -> None:
    """Display a figure with alt text (required) and an optional one-sentence caption.

    ``alt`` describes what the figure shows for someone who cannot see it: the kind of
    chart, the variables and the main pattern.  ``caption`` states the point of the figure.
    """
    from IPython.display import display

    if not isinstance(alt, str) or len(alt.strip()) < 10:
        raise CourseError(
            "show() needs alt text: a sentence describing the figure for readers who cannot see it."
        )
    png = figure_png(obj)
    display(
        {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": f"[Figure: {alt.strip()}]"},
        raw=True,
        metadata={"image/png": {"alt": alt.strip()}},
    )
    if caption:
        display({"text/markdown": f"*{caption.strip()}*", "text/plain": caption.strip()}, raw=True)
