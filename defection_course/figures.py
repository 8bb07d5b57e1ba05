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
import struct
import sys
import zlib
from collections import OrderedDict
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from .errors import CourseError

if TYPE_CHECKING:  # matplotlib is imported where a function needs it: the package's import (and
    # with it every `python -m defection_course` command) does not load matplotlib
    from matplotlib.axes import Axes
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from numpy import ndarray


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
    encoding (:func:`png_bytes`): less time than :func:`figure_png`, whose
    ``bbox_inches="tight"`` lays the figure out and draws it twice. The image keeps the
    figure's own size, which the course's constrained layout (``charts.new_figure``) fills;
    content drawn past an edge anyway (a title wider than its axes, say) is detected
    (:func:`margins`) rather than cut off. The bytes are identical on every run.
    :class:`Redrawer` also places a widget's figures from its earlier layouts, without the
    layout engine.
    """
    fig = as_figure(obj)
    png, _ = _draw_fast(fig)
    if close:
        _close(fig)
    return png


def _draw_fast(fig: Figure, space: tuple[float, ...] | None = None) -> tuple[bytes | None, tuple[float, ...]]:
    """Draw ``fig`` once; its PNG (None if content reaches past an edge) and :func:`margins`
    (measured after the draw unless the caller measured them just before: ``space``)."""
    import numpy as np

    fig.set_dpi(100)
    canvas = _shared_renderer_canvas()(fig)
    canvas.draw()
    if space is None:
        space = margins(fig)
    if min(space) < -0.5:
        return None, space
    return png_bytes(np.asarray(canvas.buffer_rgba())), space


def png_bytes(rgba: ndarray) -> bytes:
    """A PNG of an RGBA pixel array, fast: RGB when every pixel is opaque, no row filter, the
    fastest zlib level (half Pillow's time on the course's charts, at much the same size). The
    pixels decode unchanged, and the same pixels always give the same bytes."""
    import numpy as np

    height, width, _ = rgba.shape
    pixels = rgba[..., :3] if bool((rgba[..., 3] == 255).all()) else rgba
    rows = np.empty((height, width * pixels.shape[2] + 1), np.uint8)
    rows[:, 0] = 0  # each row starts with its filter type: 0, none
    rows[:, 1:] = pixels.reshape(height, -1)
    colour = 2 if pixels.shape[2] == 3 else 6  # truecolour, or truecolour with alpha
    header = struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + b"".join(
        _chunk(kind, data)
        for kind, data in ((b"IHDR", header), (b"IDAT", zlib.compress(rows.tobytes(), 1)), (b"IEND", b""))
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data and the CRC of type and data."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@cache
def _shared_renderer_canvas() -> type[FigureCanvasAgg]:
    """An Agg canvas class whose renderer is shared by every figure of the same pixel size.

    matplotlib caches the measured size of each text per renderer, and a new canvas makes a new
    renderer: a redraw on a fresh canvas measures every tick label and title again. Redraws in
    one process share a renderer per size (the last :data:`SHARED_RENDERERS` sizes), so what an
    interactive redraws with the same texts is measured once. The renderer's pixels belong to the
    figure drawn last: read them (as :func:`_draw_fast` does) before drawing another figure.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg

    renderers: OrderedDict[tuple[int, int, float], RendererAgg] = OrderedDict()

    class SharedRendererCanvas(FigureCanvasAgg):
        def get_renderer(self) -> RendererAgg:
            width, height = self.get_width_height(physical=True)
            key = (width, height, float(self.figure.dpi))
            renderer = renderers.get(key)
            if renderer is None:
                renderer = renderers[key] = RendererAgg(width, height, self.figure.dpi)
            renderers.move_to_end(key)
            while len(renderers) > SHARED_RENDERERS:
                renderers.popitem(last=False)
            self.renderer, self._lastKey = renderer, key
            return renderer

    return SharedRendererCanvas


SHARED_RENDERERS = 8  #: figure sizes whose renderer :func:`_shared_renderer_canvas` keeps


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


Position = tuple[float, float, float, float]  #: an axes' left, bottom, width, height (figure fraction)
Layout = tuple[Position, tuple[float, ...]]  #: an axes position, and the figure's margins to reach


def layout_key(fig: Figure) -> tuple[Any, ...]:
    """What decides where a one-axes figure's layout puts its axes: the figure's size and the
    texts around the axes (title, axis labels, the y tick labels, whose width sets the left
    margin, and the axes' own texts, such as a label at a line's end). Two figures with the same
    key get the same layout."""
    ax = fig.axes[0]
    ticks = tuple(label.get_text() for label in ax.get_yticklabels())
    texts = tuple(t.get_text() for t in ax.texts)
    return (_size(fig), ax.get_title(), ax.get_xlabel(), ax.get_ylabel(), ticks, texts)


