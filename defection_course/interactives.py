"""The shared base of every lesson's interactive: a pure view, and the widget that shows it.

A lesson's *view function* takes the values of its controls and returns a :class:`View`: the
table to show, a one-line summary, alt text for the figure and the function that draws it.
Views are pure (no widget code runs in them), so each can be unit-tested, benchmarked and
rendered statically; the lessons show each view's default as an ordinary figure. Bad or empty
selections never raise: :func:`problem` returns a View whose ``message`` says what to do.

:class:`Interactive` wires a row of controls to a view function: a heading, the controls, the
summary, the figure (an image with alt text) and the data behind it. No ``Output`` widget or
``interact`` is used, so nothing is printed into the cell (which keeps stored outputs stable
and avoids a known nbclient stall). Each selection is rendered once, fast (one draw, placed from
the widget's earlier layouts: :class:`defection_course.figures.Redrawer`), and kept in a small
per-widget cache (:class:`RenderCache`), so going back to an earlier choice waits for no redraw;
a view that names what its figure depends on (:attr:`View.figure_key`) shares one figure among
the selections that differ only in its summary or table.
:func:`dropdown` and :class:`YearRange` are the labelled controls the lessons build their
explorers from (in :mod:`defection_course.lessons`).
"""

from __future__ import annotations

import base64
import gc
import html
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import ipywidgets as widgets
import pandas as pd
import traitlets
from matplotlib.figure import Figure

from . import charts
from .figures import Redrawer

T = TypeVar("T")

FALLBACK = (
    "Interactive: {title}. It needs a running Python kernel: run this notebook in "
    "JupyterLab to use it. The static figure below shows its default view."
)


@dataclass
class View:
    """What an interactive shows for one choice of control values."""

    table: pd.DataFrame
    summary: str
    alt: str
    draw: Callable[[], Figure] | None = None
    message: str = ""  #: set when the selection cannot be shown, saying why
    params: dict[str, Any] = field(default_factory=dict)
    #: what the figure depends on, where other controls change only the summary or the table
    #: (a verdict board's evidence strengths): selections with the same key share one rendering
    figure_key: Hashable | None = None

    @property
    def ok(self) -> bool:
        """True if there is something to draw."""
        return not self.message and self.draw is not None

    def figure(self) -> Figure:
        """Draw the figure (or a figure that carries the message)."""
        if self.draw is None or self.message:
            return charts.empty_figure(self.message or "Nothing to show.")
        return self.draw()


def problem(message: str, **params: object) -> View:
    """A view that shows only ``message`` (what the learner should choose instead)."""
    return View(table=pd.DataFrame(), summary=message, alt=message, message=message, params=params)


@dataclass(frozen=True)
class Rendered:
    """A view and the HTML of its summary, figure and table, as the widgets show them."""

    view: View
    summary: str
    figure: str
    table: str


