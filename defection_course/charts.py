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
from .style import HATCHES, MARKERS, OKABE_ITO, PALETTE, group_styles

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


# ----------------------------------------------------------------------------- lesson 3
CONFIRMATION_STYLE = {
    "confirmed": {"marker": "o", "facecolor": None},
    "reported": {"marker": "D", "facecolor": "white"},
}


def elite_timeline_chart(df: pd.DataFrame, first: int = 1950, last: int = 2025) -> Figure:
    """Known elite defections by year and category; filled = confirmed, hollow = reported."""
    fig, ax = _new((9.5, 4.6))
    df = df.reset_index(drop=True)
    cats = ["military", "diplomat", "party or state official", "trade or finance", "overseas workers"]
    styles = group_styles(cats)
    # vertical offsets, centred, over all cases of a year and category (confirmed and reported
    # together), so that no case hides behind another
    offsets = _stack_offsets(df, ["year", "category"], 0.22)
    for conf, cs in CONFIRMATION_STYLE.items():
        part = df[df["confirmation"] == conf]
        for cat in cats:
            s = part[part["category"] == cat]
            if s.empty:
                continue
            st = styles[cat]
            ax.scatter(
                s["year"],
                [cats.index(cat) + offsets[i] for i in s.index],
                s=60,
                marker=cs["marker"],
                color=st["color"] if cs["facecolor"] is None else cs["facecolor"],
                edgecolors=st["color"],
                linewidths=1.8,
            )
    ax.set_yticks(range(len(cats)), cats)
    ax.set_ylim(-0.6, len(cats) - 0.4)
    ax.set_xlim(first - 1, last + 1)
    ax.set_xlabel("year of defection")
    ax.set_title("Known elite defections (filled circle: confirmed; hollow diamond: reported only)", pad=22)
    _leader_eras(ax, first, last)
    ax.grid(axis="y", visible=False)
    return fig


def _stack_offsets(df: pd.DataFrame, keys: list[str], step: float) -> pd.Series:
    """Centred vertical offsets for rows that share the same values of ``keys``."""
    k = df.groupby(keys).cumcount()
    n = df.groupby(keys)[keys[0]].transform("size")
    return (k - (n - 1) / 2) * step


def _leader_eras(ax: plt.Axes, first: int, last: int) -> None:
    """Dashed lines where a new leader's era starts, with the leaders' names above the axes."""
    eras = (("Kim Il-sung", 1948, 1993), ("Kim Jong-il", 1994, 2011), ("Kim Jong-un", 2012, last))
    lo_x, hi_x = ax.get_xlim()
    for name, start, end in eras:
        lo, hi = max(start - 0.5, lo_x), min(end + 0.5, hi_x)
        if lo >= hi:
            continue
        if start - 0.5 > lo_x:
            ax.axvline(start - 0.5, color="#777777", linestyle="--", lw=1)
        ax.text(
            (lo + hi) / 2,
            1.01,
            name,
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="bottom",
            fontsize=9,
            color="#333333",
        )


LATER_STATUS_STYLE = {
    "announced by North Korea": ("o", OKABE_ITO["black"]),
    "not contradicted": ("s", OKABE_ITO["blue"]),
    "disputed": ("^", OKABE_ITO["orange"]),
    "contradicted: reappeared": ("X", OKABE_ITO["vermillion"]),
}


def purge_timeline_chart(df: pd.DataFrame) -> Figure:
    """Reported purges by year and reported fate; the marker shows what became of each report."""
    fig, ax = _new((9.5, 4.6))
    fates = ["executed", "killed", "purged", "dismissed or demoted", "sent to re-education or labour"]
    if df.empty:
        return empty_figure("No reports match this selection.")
    df = df.reset_index(drop=True)
    # centred offsets over all reports of a year and fate, so that no report hides another
    offsets = _stack_offsets(df, ["year", "reported_fate"], 0.22)
    for status, (marker, color) in LATER_STATUS_STYLE.items():
        s = df[df["later_status"] == status]
        if s.empty:
            continue
        ax.scatter(
            s["year"],
            [fates.index(f) + offsets[i] for f, i in zip(s["reported_fate"], s.index)],
            marker=marker,
            s=80,
            color=color,
            label=status,
        )
    ax.set_yticks(range(len(fates)), fates)
    ax.set_ylim(-0.6, len(fates) - 0.4)
    ax.set_xlim(min(1995, int(df["year"].min()) - 1), 2026)
    ax.set_xlabel("year of the reported event")
    ax.set_title("Reported purges of senior figures, and what became of each report", pad=22)
    _leader_eras(ax, *(int(v) for v in ax.get_xlim()))
    ax.legend(frameon=False, loc="upper left", fontsize=9)
    ax.grid(axis="y", visible=False)
    return fig