class Redrawer:
    """Renders one interactive's figures fast, laying each out from the widget's earlier layouts
    (a widget redraws the same chart with other data).

    Constrained layout is about 40% of a draw. A figure with one axes and no figure-level text
    or legend starts from an earlier layout: the one of a figure with the same :func:`layout_key`
    if the widget drew one, else the newest of the same size, else the newest of any size (with
    the axes as many pixels from each edge). Its :func:`margins` are then measured without
    drawing (matplotlib measures the texts it would draw) and each edge of the axes moved by what
    its margin differs from the margin constrained layout left (a tick label grown wider takes
    that much room from the axes). This repeats until every margin is within :attr:`TOLERANCE`
    pixels of the laid-out one; after :attr:`STEPS` measurements (a move can change the ticks)
    margins between :attr:`MIN_MARGIN` pixels and :attr:`SLACK` pixels more than laid out are
    kept. Then the figure is drawn once. A figure that does not settle, or one of another shape,
    is laid out by constrained layout itself, so nothing is cut off and white space grows by a
    few pixels at most. A figure that draws past its edges even when laid out is rendered as the
    static figures are (:func:`figure_png`, cropped to its content) from then on; the course's own
    charts never do at the notebook's or the projector's font size (a test walks every option of
    every interactive at both).
    """

    TOLERANCE = 1.0  #: pixels a margin may differ from the laid-out figure's when it settles
    SLACK = 12.0  #: pixels of extra margin kept after :attr:`STEPS` measurements
    MIN_MARGIN = 1.0  #: pixels of white kept between the content and every edge
    STEPS = 4  #: measurements (and moves of the axes) before falling back to constrained layout
    KEEP = 32  #: layouts kept (the least recently drawn dropped)

    def __init__(self) -> None:
        #: by layout key, and the newest per figure size: an axes position and the margins to reach
        self.layouts: OrderedDict[tuple[Any, ...], Layout] = OrderedDict()
        self.newest: OrderedDict[tuple[float, ...], Layout] = OrderedDict()
        self.crops = False  #: True once a figure drew past its edges: render as figure_png
        self.fitted = self.laid_out = 0  #: figures placed from an earlier layout, and laid out afresh

    def png(self, make: Callable[[], Figure]) -> bytes:
        """The PNG of the figure ``make()`` draws (called again if it must be laid out afresh)."""
        if self.crops:
            return figure_png(make())
        fig = make()
        key = layout_key(fig) if len(fig.axes) == 1 and not fig.texts and not fig.legends else None
        start = self._start(key) if key is not None else None
        if key is not None and start is not None:
            space = self._fit(fig, *start)
            png = _draw_fast(fig, space)[0] if space is not None else None
            if png is not None:
                self.fitted += 1
                self._remember(key, (_position(fig), start[1]))
                _close(fig)
                return png
            _close(fig)
            fig = make()
        png, space = _draw_fast(fig)
        self.laid_out += 1
        if key is not None and png is not None:
            self._remember(key, (_position(fig), space))
        _close(fig)
        if png is None:
            self.crops = True
            return figure_png(make())
        return png

    def _remember(self, key: tuple[Any, ...], layout: Layout) -> None:
        """Keep ``layout`` under its key and as the newest of its size (at most :attr:`KEEP` each)."""
        for store, k in ((self.layouts, key), (self.newest, key[0])):
            store[k] = layout
            store.move_to_end(k)
            while len(store) > self.KEEP:
                store.popitem(last=False)

    def _start(self, key: tuple[Any, ...]) -> Layout | None:
        """Where to start placing a figure with this layout key (see the class's description)."""
        if key in self.layouts:
            return self.layouts[key]
        size = key[0]
        if size in self.newest:
            return self.newest[size]
        if not self.newest:
            return None
        (w0, h0), ((left, bottom, w, h), target) = next(reversed(self.newest.items()))
        w1, h1 = size
        right, top = (1 - left - w) * w0 / w1, (1 - bottom - h) * h0 / h1
        left, bottom = left * w0 / w1, bottom * h0 / h1
        return (left, bottom, 1 - left - right, 1 - bottom - top), target

    def _fit(self, fig: Figure, position: Position, target: tuple[float, ...]) -> tuple[float, ...] | None:
        """Place the axes so that the figure's margins match ``target``; the margins reached (None
        if they do not settle within :attr:`STEPS` measurements, or the axes would vanish)."""
        fig.set_layout_engine("none")
        fig.set_dpi(100)
        _shared_renderer_canvas()(fig)
        width, height = fig.get_size_inches() * fig.dpi
        left, bottom, w, h = position
        last_off: list[float] = []
        last_move = [0.0] * 4
        for step in range(self.STEPS):
            fig.axes[0].set_position((left, bottom, w, h))
            space = margins(fig)
            off = [s - t for s, t in zip(space, target, strict=True)]  # + : room to spare
            if max(abs(d) for d in off) <= self.TOLERANCE:
                return space
            if step == self.STEPS - 1:  # close enough: white at every edge, a little more room
                return space if min(space) >= self.MIN_MARGIN and max(off) <= self.SLACK else None
            move = [_secant(d, last, moved) for d, last, moved in zip(off, last_off or off, last_move)]
            left, bottom = left - move[0] / width, bottom - move[1] / height
            w, h = w + (move[0] + move[2]) / width, h + (move[1] + move[3]) / height
            if w <= 0 or h <= 0:
                return None
            last_off, last_move = off, move
        return None


def _secant(off: float, last_off: float, last_move: float) -> float:
    """How far to move an axes edge (pixels) to take up ``off`` pixels of spare margin, given the
    last move and the margin before it: content tied to the data (a label at a line's end) follows
    the edge part of the way, so the move is scaled by the share the last move actually gained."""
    gained = last_off - off
    if not last_move or not gained:
        return off
    followed = min(max(1 - gained / last_move, 0.0), 0.5)
    return off / (1 - followed)


def _size(fig: Figure) -> tuple[float, ...]:
    """A figure's size in inches, rounded (a dictionary key)."""
    return tuple(round(float(v), 3) for v in fig.get_size_inches())


def _position(fig: Figure) -> Position:
    """The first axes' position (left, bottom, width, height) as the figure last placed it."""
    box = fig.axes[0].get_position()
    return (float(box.x0), float(box.y0), float(box.width), float(box.height))


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
