"""Lesson 2 (social origins): the breakdown chart, its interactive view and the explorer.

The lesson computes its claims (occupation shares, the provinces against the census) with
pandas and draws its other figures with seaborn; this module only holds what the origins
explorer widget (in the lesson and on the projector dashboard) needs.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from .. import charts, interactives, origins, widgets
from ..errors import CourseError
from ..style import OKABE_ITO


# ----------------------------------------------------------------------------- chart
def breakdown_chart(
    df: pd.DataFrame, title: str, xlabel: str = "share of defectors (%)", sort: bool = True
) -> Figure:
    """Horizontal bars of shares with the value written at the end of each bar."""
    part = df.sort_values("share_pct", ascending=True) if sort else df.iloc[::-1]
    fig, ax = charts._new((8.5, 0.45 * len(part) + 1.6))
    bars = ax.barh(part["category"], part["share_pct"], color=OKABE_ITO["blue"])
    for bar, share, count in zip(bars, part["share_pct"], part["count"]):
        ax.text(
            bar.get_width() + 0.5,
            bar.get_y() + bar.get_height() / 2,
            f"{share:.1f}% ({count:,})",
            va="center",
            fontsize=10,
        )
    ax.set_xlim(0, max(100.0, float(part["share_pct"].max()) * 1.3) if len(part) else 100)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("")
    ax.set_title(title)
    ax.grid(axis="y", visible=False)
    return fig


# ----------------------------------------------------------------------------- view
DIMENSION_TITLES = {
    "occupation": "Occupation in North Korea",
    "province": "Home province",
    "age": "Age at arrival",
    "education": "Education in North Korea",
}
SEX_CHOICES = {"everyone": "total", "women": "female", "men": "male"}


def origins_view(
    dimension: str = "occupation", snapshot: str = "github_c2024", sex: str = "everyone"
) -> interactives.View:
    """One breakdown of the defector population (lesson 2)."""
    params = {"dimension": dimension, "snapshot": snapshot, "sex": sex}
    if dimension not in origins.BREAKDOWNS:
        return interactives._problem(f"Choose a breakdown: {', '.join(origins.BREAKDOWNS)}.", **params)
    if sex not in SEX_CHOICES:
        return interactives._problem(f"Choose one of: {', '.join(SEX_CHOICES)}.", **params)
    try:
        df = origins.breakdown(dimension, snapshot, SEX_CHOICES[sex])
    except CourseError as exc:
        return interactives._problem(str(exc), **params)
    snaps = origins.snapshots().set_index("snapshot")
    as_of = snaps.loc[snapshot, "as_of"] if snapshot in snaps.index else snapshot
    top = df.sort_values("share_pct", ascending=False).iloc[0]
    who = {"everyone": "defectors", "women": "women defectors", "men": "men defectors"}[sex]
    summary = (
        f"{DIMENSION_TITLES[dimension]} of {df['count'].sum():,} {who} (as of {as_of}): "
        f"the largest group is '{top['category']}' with {top['share_pct']:.1f}%."
    )
    alt = (
        f"Horizontal bar chart of {who} by {dimension.replace('_', ' ')}, as of {as_of}. "
        + "; ".join(
            f"{r.category} {r.share_pct:.1f}%"
            for r in df.sort_values("share_pct", ascending=False).head(4).itertuples()
        )
        + "."
    )
    title = f"{DIMENSION_TITLES[dimension]} ({who}, {as_of})"
    return interactives.View(df, summary, alt, lambda: breakdown_chart(df, title), params=params)


# ----------------------------------------------------------------------------- explorer
def _snapshot_options(dimension: str) -> list[tuple[str, str]]:
    snaps = origins.snapshots().set_index("snapshot")
    out = []
    for snap in origins.available_snapshots(dimension):
        out.append((f"{snaps.loc[snap, 'as_of']} ({snap})", snap))
    return out


def origins_explorer() -> widgets.Interactive:
    """A breakdown dropdown (occupation, province, age, education), snapshot and sex."""
    dimension = widgets._dropdown("Breakdown", list(origins.BREAKDOWNS), "occupation", "230px")
    snapshot = widgets._dropdown("Snapshot", _snapshot_options("occupation"), "github_c2024", "360px")
    sex = widgets._dropdown("Who", list(SEX_CHOICES), "everyone", "180px")
    choice = dimension  # (a second name: the identity test below narrows `dimension` for mypy)

    def refresh_snapshots(inter: widgets.Interactive, change: dict) -> None:
        if change.get("owner") is dimension:
            options = _snapshot_options(choice.value)
            keep = snapshot.value if snapshot.value in [v for _, v in options] else options[-1][1]
            snapshot.unobserve(inter.update, names="value")
            try:
                snapshot.options = options
                snapshot.value = keep
            finally:
                snapshot.observe(inter.update, names="value")

    return widgets.Interactive(
        "Who were the defectors?",
        {"dimension": dimension, "snapshot": snapshot, "sex": sex},
        origins_view,
        before_update=refresh_snapshots,
    )
