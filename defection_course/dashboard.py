"""The instructor's projector view: every lesson interactive on one page, large and code-free.

``make demo`` serves ``notebooks/demo/dashboard.ipynb`` with Voilà; that notebook only calls
:func:`dashboard`. Each interactive sits beside a short static explanation, so the page also
makes sense to a room that has not read the lesson. The sections, their order and their
explanations come from the course registry (``course.yml``: each lesson's ``interactives``).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as ipw

from . import course
from .style import use_course_style


def sections() -> list[tuple[str, Callable[[], Any], str]]:
    """(heading, builder, explanation) of each interactive ``course.yml`` puts on the dashboard."""
    return [
        (f"Lesson {lesson.number} - {lesson.title}", lesson.interactive(item.name), item.dashboard)
        for lesson in course.lessons()
        for item in lesson.interactives
        if item.dashboard
    ]


CSS = """
<style>
  .defection-course-dashboard { font-size: 1.25rem; line-height: 1.5; color: #1a1a1a; }
  .defection-course-dashboard h2 { font-size: 1.8rem; margin: 0.6em 0 0.3em; }
  /* ipywidgets sets 13px on HTML widgets: enlarge the explanations, titles and summaries too */
  .defection-course-dashboard .widget-html-content { font-size: 1.25rem; line-height: 1.5; }
  .defection-course-dashboard .widget-html-content h3 { font-size: 1.45rem; }
  /* the page's own heading and intro (Voila's body has class jp-Notebook; JupyterLab's not) */
  body.jp-Notebook .jp-RenderedMarkdown { font-size: 1.25rem; line-height: 1.5; }
  body.jp-Notebook .jp-RenderedMarkdown h1 { font-size: 2.4rem; }
  .defection-course-dashboard .widget-label, .defection-course-dashboard select,
  .defection-course-dashboard .widget-readout, .defection-course-dashboard summary,
  .defection-course-dashboard td, .defection-course-dashboard th { font-size: 1.1rem !important; }
  .defection-course-dashboard .explanation { background: #f4f4f4; padding: 0.8em 1em;
    border-left: 6px solid #0072B2; }
  /* the enlarged text needs wider drop-downs: size each to its longest option */
  .defection-course-dashboard .widget-dropdown { width: auto !important; max-width: 100%; }
  .defection-course-dashboard .widget-dropdown > select { flex: 0 1 auto; width: auto; }
  /* a chart, with its controls above it, fits on the screen (1280 x 720 on a projector) */
  .defection-course-dashboard .defection-course-interactive img {
    max-height: calc(100vh - 160px); width: auto; }
</style>
"""


def _section(title: str, build, explanation: str) -> ipw.Widget:
    heading = ipw.HTML(f"<h2>{html.escape(title)}</h2>")
    # (ipywidgets' Layout has no flexbox "gap": a right margin keeps the two apart)
    note = ipw.HTML(
        f"<div class='explanation'><p>{html.escape(explanation)}</p></div>",
        layout=ipw.Layout(width="28%", min_width="240px", margin="0 24px 0 0"),
    )
    interactive = build()
    body = ipw.HBox([note, interactive.box], layout=ipw.Layout(width="100%", align_items="flex-start"))
    return ipw.VBox([heading, body])


class Dashboard(ipw.VBox):
    """The page; its plain-text fallback says what it is instead of listing widgets."""

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = (
            "The course's interactive figures (needs a running kernel: serve this notebook with `make demo`)."
        )
        return bundle


def dashboard(font_scale: float = 1.4, annotation_scale: float = 1.6) -> ipw.Widget:
    """All interactives, each beside its explanation, with fonts enlarged for a projector.

    Annotations and bar labels, smaller to begin with, are enlarged more (``annotation_scale``):
    at 1280 x 720 they are at least 16 px high on screen (``tests/site/test_browser.py``).
    """
    use_course_style(font_scale=font_scale, annotation_scale=annotation_scale)
    page = Dashboard([ipw.HTML(CSS)] + [_section(*s) for s in sections()], layout=ipw.Layout(width="100%"))
    page.add_class("defection-course-dashboard")
    return page