def nis_comparison_chart(df: pd.DataFrame) -> Figure:
    """The intelligence service's reported comparison of executed officials, two bars."""
    fig, ax = _new((7.5, 3.8))
    colors = [OKABE_ITO["sky blue"], OKABE_ITO["vermillion"]]
    bars = ax.bar(
        df["leader"] + "\n(" + df["period"] + ")",
        df["officials_executed_reported"],
        color=colors,
        hatch=[HATCHES[1], HATCHES[0]],
        edgecolor="white",
        width=0.55,
    )
    for bar, v in zip(bars, df["officials_executed_reported"]):
        ax.text(bar.get_x() + bar.get_width() / 2, v + 1.5, f"about {v}", ha="center")
    ax.set_ylabel("officials executed, as reported")
    ax.set_ylim(0, float(df["officials_executed_reported"].max()) * 1.25)
    ax.set_title("South Korean intelligence's own comparison (May 2015): a report, not a count")
    ax.grid(axis="x", visible=False)
    return fig


# ----------------------------------------------------------------------------- lesson 4
def gdr_chart(df: pd.DataFrame, log: bool = False) -> Figure:
    """People leaving East Germany per year; bar hatching marks which series a bar comes from."""
    fig, ax = _new((9.5, 4.8))
    series = list(dict.fromkeys(df["series"]))
    for i, s in enumerate(series):
        part = df[df["series"] == s]
        ax.bar(
            part["year"],
            part["persons"],
            color=PALETTE[i % len(PALETTE)],
            hatch=HATCHES[i],
            edgecolor="white",
            width=0.8,
            label=part["series_label"].iloc[0],
        )
    for year, text in ((1953, "1953: uprising"), (1961, "1961: the Wall"), (1989, "1989: the Wall opens")):
        row = df[df["year"] == year]
        if not row.empty:
            ax.annotate(
                text,
                (year, float(row["persons"].iloc[0])),
                xytext=(0, 5),
                textcoords="offset points",
                ha="center",
                fontsize=9,
            )
    if log:
        ax.set_yscale("log")
    else:
        ax.set_ylim(0, 1.12 * float(df["persons"].max()))  # room for the labels under the title
    ax.yaxis.set_major_formatter(THOUSANDS)
    ax.set_xlabel("year")
    ax.set_ylabel("people leaving for West Germany")
    ax.set_title("Leaving East Germany, 1949-1989 (1987 missing; series change in 1962)")
    ax.legend(frameon=False, fontsize=9, loc="upper center")
    return fig


def rate_chart(df: pd.DataFrame) -> Figure:
    """People leaving per 100,000 inhabitants per year, both countries, log scale."""
    fig, ax = _new()
    for i, (country, part) in enumerate(df.groupby("country", sort=False)):
        ax.plot(
            part["year"],
            part["per_100k"],
            color=PALETTE[i],
            marker=MARKERS[i],
            linestyle="-" if i == 0 else "--",
            label=country,
        )
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _p: f"{x:g}"))
    ax.set_xlabel("year")
    ax.set_ylabel("people leaving per 100,000 inhabitants (log scale)")
    ax.set_title("Scale: East German flight against North Korean arrivals in the South")
    ax.legend(frameon=False, loc="upper right")
    return fig


def eastbloc_elite_chart(df: pd.DataFrame) -> Figure:
    """Each elite defector as a bar from the defection to the end of the regime."""
    part = df.dropna(subset=["regime_end_year"]).sort_values("year", ascending=False)
    if part.empty:
        return empty_figure("No regime-end year for this selection (the regime did not end).")
    fig, ax = _new((9.5, 0.55 * len(part) + 1.8))
    countries = list(dict.fromkeys(part["country"]))
    styles = group_styles(countries)
    for i, r in enumerate(part.itertuples()):
        st = styles[r.country]
        ax.plot(
            [r.year, r.regime_end_year],
            [i, i],
            color=st["color"],
            lw=6,
            linestyle="-",
            marker="",
            solid_capstyle="butt",
        )  # a solid bar: not the style cycle's dashes
        ax.plot(r.year, i, marker=st["marker"], color=st["color"], markersize=9)
        ax.text(
            r.regime_end_year + 0.5, i, f"{int(r.years_before_regime_end)} years", va="center", fontsize=9
        )
    ax.set_yticks(range(len(part)), [f"{r.person} ({r.country}, {r.year})" for r in part.itertuples()])
    ax.set_xlim(1950, 1997)
    ax.set_xlabel("year (marker: defection; bar ends when the regime ended)")
    ax.set_title("Elite defectors and the years their regimes still lasted")
    ax.grid(axis="y", visible=False)
    return fig


