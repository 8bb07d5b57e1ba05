"""The interactives' fast redraw path: nothing cut off, the cache answers with a fresh render's bytes.

``Interactive.update`` renders with :func:`defection_course.figures.redraw_png` (one canvas pass,
no ``bbox_inches="tight"`` crop) and keeps each selection's rendering in a per-widget cache.
These tests hold both to something outside them: matplotlib's own ``savefig`` pixels, the
figure's own tight bounding box, and a fresh widget rendering the same selection.
"""

from __future__ import annotations

import base64
import inspect
import io

import matplotlib
import numpy as np
import pytest
from PIL import Image

matplotlib.use("agg")

import matplotlib.pyplot as plt

from defection_course import course
from defection_course.charts import THOUSANDS
from defection_course.dashboard import dashboard
from defection_course.figures import Redrawer, overflow, redraw_png
from defection_course.interactives import Interactive, RenderCache, Rendered, View
from defection_course.style import use_course_style

BUILDERS = {
    item.name: lesson.interactive(item.name) for lesson in course.lessons() for item in lesson.interactives
}


@pytest.fixture(autouse=True)
def course_style() -> None:
    use_course_style()


def move(inter: Interactive, i: int) -> None:
    """Move the first two drop-downs and the last, in order, to their ``i``-th option (read after
    the ones before moved: a lesson may change a control's options when another changes)."""
    dropdowns = [c for c in inter.controls.values() if getattr(c, "options", None)]
    for control in dropdowns[:2] + dropdowns[2:][-1:]:
        option = control.options[i % len(control.options)]
        value = option[1] if isinstance(option, tuple) and len(option) == 2 else option
        control.value = (value,) if isinstance(control.value, tuple) else value


def size(png: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(png)).size


def ink_margins(png: bytes) -> tuple[int, int, int, int]:
    """Pixels of background between each edge of an image (left, bottom, right, top) and the
    first pixel that differs from the background (the top-left corner's colour)."""
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    ink = np.abs(pixels - pixels[0, 0]).sum(axis=2) > 0
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    height, width = ink.shape
    return int(cols[0]), int(height - 1 - rows[-1]), int(width - 1 - cols[-1]), int(rows[0])


def labelled(top: float):
    """A one-axes chart whose y tick labels are as wide as ``top`` written out."""

    def make():
        fig, ax = plt.subplots(figsize=(5, 3), layout="constrained")
        ax.plot([0, 1], [0, top])
        ax.set_title("a title")
        ax.yaxis.set_major_formatter(THOUSANDS)
        return fig

    return make


def test_redraw_png_has_savefigs_pixels_and_is_stable() -> None:
    inter = BUILDERS["arrivals_explorer"]()
    view = inter.view_function(**inter.values())
    fig = view.figure()  # savefig and the fast path each get a figure of their own, drawn once
    saved = io.BytesIO()
    fig.savefig(saved, format="png", dpi=100)
    plt.close(fig)
    fast = redraw_png(view.figure())
    expected = np.asarray(Image.open(io.BytesIO(saved.getvalue())).convert("RGBA"))
    assert fast is not None
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(fast)).convert("RGBA")), expected)
    assert fast is not None and redraw_png(view.figure()) == fast  # the same bytes on every run


def test_a_label_past_the_edge_is_kept_in_the_image() -> None:
    fig, _ax = plt.subplots(figsize=(4, 3), layout="constrained")
    fig.text(0.98, 0.5, "a long label running off the right edge")
    fig.canvas.draw()
    assert overflow(fig) == ["right"]
    assert redraw_png(fig) is None, "the fast path must not cut the label off"


#: y tick labels from 1 to 11 digits wide, narrow and wide in turn (each redraw starts from the
#: last one's layout: every step a much wider or narrower left margin)
TOPS = [9 * 10**k for k in (0, 8, 1, 9, 2, 10, 3, 7, 4, 6, 5)]


