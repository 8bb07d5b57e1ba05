"""Lesson 5 (weighing the evidence): which tables hold each claim's evidence, and the verdict board.

The lesson profiles the sources and lets the "95%" claim age in the open; what stays here is the
board's chart, view and widgets, and two functions the exercises still import.
"""

from __future__ import annotations

import textwrap

import ipywidgets as ipw
import pandas as pd
from matplotlib.figure import Figure

from .. import claims
from ..charts import label_right, new_figure, set_title
from ..errors import CourseError
from ..interactives import Interactive, View, dropdown, problem
from ..style import OKABE_ITO, annotation_size
from . import history

#: The tables whose rows are the evidence for each claim (as used in lessons 1-4).
CLAIM_TABLES: dict[str, tuple[str, ...]] = {
    "C1": ("arrivals_periods", "arrivals_annual", "cumulative_checkpoints"),
    "C2": ("cumulative_checkpoints", "arrivals_provisional"),
    "C3": ("arrivals_annual", "arrivals_periods"),
    "C4": ("origins_occupation", "origins_education", "living_standard_survey"),
    "C5": ("origins_province", "nk_census_2008"),
    "C6": ("elite_defections", "elite_defection_claims"),
    "C7": ("purges", "purge_counts"),
    "C8": ("defector_motives",),
    "C9": ("eastbloc_elite_defections", "regime_ends", "gdr_emigration"),
}


def recency_curve(first: int = 2010, last: int = 2025, window: int = 15) -> pd.DataFrame:
    """The share (%) of all arrivals who came in the previous ``window`` years, as of each year.

    Kept for the exercises; the lesson computes the same curve in the open.
    """
    years = list(range(first, last + 1))
    return pd.DataFrame({"as_of": years, "share_pct": history.shares_in_last_years(years, window)})


# ----------------------------------------------------------------------------- chart
VERDICT_STYLE = {
    "supported": ("o", OKABE_ITO["bluish green"]),
    "partly supported": ("s", OKABE_ITO["orange"]),
    "not supported": ("X", OKABE_ITO["vermillion"]),
    "cannot tell from the data": ("^", OKABE_ITO["reddish purple"]),
    "not decided yet": ("o", "#BBBBBB"),
}


def _row_label(claim_id: str) -> str:
    """A row of the verdict chart: the claim's id and its own words, wrapped (``claims.CLAIMS``)."""
    return textwrap.fill(verdict_label(claims.claim(claim_id)), 42, break_on_hyphens=False)


def verdict_chart(summary: pd.DataFrame, whose: str = "your") -> Figure:
    """A verdict board, one row per claim labelled with its words, the verdict's marker in its
    column and its name at the row's end; ``whose`` names it ("your", "the course's")."""
    fig, ax = new_figure((9.5, 0.5 * len(summary) + 1.5))
    rows = list(summary["verdict"])
    for x, (verdict, (marker, color)) in enumerate(VERDICT_STYLE.items()):  # a column per verdict
        ys = [i for i, v in enumerate(rows) if v == verdict]
        if ys:
            ax.plot([x] * len(ys), ys, marker=marker, markersize=12, color=color, linestyle="none")
    for i, verdict in enumerate(rows):
        label_right(ax, i, verdict, annotation_size(9))
    ax.set_yticks(range(len(summary)), [_row_label(r.id) for r in summary.itertuples()])
    ax.set_xticks(range(len(VERDICT_STYLE)), ["" for _ in VERDICT_STYLE])
    ax.set_xlim(-0.5, len(VERDICT_STYLE) - 0.5)
    ax.invert_yaxis()
    set_title(ax, f"{whose[0].upper()}{whose[1:]} verdicts on the op-ed's claims")
    ax.grid(axis="y", visible=False)
    return fig


# ----------------------------------------------------------------------------- view and board
def verdict_view(
    verdicts: dict[str, str] | None = None, strengths: dict[str, str] | None = None, whose: str = "your"
) -> View:
    """A verdict board on the claims: the learner's by default, or the course's (``whose="the course's"``)."""
    verdicts = verdicts or {}
    params = {"verdicts": dict(verdicts), "strengths": dict(strengths or {})}
    try:
        summary_df = claims.verdict_summary(verdicts, strengths)
    except CourseError as exc:
        return problem(str(exc), **params)
    decided = summary_df[summary_df["verdict"] != claims.VERDICTS[0]]
    counts = decided["verdict"].value_counts()
    summary = (
        f"{len(decided)} of {len(summary_df)} claims decided"
        + (": " + ", ".join(f"{v} {k}" for k, v in counts.items()) if len(decided) else "")
        + "."
    )
    alt = (
        f"Chart of the claims C1 to C9 with {whose} verdict on each: "
        + "; ".join(f"{r.id} {r.verdict}" for r in summary_df.itertuples())
        + "."
    )
    drawn = (whose, tuple(zip(summary_df["id"], summary_df["verdict"])))  # not the strengths
    return View(
        summary_df, summary, alt, lambda: verdict_chart(summary_df, whose), params=params, figure_key=drawn
    )


def verdict_label(claim: claims.Claim) -> str:
    """The label of a claim's verdict control: its id and its own words (``claims.CLAIMS``)."""
    return f"{claim.id}. {claim.short}"


def strength_label(claim: claims.Claim) -> str:
    """The label of a claim's evidence-strength control (next to its verdict control)."""
    return f"evidence for {claim.id}"


#: The board's rows: the claim's words wrap beside its verdict (ipywidgets' labels do not wrap).
ROW_CSS = """<style>
  .defection-course-claim-row { border-top: 1px solid #dddddd; padding: 2px 0; align-items: center; }
  .defection-course-claim-row .widget-dropdown:first-child { height: auto; min-height: 28px; }
  .defection-course-claim-row .widget-dropdown:first-child .widget-label {
    white-space: normal; text-align: left; height: auto; line-height: 1.3; overflow: visible; }
</style>"""


def _one_row_per_claim(controls: dict[str, ipw.Widget]) -> ipw.Widget:
    rows: list[ipw.Widget] = [ipw.HTML(ROW_CSS)]
    for c in claims.CLAIMS:
        row = ipw.HBox(
            [controls[f"verdict_{c.id}"], controls[f"strength_{c.id}"]], layout=ipw.Layout(width="100%")
        )
        row.add_class("defection-course-claim-row")
        rows.append(row)
    return ipw.VBox(rows, layout=ipw.Layout(width="100%"))


def verdict_board() -> Interactive:
    """A verdict and an evidence strength for each claim, summarised in a chart.

    Each row is labelled with the claim's own words (:func:`verdict_label`), so the room sees what
    it votes on without looking the ids up.
    """
    controls: dict[str, ipw.Widget] = {}
    for c in claims.CLAIMS:
        verdict = dropdown(verdict_label(c), list(claims.VERDICTS), claims.VERDICTS[0], "auto")
        verdict.style.description_width = "55%"  # the claim's words, wrapped (ROW_CSS)
        verdict.layout.flex = "1 1 0%"
        controls[f"verdict_{c.id}"] = verdict
        controls[f"strength_{c.id}"] = dropdown(strength_label(c), ["", *claims.STRENGTHS], "", "250px")

    def convert(values: dict) -> dict:
        verdicts = {k.split("_", 1)[1]: v for k, v in values.items() if k.startswith("verdict_")}
        strengths = {k.split("_", 1)[1]: v for k, v in values.items() if k.startswith("strength_") and v}
        return {"verdicts": verdicts, "strengths": strengths}

    return Interactive(
        "Your verdict board", controls, verdict_view, convert=convert, arrange=_one_row_per_claim
    )