def stasi_chart(df: pd.DataFrame) -> Figure:
    """Successful and prevented escapes counted by the Stasi, 1976-1988."""
    part = df.dropna(subset=["prevented_attempts"])
    fig, ax = _new()
    ax.plot(
        part["year"],
        part["successful_escapes"],
        color=OKABE_ITO["vermillion"],
        marker="o",
        label="successful escapes",
    )
    ax.plot(
        part["year"],
        part["of_which_non_returners"],
        color=OKABE_ITO["orange"],
        marker="^",
        linestyle=":",
        label="of which: stayed in the West after a permitted trip",
    )
    ax.plot(
        part["year"],
        part["prevented_attempts"],
        color=OKABE_ITO["blue"],
        marker="s",
        linestyle="--",
        label="attempts stopped",
    )
    ax.yaxis.set_major_formatter(THOUSANDS)
    ax.set_xlabel("year")
    ax.set_ylabel("people")
    ax.set_title("Escapes counted by the Stasi, 1976-1988")
    ax.legend(frameon=False, loc="upper left")
    return fig


# ----------------------------------------------------------------------------- lesson 5
VERDICT_STYLE = {
    "supported": ("o", OKABE_ITO["bluish green"]),
    "partly supported": ("s", OKABE_ITO["orange"]),
    "not supported": ("X", OKABE_ITO["vermillion"]),
    "cannot tell from the data": ("^", OKABE_ITO["reddish purple"]),
    "not decided yet": ("o", "#BBBBBB"),
}


def verdict_chart(summary: pd.DataFrame) -> Figure:
    """The learner's verdict board: one row per claim, the verdict as a labelled marker."""
    fig, ax = _new((9.5, 0.5 * len(summary) + 1.5))
    order = list(VERDICT_STYLE)
    for i, r in enumerate(summary.itertuples()):
        marker, color = VERDICT_STYLE[r.verdict]
        x = order.index(r.verdict)
        ax.scatter(x, i, marker=marker, s=140, color=color)
        ax.text(x + 0.12, i, r.verdict, va="center", fontsize=9)
    ax.set_yticks(range(len(summary)), [f"{r.id}" for r in summary.itertuples()])
    ax.set_xticks(range(len(order)), ["" for _ in order])
    ax.set_xlim(-0.5, len(order) + 0.6)
    ax.invert_yaxis()
    ax.set_title("Your verdicts on the op-ed's claims")
    ax.grid(axis="y", visible=False)
    return fig


def recency_chart(curve: pd.DataFrame, claim_year: int = 2015) -> Figure:
    """How 'the share who arrived in the last 15 years' changes with the as-of year."""
    fig, ax = _new()
    ax.plot(curve["as_of"], curve["share_pct"], color=OKABE_ITO["blue"], marker="o")
    ax.axhline(95, color=OKABE_ITO["vermillion"], linestyle="--", lw=1.2)
    ax.text(curve["as_of"].min(), 96.5, "the op-ed's 95%", color=OKABE_ITO["vermillion"], fontsize=10)
    ax.axvline(claim_year + 0.5, color="#777777", linestyle=":", lw=1)
    ax.text(claim_year + 0.7, 10, "op-ed written\n(Aug 2016)", fontsize=9, color="#333333")
    ax.set_ylim(0, 105)
    ax.set_xlabel("as of the end of year")
    ax.set_ylabel("% who arrived in the previous 15 years")
    ax.set_title("A claim about a moving quantity expires: the '95%' over time")
    return fig


def evidence_chart(profile: pd.DataFrame) -> Figure:
    """For each claim, the kinds of publication its evidence rows were read in (stacked bars)."""
    kinds = list(dict.fromkeys(profile["kind"]))
    claims_ = list(dict.fromkeys(profile["claim"]))[::-1]
    fig, ax = _new((9.5, 5.0))
    left = [0.0] * len(claims_)
    for i, kind in enumerate(kinds):
        part = profile[profile["kind"] == kind].set_index("claim").reindex(claims_)
        widths = part["share_pct"].fillna(0).tolist()
        color = "#BBBBBB" if kind == "news" else PALETTE[i % len(PALETTE)]
        ax.barh(
            claims_,
            widths,
            left=left,
            color=color,
            hatch=HATCHES[i % len(HATCHES)],
            edgecolor="white",
            label=kind,
        )
        left = [a + b for a, b in zip(left, widths)]
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of the claim's evidence rows, by kind of publication the figure was read in")
    ax.set_title("Where the evidence for each claim comes from")
    ax.legend(frameon=False, fontsize=8.5, ncols=4, loc="upper center", bbox_to_anchor=(0.5, -0.14))
    ax.grid(axis="y", visible=False)
    return fig