def test_every_redraw_has_the_margins_of_a_fresh_layout_and_is_drawn_once() -> None:
    """Label widths that change at every step: each figure is placed from the previous layout,
    made once, and its white space at each edge is a fresh constrained layout's within a pixel or
    two (never less: nothing nearer the edge)."""
    redrawer, calls = Redrawer(), []
    for top in TOPS + TOPS[::-1]:
        shown = redrawer.png(lambda top=top: calls.append(1) or labelled(top)())
        fresh = redraw_png(labelled(top)())
        assert fresh is not None
        for a, b in zip(ink_margins(shown), ink_margins(fresh), strict=True):
            assert b - Redrawer.TOLERANCE - 1 <= a <= b + Redrawer.TOLERANCE + 1, (top, a, b)
    assert redrawer.laid_out == 1 and redrawer.fitted == 2 * len(TOPS) - 1
    assert len(calls) == 2 * len(TOPS), "one figure per redraw"


def test_a_figure_that_does_not_settle_is_laid_out_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    redrawer, calls = Redrawer(), []
    monkeypatch.setattr(Redrawer, "STEPS", 1)  # one measurement: far wider labels cannot settle
    redrawer.png(labelled(9))
    shown = redrawer.png(lambda: calls.append(1) or labelled(90_000_000)())
    assert len(calls) == 2 and redrawer.laid_out == 2, "made again and laid out by matplotlib"
    assert shown == redraw_png(labelled(90_000_000)())


def test_labels_seen_before_get_their_own_layout_back() -> None:
    """Going back and forth between two selections whose labels differ in width: from the third
    figure on, each starts from its own earlier layout and is drawn exactly as before."""
    redrawer, shown = Redrawer(), {}
    for top in [9, 90_000_000] * 4:
        png = redrawer.png(labelled(top))
        assert shown.setdefault(top, png) == png, top
    assert redrawer.laid_out == 1


def test_a_chart_of_another_height_keeps_its_margins_in_pixels() -> None:
    """A chart whose height follows its rows starts from the last layout with the axes as far
    from each edge in pixels, and needs no layout of its own."""
    redrawer = Redrawer()
    for height in (3.0, 5.0, 2.0, 4.5):

        def make(height: float = height) -> plt.Figure:
            fig, ax = plt.subplots(figsize=(5, height), layout="constrained")
            ax.barh(["a", "bb", "ccc"], [1, 2, 3])
            ax.set_title("rows")
            return fig

        shown, fresh = redrawer.png(make), redraw_png(make())
        assert fresh is not None and size(shown) == size(fresh)
        for a, b in zip(ink_margins(shown), ink_margins(fresh), strict=True):
            assert abs(a - b) <= Redrawer.TOLERANCE + 1, (height, a, b)
    assert redrawer.laid_out == 1


def test_a_widget_keeps_a_bounded_number_of_layouts() -> None:
    """At most KEEP layouts are kept, the least recently drawn dropped (KEEP lowered for speed:
    each new layout key is a fresh constrained layout)."""
    redrawer = Redrawer()
    redrawer.KEEP = 4
    keys = []
    for k in range(redrawer.KEEP + 3):
        redrawer.png(labelled(10**k))
        keys.append(next(reversed(redrawer.layouts)))
    assert list(redrawer.layouts) == keys[-redrawer.KEEP :]
    assert len(redrawer.newest) <= redrawer.KEEP


def test_a_figure_inside_its_edges_keeps_its_size() -> None:
    fig = plt.figure(figsize=(4, 3), layout="constrained")
    fig.text(0.5, 0.5, "centred", ha="center")
    png = redraw_png(fig)
    assert png is not None and size(png) == (400, 300)


def options(control: object) -> list[object]:
    """The values a control's options stand for (an option may be a ``(label, value)`` pair; a
    multiple choice takes a tuple of one)."""
    values = [o[1] if isinstance(o, tuple) and len(o) == 2 else o for o in getattr(control, "options", ())]
    return [(v,) if isinstance(getattr(control, "value", None), tuple) else v for v in values]


