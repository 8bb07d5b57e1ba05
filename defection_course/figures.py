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
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .errors import CourseError

if TYPE_CHECKING:  # matplotlib is imported where a function needs it: the package's import (and
    # with it every `python -m defection_course` command) does not load matplotlib
    from matplotlib.axes import Axes
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure


def _close(fig: Figure) -> None:
    """Close a figure in pyplot (so Jupyter does not display it again)."""
    import matplotlib.pyplot as plt

    plt.close(fig)


def _root(ax: Axes) -> Figure:
    """The top-level Figure an Axes is drawn on (not a SubFigure)."""
    fig = ax.get_figure(root=True)
    if fig is None:
        raise CourseError("These axes belong to no figure: create them with plt.subplots().")
    return fig


def as_figure(obj: Any) -> Figure:
    """Return the matplotlib Figure behind a Figure, Axes, seaborn grid or array of Axes."""
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    if isinstance(obj, Figure):
        return obj
    if isinstance(obj, Axes):
        return _root(obj)
    fig = getattr(obj, "figure", None) or getattr(obj, "fig", None)
    if isinstance(fig, Figure):
        return fig
    try:
        first = obj.flat[0]  # numpy array of Axes from plt.subplots
    except (AttributeError, IndexError, TypeError):
        first = None
    if isinstance(first, Axes):
        return _root(first)
    raise CourseError(f"Expected a matplotlib figure or axes, got {type(obj).__name__}.")


def figure_png(obj: Any, close: bool = True) -> bytes:
    """Render a figure to PNG bytes that are identical on every run."""
    fig = as_figure(obj)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight", metadata={"Software": None})
    if close:
        _close(fig)
    return buf.getvalue()


def redraw_png(obj: Any, close: bool = True) -> bytes | None:
    """Render a figure to PNG quickly, for an interactive's redraw (not for stored outputs);
    None if the figure draws past its edges (then use :func:`figure_png`, which crops to fit).

    One pass of the canvas (layout engine and drawing together) at 100 dpi, then a fast PNG
    compression: about a third less time than :func:`figure_png`, whose ``bbox_inches="tight"``
    lays the figure out and draws it twice. The image keeps the figure's own size, which the
    course's constrained layout (``charts.new_figure``) fills; content drawn past an edge anyway
    (a title wider than its axes, say) is detected (:func:`margins`) rather than cut off. The
    bytes are identical on every run. :class:`Redrawer` also reuses a widget's last layout.
    """
    fig = as_figure(obj)
    png, _ = _draw_fast(fig)
    if close:
        _close(fig)
    return png


def _draw_fast(fig: Figure) -> tuple[bytes | None, tuple[float, ...]]:
    """Draw ``fig`` once; its PNG (None if content reaches past an edge) and :func:`margins`."""
    from PIL import Image

    fig.set_dpi(100)
    canvas = _agg(fig)
    canvas.draw()
    space = margins(fig)
    if min(space) < -0.5:
        return None, space
    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buf = io.BytesIO()
    image.save(buf, format="png", compress_level=1)
    return buf.getvalue(), space


def _agg(fig: Figure) -> FigureCanvasAgg:
    """The figure's Agg canvas (the inline backend's is one; any other is replaced by one)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    return fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)


EDGES = ("left", "bottom", "right", "top")


def margins(fig: Figure) -> tuple[float, ...]:
    """Pixels between each edge of a drawn figure (:data:`EDGES`) and its content (its tight
    bounding box); negative where the content reaches past the edge."""
    box = fig.get_tightbbox(_agg(fig).get_renderer())  # in inches
    width, height = fig.get_size_inches()
    return tuple(float(v) * fig.dpi for v in (box.x0, box.y0, width - box.x1, height - box.y1))


def overflow(fig: Figure) -> list[str]:
    """The edges past which a drawn figure's content reaches, by more than half a pixel."""
    return [edge for edge, space in zip(EDGES, margins(fig), strict=True) if space < -0.5]


