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
import sys
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


def redraw_png(obj: Any, close: bool = True) -> bytes | None:
    """Render a figure to PNG quickly, for an interactive's redraw (not for stored outputs);
    None if the figure draws past its edges (then use :func:`figure_png`, which crops to fit).

    One pass of the canvas (layout engine and drawing together) at 100 dpi, then a fast PNG
    compression: about a third less time than :func:`figure_png`, whose ``bbox_inches="tight"``
    lays the figure out and draws it twice. The image keeps the figure's own size, which the
    course's constrained layout (``charts.new_figure``) fills; content drawn past an edge anyway
    (a title wider than its axes, say) is detected (:func:`overflow`) rather than cut off. The
    bytes are identical on every run.
    """
    from PIL import Image

    fig = as_figure(obj)
    fig.set_dpi(100)
    fig.canvas.draw()
    png = None
    if not overflow(fig):
        width, height = fig.canvas.get_width_height(physical=True)
        image = Image.frombuffer("RGBA", (width, height), fig.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buf = io.BytesIO()
        image.save(buf, format="png", compress_level=1)
        png = buf.getvalue()
    if close:
        plt.close(fig)
    return png


def overflow(fig: Figure) -> list[str]:
    """The edges (left, bottom, right, top) past which a drawn figure's content reaches, by more
    than half a pixel."""
    box = fig.get_tightbbox(fig.canvas.get_renderer())  # in inches
    width, height = fig.get_size_inches()
    tol = 0.5 / fig.dpi
    past = {"left": box.x0 < -tol, "bottom": box.y0 < -tol, "right": box.x1 > width + tol}
    past["top"] = box.y1 > height + tol
    return [edge for edge, out in past.items() if out]


def alt_text_problem(alt: Any) -> str | None:
    """What is wrong with an alt text (None if it is a real description)."""
    if not isinstance(alt, str):
        return f"alt should be text describing the figure, not {type(alt).__name__}."
    text = alt.strip()
    if not text.strip(". "):
        return 'alt is a placeholder ("..."): replace it with a sentence describing the figure.'
    if len(text) < 20:
        return (
            f"alt text {text!r} is very short: describe the chart, what it measures and its main "
            "pattern, for readers who cannot see it."
        )
    return None


def show(obj: Any, alt: str, caption: str | None = None) -> None:
    """Display a figure with alt text (required) and an optional one-sentence caption.

    ``alt`` describes what the figure shows for someone who cannot see it: the kind of
    chart, the variables and the main pattern.  ``caption`` states the point of the figure.
    """
    from IPython.display import display

    problem = alt_text_problem(alt)
    if problem:
        # Warn, do not stop: a placeholder copied from an instruction must not cost the learner
        # the rest of a Run All.
        print(f"Note on show(): {problem}", file=sys.stderr)
        alt = (
            alt.strip()
            if isinstance(alt, str) and alt.strip().strip(".")
            else "A figure (no description given)."
        )
    png = figure_png(obj)
    display(
        {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": f"[Figure: {alt.strip()}]"},
        raw=True,
        metadata={"image/png": {"alt": alt.strip()}},
    )
    if caption:
        display({"text/markdown": f"*{caption.strip()}*", "text/plain": caption.strip()}, raw=True)