#: The font sizes the interactives are shown at: the notebooks' (use_course_style's defaults) and
#: the projector's (the dashboard's defaults, ``make demo``).
SCALES = {
    "notebook": {},
    "projector": {k: p.default for k, p in inspect.signature(dashboard).parameters.items()},
}


@pytest.mark.slow
@pytest.mark.parametrize("scale", sorted(SCALES))
@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_no_course_chart_draws_past_its_edges_for_any_option(name: str, scale: str) -> None:
    """Every option of every control (each from the default selection), at the notebook's and the
    projector's font size, gives a figure whose content stays inside its edges, so the widget
    shows it whole at its own size (the fast path never falls back to cropping)."""
    use_course_style(**SCALES[scale])
    inter = BUILDERS[name]()
    for control in list(inter.controls.values()):
        default = control.value
        for value in options(control):
            control.value = value  # the widget redraws (the lesson's own reaction runs first)
            shown = base64.b64decode(inter.figure.value.split("base64,", 1)[1].split("'", 1)[0])
            # the fast path measured the drawn figure's margins: none negative, or it would crop
            assert not inter.redrawer.crops, f"{name} {inter.values()}: drawn past an edge"
            fig = inter.current.figure()
            assert size(shown) == fig.canvas.get_width_height(), f"{name} {inter.values()}"
            plt.close(fig)
            # and in the pixels shown: white between the content and every edge
            assert min(ink_margins(shown)) >= 1, f"{name} {inter.values()}: {ink_margins(shown)}"
        control.value = default


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_no_interactive_figure_is_cut_off(name: str) -> None:
    """What the widget shows holds all of the figure's content, at the figure's size, with the
    content where a fresh constrained layout puts it (within SLACK)."""
    inter = BUILDERS[name]()
    for i in range(3):  # the default, then two other selections
        if i:
            move(inter, i)
        view = inter.view_function(**inter.values())
        fig = view.figure()
        fig.canvas.draw()
        own = fig.canvas.get_width_height()
        assert overflow(fig) == [], f"{name} {inter.values()}: cut off"
        plt.close(fig)
        shown = base64.b64decode(inter.figure.value.split("base64,", 1)[1].split("'", 1)[0])
        assert not inter.redrawer.crops and size(shown) == own, f"{name} {inter.values()}"
        fresh = redraw_png(view.figure())
        assert fresh is not None
        gaps = zip(ink_margins(shown), ink_margins(fresh), strict=True)
        assert all(abs(a - b) <= Redrawer.SLACK + 1 for a, b in gaps), f"{name} {inter.values()}"


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_going_back_to_a_selection_shows_a_fresh_renders_bytes_without_redrawing(name: str) -> None:
    inter = BUILDERS[name]()
    move(inter, 1)
    shown = (inter.summary.value, inter.figure.value, inter.table.value)
    *_, last = [c for c in inter.controls.values() if len(getattr(c, "options", ())) > 1]
    before = last.value
    option = next(o for o in last.options if (o,) != before and o != before)
    calls = []
    view_function = inter.view_function
    inter.view_function = lambda **values: calls.append(values) or view_function(**values)
    last.value = (option,) if isinstance(before, tuple) else option  # one change away, then back
    other = (inter.summary.value, inter.figure.value, inter.table.value)
    assert other != shown, f"{name}: the other selection should show something else"
    hits, rendered = inter.rendered.hits, len(calls)
    last.value = before
    assert (inter.summary.value, inter.figure.value, inter.table.value) == shown
    assert inter.rendered.hits == hits + 1 and len(calls) == rendered, "expected a cache hit, not a redraw"
    fresh = BUILDERS[name]()
    move(fresh, 1)
    assert (fresh.summary.value, fresh.figure.value, fresh.table.value) == shown


