"""The course's figures: functions that take a prepared table and return a matplotlib Figure.

Lessons, exercises and the interactive views all draw through these functions, so a
figure looks the same everywhere. Every chart double-encodes its groups (colour plus
marker, line style or hatch) and labels values directly where it can, so it reads in
greyscale and without a legend. Pair each figure with alt text via :func:`figures.show`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from .history import ERAS
from .style import GROUP_STYLE, OKABE_ITO, group_styles

GREY_BAND = "#EEEEEE"
THOUSANDS = FuncFormatter(lambda x, _pos: f"{x:,.0f}")


def _new(figsize: tuple[float, float] = (9.0, 4.8)) -> tuple[Figure, plt.Axes]:
    fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    return fig, ax


def _shade_eras(ax: plt.Axes, first: int, last: int, label: bool = True) -> None:
    """Alternate grey bands for the eras of lesson 1, labelled at the top."""
    for i, era in enumerate(ERAS):
        lo, hi = max(era.start, first), min(era.end, last)
        if lo > hi:
            continue
        if i % 2 == 0:
            ax.axvspan(lo - 0.5, hi + 0.5, color=GREY_BAND, zorder=0, lw=0)
        if label and hi >= lo:
            ax.text(
                (lo + hi) / 2,
                1.01 + 0.055 * (i % 2),
                era.label,
                transform=ax.get_xaxis_transform(),
                ha="center",
                va="bottom",
                fontsize=8.5,
                color="#333333",
            )


def empty_figure(message: str) -> Figure:
    """A small figure that only says why there is nothing to draw."""
    fig, ax = _new((7.0, 2.0))
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=12, wrap=True)
    return fig


# ----------------------------------------------------------------------------- lesson 1
def arrivals_chart(
    df: pd.DataFrame, sex: str = "total", title: str | None = None, eras: bool = True
) -> Figure:
    """Arrivals per year as bars (``sex="total"``) or as men/women lines (``"both"``).

    ``df`` is :func:`history.annual_arrivals` (or a slice of it). ``sex`` may also be
    ``"male"`` or ``"female"`` for a single series of bars.
    """
    fig, ax = _new()
    first, last = int(df["year"].min()), int(df["year"].max())
    if eras:
        _shade_eras(ax, first, last)
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
    ax.yaxis.set_major_formatter(THOUSANDS)
    ax.set_xlabel("year of arrival in South Korea")
    ax.set_ylabel("defectors arriving")
    ax.set_title(title or "North Korean defectors arriving in South Korea, per year", pad=34)
    return fig


def cumulative_chart(points: pd.DataFrame, log: bool = True) -> Figure:
    """Published cumulative totals over time (log scale shows the trickle and the flow)."""
    fig, ax = _new()
    exact = points[points["qualifier"] == "exact"]
    other = points[points["qualifier"] != "exact"]
    ax.plot(
        exact["when"],
        exact["cumulative"],
        color=OKABE_ITO["blue"],
        marker="o",
        linestyle="-",
        label="published total",
    )
    ax.plot(
        other["when"],
        other["cumulative"],
        color=OKABE_ITO["orange"],
        marker="s",
        linestyle="none",
        markerfacecolor="white",
        label="approximate or milestone",
    )
    if log:
        ax.set_yscale("log")
    ax.yaxis.set_major_formatter(THOUSANDS)
    ax.set_xlabel("date")
    ax.set_ylabel("defectors who had arrived" + (" (log scale)" if log else ""))
    ax.set_title("Cumulative arrivals in South Korea, as published at the time")
    ax.legend(frameon=False, loc="upper left")
    return fig


def female_share_chart(df: pd.DataFrame) -> Figure:
    """Women's share (%) of each year's arrivals, with the 50% line."""
    fig, ax = _new()
    part = df.dropna(subset=["female_share"])
    st = GROUP_STYLE["female"]
    ax.plot(part["year"], part["female_share"], color=st["color"], marker=st["marker"])
    ax.axhline(50, color="#555555", linestyle=":", lw=1.2)
    ax.text(part["year"].min(), 51.5, "half", color="#555555")
    ax.set_ylim(0, 100)
    ax.set_xlabel("year of arrival")
    ax.set_ylabel("women, % of arrivals")
    ax.set_title("Women's share of each year's arrivals")
    return fig


def revisions_chart(rev: pd.DataFrame) -> Figure:
    """First-reported figures against the revised series, one row per report."""
    fig, ax = _new((9.0, 5.2))
    rev = rev.reset_index(drop=True)
    labels = [f"{int(r.year)}: {r.reported_by.split(' (')[0]} ({r.reported_date})" for r in rev.itertuples()]
    y = range(len(rev))
    ax.hlines(list(y), rev["reported_value"], rev["revised_value"], color="#999999", lw=1.5)
    ax.plot(
        rev["reported_value"],
        list(y),
        "o",
        color=OKABE_ITO["orange"],
        markerfacecolor="white",
        label="first reported",
    )
    ax.plot(rev["revised_value"], list(y), "s", color=OKABE_ITO["blue"], label="revised (MOU today)")
    ax.set_yticks(list(y), labels, fontsize=9)
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(THOUSANDS)
    ax.set_xlabel("defectors arriving in that year")
    ax.set_title("Yearly figures as first reported and as revised")
    ax.legend(frameon=False, loc="lower right")
    return fig


# ----------------------------------------------------------------------------- lesson 2
def breakdown_chart(
    df: pd.DataFrame, title: str, xlabel: str = "share of defectors (%)", sort: bool = True
) -> Figure:
    """Horizontal bars of shares with the value written at the end of each bar."""
    part = df.sort_values("share_pct", ascending=True) if sort else df.iloc[::-1]
    fig, ax = _new((8.5, 0.45 * len(part) + 1.6))
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


def representation_chart(df: pd.DataFrame) -> Figure:
    """Each province's share of defectors next to its share of the 2008 population."""
    part = df.sort_values("defector_share_pct", ascending=True)
    fig, ax = _new((9.0, 5.4))
    y = range(len(part))
    h = 0.38
    ax.barh(
        [i + h / 2 for i in y],
        part["defector_share_pct"],
        height=h,
        color=OKABE_ITO["vermillion"],
        label="share of defectors",
    )
    ax.barh(
        [i - h / 2 for i in y],
        part["population_share_pct"],
        height=h,
        color=OKABE_ITO["sky blue"],
        hatch="//",
        edgecolor="white",
        label="share of population (2008)",
    )
    names = [f"{p} *" if b else p for p, b in zip(part["province"], part["borders_china"])]
    ax.set_yticks(list(y), names)
    for i, (d, r) in enumerate(zip(part["defector_share_pct"], part["ratio"])):
        ax.text(d + 0.8, i + h / 2, f"{d:.1f}% (x{r:.1f})", va="center", fontsize=9)
    ax.set_xlabel("percent")
    ax.set_title("Home provinces of defectors against the population (* borders China)")
    ax.legend(frameon=False, loc="lower right")
    ax.grid(axis="y", visible=False)
    return fig


