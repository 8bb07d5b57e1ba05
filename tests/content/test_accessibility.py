"""Accessibility that can be checked without a browser: colours, double encoding, labelled controls.

The browser tests (``tests/site/test_browser.py``) run axe-core on the rendered dashboard; the image alt
text of every notebook is checked in ``tests/notebooks/test_notebooks.py``. This module checks the parts
that live in Python: the palette is the colour-blind-safe Okabe-Ito set, every chart that
tells groups apart by colour also tells them apart by marker, line style or hatch (so it
reads in greyscale and for colour-blind readers), and every interactive control has a label.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import ipywidgets as ipw
import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.colors import to_hex, to_rgba
from matplotlib.container import BarContainer
from matplotlib.figure import Figure

from defection_course import course, interactives, style
from defection_course.lessons import eastbloc, purges
from defection_course.lessons import history as lesson1


@pytest.fixture(autouse=True)
def _restore_matplotlib_settings():
    """use_course_style() changes global rcParams: undo it so later tests see the defaults."""
    with mpl.rc_context():
        yield


#: Okabe & Ito (2008), "Color Universal Design": the eight colours, typed in from the source
#: rather than imported, so a change to style.py cannot also change the expectation.
OKABE_ITO_SOURCE = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}


def test_palette_is_the_okabe_ito_set():
    assert len(style.PALETTE) == len(set(style.PALETTE)) == 8
    assert {c.upper() for c in style.PALETTE} == OKABE_ITO_SOURCE
    # yellow is weak on white: it is used last, only when seven colours are not enough
    assert style.PALETTE[-1].upper() == "#F0E442"


def test_the_style_cycle_changes_marker_and_line_style_with_the_colour():
    style.use_course_style()
    cycle = list(mpl.rcParams["axes.prop_cycle"])
    assert {"color", "marker", "linestyle"} <= set(cycle[0])
    assert [c["color"] for c in cycle] == style.PALETTE
    assert len({c["marker"] for c in cycle}) == len(cycle), "two colours share a marker"
    assert len({(c["marker"], str(c["linestyle"])) for c in cycle}) == len(cycle)


@pytest.mark.parametrize(
    "groups",
    [
        ["a", "b"],
        ["workers", "not employed", "military", "management"],
        ["female", "male", "total"],
        ["male", "x", "y", "female"],
        [f"g{i}" for i in range(8)],
        [f"g{i}" for i in range(11)],
    ],
)
def test_group_styles_never_separate_groups_by_colour_alone(groups):
    styles = style.group_styles(groups)
    assert list(styles) == groups
    shapes = [(s["marker"], str(s["linestyle"]), s.get("hatch", "")) for s in styles.values()]
    assert len(set(shapes)) == len(groups), f"two groups have the same marker and line style: {shapes}"
    colours = [s["color"] for s in styles.values()]
    assert len(set(colours)) == min(len(groups), len(style.PALETTE))
    assert all(c.upper() in OKABE_ITO_SOURCE for c in colours)


def _colour(rgba) -> str:
    return to_hex(rgba, keep_alpha=False).upper()


def _non_colour_encodings(fig: Figure) -> dict[str, set[tuple]]:
    """For each colour a data series is drawn in, the markers, line styles and hatches used with it."""
    found: dict[str, set[tuple]] = defaultdict(set)
    for ax in fig.axes:
        for line in ax.lines:
            if len(line.get_xdata()) and line.get_visible():
                found[_colour(line.get_color())].add(
                    ("line", str(line.get_marker()), str(line.get_linestyle()))
                )
        for coll in ax.collections:
            if isinstance(coll, PathCollection) and len(coll.get_offsets()):
                face = coll.get_facecolor()
                hollow = len(face) == 0 or to_rgba(face[0]) in (to_rgba("white"), (0, 0, 0, 0))
                colour = coll.get_edgecolor()[0] if hollow else face[0]
                shape = tuple(np.round(coll.get_paths()[0].vertices, 2).ravel())
                found[_colour(colour)].add(("marker", hash(shape), hollow))
        for container in ax.containers:
            if isinstance(container, BarContainer):
                for bar in container.patches:
                    found[_colour(bar.get_facecolor())].add(("bar", bar.get_hatch() or ""))
    return found


# Every chart in which series share the same axes and are told apart by colour. Left out on
# purpose: breakdown_chart, female_share_chart, recency_chart (one series); elite_timeline_chart
# (each category has its own labelled row); verdict_chart (each marker sits in its verdict's
# column and is labelled with the verdict at the row's end).
MULTI_GROUP_CHARTS: dict[str, Callable[[], Figure]] = {
    "arrivals_chart (women and men)": lambda: lesson1.arrivals_chart(lesson1.annual_arrivals(), sex="both"),
    "purge_timeline_chart": lambda: purges.purge_view().figure(),
    "eastbloc_elite_chart": lambda: eastbloc.eastbloc_elite_chart(eastbloc.elite_defectors()),
}


@pytest.mark.parametrize("name", MULTI_GROUP_CHARTS)
def test_charts_double_encode_their_groups(name):
    style.use_course_style()
    fig = MULTI_GROUP_CHARTS[name]()
    try:
        found = _non_colour_encodings(fig)
    finally:
        plt.close(fig)
    assert len(found) >= 2, f"{name}: expected several coloured series, found {dict(found)}"
    colours = sorted(found)
    for i, a in enumerate(colours):
        for b in colours[i + 1 :]:
            assert found[a] != found[b], (
                f"{name}: {a} and {b} differ only by colour (both drawn as {sorted(found[a])})"
            )


# ----------------------------------------------------------------------------- controls
#: Every interactive of the course, from the registry (course.yml), in its order.
INTERACTIVES = [lesson.interactive(item.name) for lesson in course.lessons() for item in lesson.interactives]


def _walk(widget: ipw.Widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


@pytest.mark.parametrize("build", INTERACTIVES, ids=lambda f: f.__name__)
def test_every_control_has_a_label_and_none_is_an_unlabelled_slider(build):
    inter = build()
    controls = [
        w
        for w in _walk(inter.box)
        if isinstance(w, ipw.ValueWidget) and not isinstance(w, (ipw.HTML, ipw.Label, interactives.YearRange))
    ]
    assert controls, "no controls found"
    for w in controls:
        # ipywidgets' sliders render handles without an accessible name (axe: aria-input-field-name)
        assert "Slider" not in type(w).__name__, f"{build.__name__}: {type(w).__name__} has unnamed handles"
        assert str(w.description).strip(), f"{build.__name__}: a {type(w).__name__} has no label"
    descriptions = [w.description for w in controls]
    assert len(set(descriptions)) == len(descriptions), "two controls share a label"


def test_year_range_behaves_like_one_control():
    inter = lesson1.arrivals_explorer()
    years = inter.controls["year_range"]
    seen: list[tuple[int, int]] = []
    years.observe(lambda change: seen.append(change["new"]), names="value")

    years.value = (2012, 2019)  # set from Python: both drop-downs follow, one notification
    assert (years.first.value, years.last.value) == (2012, 2019)
    assert seen == [(2012, 2019)]
    assert "2012-2019: 10,417 people" in inter.summary.value

    years.last.value = 2016  # what a click on the "Last year" drop-down does
    assert years.value == (2012, 2016) and seen[-1] == (2012, 2016) and len(seen) == 2
    assert inter.current is not None and inter.current.params["year_range"] == (2012, 2016)

    years.value = (1980, 2030)  # outside the options: clamped, as the slider did
    assert years.value == (1990, 2025)
    assert (years.first.value, years.last.value) == (1990, 2025)