def test_the_cache_drops_the_least_recently_used() -> None:
    cache = RenderCache(size=2)
    entry = {k: Rendered(View(table=None, summary=k, alt=k), k, k, k) for k in "abc"}  # type: ignore[arg-type]
    cache.put("a", entry["a"])
    cache.put("b", entry["b"])
    assert cache.get("a") is entry["a"]  # now "b" is the oldest
    cache.put("c", entry["c"])
    assert cache.get("b") is None
    assert cache.get("a") is entry["a"] and cache.get("c") is entry["c"]


def test_selections_that_change_only_the_summary_share_one_figure() -> None:
    """The verdict board's evidence strengths change its summary and table, not its chart: the
    chart is drawn once for them all, and is the one a fresh board draws for that choice."""
    inter = BUILDERS["verdict_board"]()
    before = inter.redrawer.fitted + inter.redrawer.laid_out
    strength = inter.controls["strength_C1"]
    for option in strength.options[1:]:
        strength.value = option
    assert inter.redrawer.fitted + inter.redrawer.laid_out == before, "no chart drawn again"
    fresh = BUILDERS["verdict_board"]()
    fresh.controls["strength_C1"].value = strength.value
    assert inter.figure.value == fresh.figure.value and inter.summary.value == fresh.summary.value


def test_building_an_interactive_leaves_what_exists_out_of_later_full_collections() -> None:
    """After an interactive is built, the objects alive so far are frozen (gc.freeze), so the
    cyclic collector's full passes during redraws scan only what the redraws made."""
    import gc

    gc.unfreeze()
    BUILDERS["eastbloc_explorer"]()
    frozen = gc.get_freeze_count()
    assert frozen > 10 * len(gc.get_objects(generation=2)), (frozen, len(gc.get_objects(generation=2)))


@pytest.mark.parametrize("seed", range(6))
def test_png_bytes_decode_to_the_same_pixels(seed: int) -> None:
    """Random images, opaque or with transparent pixels, odd sizes: Pillow reads back exactly the
    pixels given (RGB when all are opaque), and the same pixels give the same bytes."""
    from defection_course.figures import png_bytes

    rng = np.random.default_rng(seed)
    height, width = rng.integers(1, 40, size=2)
    rgba = rng.integers(0, 256, size=(height, width, 4), dtype=np.uint8)
    if seed % 2:
        rgba[..., 3] = 255
    decoded = Image.open(io.BytesIO(png_bytes(rgba)))
    assert decoded.mode == ("RGB" if seed % 2 else "RGBA")
    assert np.array_equal(np.asarray(decoded.convert("RGBA")), rgba)
    assert png_bytes(rgba.copy()) == png_bytes(rgba)


@pytest.mark.slow  # ~7 s: a walk over every explorer, like the edge walk above
def test_views_with_the_same_figure_key_draw_the_same_figure() -> None:
    """Wherever a view names what its figure depends on (View.figure_key), the selections one or
    two control changes away from the default (every option of the first two controls together,
    and of the next two alone) that share a key draw byte-identical figures: the key leaves out
    nothing the figure shows."""
    shared = 0
    for name, build in sorted(BUILDERS.items()):
        inter = build()
        if inter.current is None or inter.current.figure_key is None:
            continue
        drawn: dict[object, bytes] = {}
        controls = list(inter.controls.values())
        first, second = controls[0], controls[1]
        moves = [(first, a, second, b) for a in options(first) for b in options(second)]
        moves += [(c, v, None, None) for c in controls[2:4] for v in options(c)]
        for one, a, two, b in moves:
            defaults = [(c, c.value) for c in (one, two) if c is not None]
            one.value = a
            if two is not None:
                two.value = b
            view = inter.view_function(**inter.values())
            if view.figure_key is not None:
                png = redraw_png(view.figure())
                shared += view.figure_key in drawn
                assert drawn.setdefault(view.figure_key, png) == png, f"{name} {inter.values()}"
            for c, value in reversed(defaults):
                c.value = value
    assert shared, "no two selections shared a figure: the keys were not tested"