def groups_over_time_chart(df: pd.DataFrame, groups: list[str] | None = None) -> Figure:
    """Share of selected occupation groups in each snapshot, one line per group."""
    groups = groups or ["workers", "not employed", "military", "management"]
    part = df[df["group"].isin(groups)]
    styles = group_styles(groups)
    fig, ax = _new()
    # One row per snapshot, NaN where a snapshot has no such category: the line breaks there
    # instead of bridging a snapshot that did not count the group.
    wide = part.pivot_table(index="year", columns="group", values="share_pct", aggfunc="first")
    wide = wide.reindex(sorted(df["year"].unique()))
    ends = []
    for g in groups:
        if g not in wide.columns:
            continue
        s = wide[g]
        st = styles[g]
        ax.plot(s.index, s.values, color=st["color"], marker=st["marker"], linestyle=st["linestyle"], label=g)
        last = s.dropna()
        ends.append([float(last.values[-1]), float(last.index[-1]), g, st["color"]])
    ends.sort()
    for i in range(1, len(ends)):  # keep end labels at least 3 points apart
        ends[i][0] = max(ends[i][0], ends[i - 1][0] + 3.0)
    for y, x, g, color in ends:
        ax.annotate(
            g, (x, y), xytext=(6, 0), textcoords="offset points", va="center", color=color, fontsize=10
        )
    ax.set_xlim(part["year"].min() - 1, part["year"].max() + 6)
    ax.set_ylim(0, 60)
    ax.set_xlabel("year of the snapshot")
    ax.set_ylabel("% of defectors in the snapshot")
    ax.set_title("Occupation in North Korea: from soldiers and officials to workers and no occupation")
    ax.legend(frameon=False, loc="upper left", ncols=2)
    return fig


# Lessons 3-5 draw their interactives' charts in defection_course.lessons.