def layout_key(fig: Figure) -> tuple[Any, ...]:
    """What decides where a one-axes figure's layout puts its axes: the figure's size and the
    texts around the axes (title, axis labels, the y tick labels, whose width sets the left
    margin). Two figures with the same key get (nearly) the same layout."""
    ax = fig.axes[0]
    size = tuple(round(float(v), 3) for v in fig.get_size_inches())
    ticks = tuple(label.get_text() for label in ax.get_yticklabels())
    return (size, ax.get_title(), ax.get_xlabel(), ax.get_ylabel(), ticks)


class Redrawer:
    """Renders one interactive's figures fast, reusing the layouts of its earlier figures (a
    widget redraws the same chart with other data).

    Constrained layout is about 40% of a draw. A figure with one axes and no figure-level text
    or legend gets the axes position the layout engine gave an earlier figure: the one with the
    same :func:`layout_key` (same size and the same texts around the axes) if the widget drew
    one, else its last figure of the same size. The result is kept only if its margins
    (:func:`margins`) are within :attr:`SLACK` pixels of that laid-out figure's, so nothing is
    cut off and no more than a few pixels of white space move; otherwise the figure is laid
    out afresh (and a widget whose same-size layouts seldom fit stops trying them:
    :meth:`worth_trying`). A figure that draws past its edges even when laid out is rendered
    as the static figures are (:func:`figure_png`, cropped to its content) from then on; the
    course's own charts never do (``charts.set_title`` wraps a long title; a test walks every
    option of every interactive).
    """

    SLACK = 12.0  #: pixels a margin may differ from the laid-out figure's
    KEEP = 32  #: layouts kept per widget (the oldest dropped)

    def __init__(self) -> None:
        self.layouts: OrderedDict[tuple[Any, ...], tuple[Any, tuple[float, ...]]] = OrderedDict()
        self.last_of_size: dict[Any, tuple[Any, ...]] = {}  #: the newest layout key per figure size
        self.crops = False  #: True once a figure drew past its edges: render as figure_png
        self.fits = self.misses = 0  #: reused layouts kept, and thrown away (a wasted draw)

    def worth_trying(self) -> bool:
        """Whether to try another key's layout of the same size: a miss costs a second draw, so a
        widget whose layouts seldom fit (its labels change width with the selection) stops trying
        after three misses unless two in three tries have fitted."""
        return self.misses < 3 or self.fits >= 2 * self.misses

    def saved(self, key: tuple[Any, ...]) -> tuple[Any, tuple[float, ...]] | None:
        """The layout to try for a figure with this key: its own, else the same size's newest."""
        if key in self.layouts:
            return self.layouts[key]
        similar = self.last_of_size.get(key[0])
        return self.layouts.get(similar) if similar is not None and self.worth_trying() else None

    def png(self, make: Callable[[], Figure]) -> bytes:
        """The PNG of the figure ``make()`` draws (called again if a layout must be redone)."""
        if self.crops:
            return figure_png(make())
        fig = make()
        reusable = len(fig.axes) == 1 and not fig.texts and not fig.legends
        key = layout_key(fig) if reusable else ()
        saved = self.saved(key) if reusable else None
        if saved is not None:
            position, laid_out = saved
            fig.set_layout_engine("none")
            fig.axes[0].set_position(position)
            png, space = _draw_fast(fig)
            _close(fig)
            if png is not None and all(
                abs(a - b) <= self.SLACK for a, b in zip(space, laid_out, strict=True)
            ):
                self.fits += 1
                return png
            self.misses += 1
            fig = make()
        png, space = _draw_fast(fig)
        if reusable and png is not None:
            self.remember(key, (fig.axes[0].get_position().frozen(), space))
        _close(fig)
        if png is None:
            self.crops = True
            return figure_png(make())
        return png

    def remember(self, key: tuple[Any, ...], layout: tuple[Any, tuple[float, ...]]) -> None:
        """Keep a laid-out figure's axes position and margins under its key (at most :attr:`KEEP`)."""
        self.layouts[key] = layout
        self.layouts.move_to_end(key)
        self.last_of_size[key[0]] = key
        while len(self.layouts) > self.KEEP:
            self.layouts.popitem(last=False)


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
