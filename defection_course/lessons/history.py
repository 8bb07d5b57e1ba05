"""Lesson 1 (defection history): the arrivals chart, its interactive view and the explorer.

The lesson itself computes its claims with pandas and draws its other figures with seaborn;
this module only holds what the explorer widget (in the lesson and on the projector
dashboard) needs: a chart function, a view function of the control values, and the widget.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from .. import charts, history, interactives, widgets
from ..style import GROUP_STYLE


# ----------------------------------------------------------------------------- chart
def arrivals_chart(
    df: pd.DataFrame, sex: str = "total", title: str | None = None, eras: bool = True
) -> Figure:
    """Arrivals per year as bars (``sex="total"``) or as men/women lines (``"both"``).

    ``df`` is :func:`history.annual_arrivals` (or a slice of it). ``sex`` may also be
    ``"male"`` or ``"female"`` for a single series of bars.
    """
    fig, ax = charts._new()
    first, last = int(df["year"].min()), int(df["year"].max())
    if eras:
        charts._shade_eras(ax, first, last)
    if sex == "both":
        for col, name in (("female", "women"), ("male", "men")):
            part = df.dropna(subset=[col])
            st = GROUP_STYLE[col]
            ax.plot(
                part["year"],
                part[col],
                color=st["color"],
                marker=st["marker"],
                linestyle=st["linestyle"],
                label=name,
            )
            if len(part):
                end = part.iloc[-1]
                ax.annotate(
                    name,
                    (end["year"], end[col]),
                    xytext=(6, 0),
                    textcoords="offset points",
                    va="center",
                    color=st["color"],
                )
        ax.legend(loc="upper left", frameon=False)
    else:
        st = GROUP_STYLE[sex]
        part = df.dropna(subset=[sex])
        ax.bar(
            part["year"],
            part[sex],
            color=st["color"],
            width=0.75,
            label={"total": "everyone", "male": "men", "female": "women"}[sex],
        )
        peak = part.loc[part[sex].idxmax()] if len(part) else None
        if peak is not None:
            ax.annotate(
                f"{int(peak[sex]):,} in {int(peak['year'])}",
                (peak["year"], peak[sex]),
                xytext=(0, 4),
                textcoords="offset points",
                ha="center",
                fontsize=10,
            )
    ax.set_xlim(first - 0.8, last + (2.5 if sex == "both" else 0.8))
    ax.yaxis.set_major_formatter(charts.THOUSANDS)
    ax.set_xlabel("year of arrival in South Korea")
    ax.set_ylabel("defectors arriving")
    ax.set_title(title or "North Korean defectors arriving in South Korea, per year", pad=34)
    return fig


# ----------------------------------------------------------------------------- view
SEX_OPTIONS: dict[str, str] = {"everyone": "total", "women and men": "both", "women": "female", "men": "male"}


def arrivals_view(year_range: tuple[int, int] = (1994, 2025), sex: str = "everyone") -> interactives.View:
    """Arrivals per year for a range of years and a choice of sex (lesson 1)."""
    params = {"year_range": year_range, "sex": sex}
    try:
        first, last = (int(v) for v in year_range)
    except (TypeError, ValueError):
        return interactives._problem("Choose a range of two years, e.g. (1998, 2016).", **params)
    if first > last:
        first, last = last, first
    if sex not in SEX_OPTIONS:
        return interactives._problem(f"Choose one of: {', '.join(SEX_OPTIONS)}.", **params)
    mode = SEX_OPTIONS[sex]
    df = history.annual_arrivals()
    part = df[df["year"].between(first, last)]
    if part.empty:
        return interactives._problem(
            f"There are no yearly figures for {first}-{last}; yearly counts start in "
            "1994 (and 1995 is missing).",
            **params,
        )
    col = "total" if mode in ("total", "both") else mode
    counted = part.dropna(subset=[col])
    if counted.empty:
        return interactives._problem(
            f"The split by sex starts in 2002; {first}-{last} has totals only. "
            "Choose 'everyone' or move the range.",
            **params,
        )
    n = int(counted[col].sum())
    who = {"total": "people", "both": "people", "female": "women", "male": "men"}[mode]
    missing = sorted(set(range(first, last + 1)) - set(counted["year"]))
    gap = (
        f" (no figure for {', '.join(map(str, missing[:3]))}{'...' if len(missing) > 3 else ''})"
        if missing
        else ""
    )
    peak = counted.loc[counted[col].idxmax()]
    summary = (
        f"{first}-{last}: {n:,} {who} arrived{gap}; the busiest year was "
        f"{int(peak['year'])} with {int(peak[col]):,}."
    )
    with_sex = counted.dropna(subset=["female"])
    if mode in ("total", "both") and len(with_sex):
        share = 100 * with_sex["female"].sum() / with_sex["total"].sum()
        summary += f" Women were {share:.0f}% of arrivals in the years with a split by sex."
    kind = "Line chart of women and men" if mode == "both" else f"Bar chart of {who}"
    alt = (
        f"{kind} arriving in South Korea per year from {first} to {last}. The highest year is "
        f"{int(peak['year'])} with {int(peak[col]):,}; the lowest is "
        f"{int(counted.loc[counted[col].idxmin(), 'year'])} with {int(counted[col].min()):,}."
    )
    table = counted[["year", "male", "female", "total", "era"]].reset_index(drop=True)
    return interactives.View(table, summary, alt, lambda: arrivals_chart(part, sex=mode), params=params)


# ----------------------------------------------------------------------------- explorer
def arrivals_explorer() -> widgets.Interactive:
    """Arrivals per year, with first and last year and a sex selector."""
    years = widgets.YearRange((1994, 2025), min=1990, max=2025)
    sex = widgets._dropdown("Show", list(SEX_OPTIONS), "everyone", "220px")
    return widgets.Interactive("Arrivals per year", {"year_range": years, "sex": sex}, arrivals_view)