class RenderCache(Generic[T]):
    """The last ``size`` renderings, by key (least recently used dropped): whole selections by
    control values, or figures by :attr:`View.figure_key`."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self.entries: OrderedDict[Hashable, T] = OrderedDict()
        self.hits = 0

    def get(self, key: Hashable) -> T | None:
        """The rendering stored for ``key`` (now the most recently used), or None."""
        found = self.entries.get(key)
        if found is not None:
            self.entries.move_to_end(key)
            self.hits += 1
        return found

    def put(self, key: Hashable, rendered: T) -> None:
        """Store ``rendered`` for ``key``, dropping the least recently used beyond ``size``."""
        self.entries[key] = rendered
        self.entries.move_to_end(key)
        while len(self.entries) > self.size:
            self.entries.popitem(last=False)


class Interactive:
    """Controls plus the summary, figure and table of the current :class:`View`."""

    def __init__(
        self,
        title: str,
        controls: dict[str, widgets.Widget],
        view: Callable[..., View],
        convert: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
        before_update: Callable[[Interactive, dict[str, Any]], None] | None = None,
        show_table: bool = True,
        arrange: Callable[[dict[str, widgets.Widget]], widgets.Widget] | None = None,
    ) -> None:
        self.title = title
        self.controls = controls
        self.view_function = view
        self.convert = convert or (lambda values: values)
        self.before_update = before_update
        self.show_table = show_table
        self.heading = widgets.HTML(f"<h3 style='margin:4px 0'>{html.escape(title)}</h3>")
        self.summary = widgets.HTML(layout=widgets.Layout(min_height="2.2em"))
        self.figure = widgets.HTML(layout=widgets.Layout(min_height="120px"))
        self.table = widgets.HTML()
        self.current: View | None = None
        self.rendered: RenderCache[Rendered] = RenderCache()
        self.figures: RenderCache[str] = RenderCache()  #: a figure's PNG (base64) by View.figure_key
        self.redrawer = Redrawer()
        control_row = (
            arrange(controls)  # a lesson's own layout of its controls (e.g. one row per claim)
            if arrange is not None
            else widgets.HBox(list(controls.values()), layout=widgets.Layout(flex_flow="row wrap"))
        )
        self.box = widgets.VBox(
            [self.heading, control_row, self.summary, self.figure, self.table],
            layout=widgets.Layout(width="100%"),
        )
        self.box.add_class("defection-course-interactive")
        for control in controls.values():
            control.observe(self.update, names="value")
        self.update()
        spare_the_collector()

    def values(self) -> dict[str, Any]:
        """The current control values, as the view function expects them."""
        return self.convert({name: c.value for name, c in self.controls.items()})

    def update(self, change: dict[str, Any] | None = None) -> View:
        """Recompute the view from the controls and redraw (called on every change).

        A selection shown before is answered from :attr:`rendered` (the views are pure and the
        data fixed), so going back to it costs no redraw.
        """
        if self.before_update is not None:
            self.before_update(self, {} if change is None else dict(change))
        key = self._key()
        shown = self.rendered.get(key) if key is not None else None
        if shown is None:
            shown = self._render(self.view_function(**self.values()))
            if key is not None:
                self.rendered.put(key, shown)
        self.current = shown.view
        self.summary.value, self.figure.value, self.table.value = shown.summary, shown.figure, shown.table
        return shown.view

    def _key(self) -> Hashable | None:
        """The control values as a cache key (None if one of them cannot be hashed)."""
        key = tuple((name, c.value) for name, c in self.controls.items())
        try:
            hash(key)
        except TypeError:
            return None
        return key

    def _render(self, view: View) -> Rendered:
        """The summary, figure and table HTML of ``view``."""
        css = "color:#8a1c00;font-weight:bold" if view.message else ""
        summary = f"<p role='status' aria-live='polite' style='{css}'>{html.escape(view.summary)}</p>"
        png = self.figures.get(view.figure_key) if view.figure_key is not None else None
        if png is None:
            png = base64.b64encode(self.redrawer.png(view.figure)).decode("ascii")
            if view.figure_key is not None:
                self.figures.put(view.figure_key, png)
        figure = (
            f"<img src='data:image/png;base64,{png}' alt='{html.escape(view.alt, quote=True)}' "
            "style='max-width:100%;height:auto'>"
        )
        table = ""
        if self.show_table and view.ok and len(view.table):
            rows = view.table.head(40).to_html(index=False, border=0, na_rep="")
            table = f"<details><summary>Show the data ({len(view.table)} rows)</summary>{rows}</details>"
        return Rendered(view, summary, figure, table)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle: dict[str, Any] = self.box._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = FALLBACK.format(title=self.title)
        return bundle


def spare_the_collector() -> None:
    """Collect garbage now, then leave every object alive so far out of later cyclic collections
    (:func:`gc.freeze`).

    Redraws make many short-lived reference cycles (a figure and its artists), so Python's full
    collection runs every twenty or so redraws; with the data, pandas and matplotlib in the kernel
    it scanned about 130,000 objects and held one redraw up by 77-92 ms. Objects frozen here are
    still freed when their last reference goes; only cycles among them are left (none that grows:
    they were built once, with the widgets). Measured after freezing: 13-22 ms.
    """
    gc.collect()
    gc.freeze()


def dropdown(
    description: str, options: list[Any] | dict[str, Any], value: object, width: str = "260px"
) -> widgets.Dropdown:
    """A labelled drop-down (a ``<select>`` with its own ``<label>``) of the given width."""
    return widgets.Dropdown(
        description=description,
        options=options,
        value=value,
        style={"description_width": "initial"},
        layout=widgets.Layout(width=width),
    )


class YearRange(widgets.HBox):
    """A range of years chosen with two labelled drop-downs, usable as one control.

    ``value`` is ``(first, last)``, like an ``IntRangeSlider``'s, and observers of ``value``
    are notified once per change. It replaces the range slider because the slider's two
    handles have no accessible name (ipywidgets' noUiSlider sets no label on them: axe rule
    ``aria-input-field-name``, serious), so a screen reader announced only a number. Each
    drop-down here is a ``<select>`` with its own ``<label>``, works with the keyboard
    (arrow keys, or type the year) and reads well on a projector.
    """

    value = traitlets.Tuple(traitlets.Int(), traitlets.Int())

    def __init__(self, value: tuple[int, int], min: int, max: int) -> None:
        years = list(range(min, max + 1))
        self.bounds = (min, max)
        self.first = dropdown("First year", years, value[0], "190px")
        self.last = dropdown("Last year", years, value[1], "190px")
        self._syncing = False
        super().__init__([self.first, self.last])
        self.value = (int(value[0]), int(value[1]))
        for part in (self.first, self.last):
            part.observe(self._from_parts, names="value")

    def _from_parts(self, change: dict[str, Any]) -> None:
        if not self._syncing:
            self.value = (int(self.first.value), int(self.last.value))

    @traitlets.validate("value")
    def _clamp(self, proposal: dict[str, Any]) -> tuple[int, ...]:
        """Keep both years inside the options, as the range slider did."""
        lo, hi = self.bounds
        return tuple(min(max(int(v), lo), hi) for v in proposal["value"])

    @traitlets.observe("value")
    def _to_parts(self, change: dict[str, Any]) -> None:
        self._syncing = True
        try:
            self.first.value, self.last.value = change["new"]
        finally:
            self._syncing = False
