"""Lesson 4 (the East-bloc comparison): East German series, rates per head, the elite explorer.

The lesson computes rates per 100,000 and the years before each regime's end in the open; the
functions here remain for the explorer and for the exercises' answer keys.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..charts import empty_figure, label_right, new_figure, set_title
from ..errors import CourseError
from ..interactives import Interactive, View, dropdown, problem
from ..loading import load
from ..style import annotation_size, group_styles
from .history import annual_arrivals

#: For each year, which GDR series the course plots (the sources change definition).
GDR_PLOT_SERIES: tuple[tuple[int, int, str], ...] = (
    (1949, 1961, "notaufnahme_refugees"),
    (1962, 1986, "uebersiedler_und_fluechtlinge"),
    (1988, 1988, "saxony_anhalt_archive_estimate"),
    (1989, 1989, "west_german_count"),
)

SERIES_LABELS: dict[str, str] = {
    "notaufnahme_refugees": "refugees registered in West Germany (GHDI)",
    "uebersiedler_und_fluechtlinge": "permitted emigrants and refugees (GHDI)",
    "saxony_anhalt_archive_estimate": "rounded estimate (Saxony-Anhalt archive)",
    "west_german_count": "West German count (Statista)",
}


def gdr_flight() -> pd.DataFrame:
    """One figure per year for people leaving East Germany, with the series it comes from.

    The series differ in what they count (see ``data/README.md``); 1987 is missing.
    """
    gdr = load("gdr_emigration")
    parts = []
    for start, end, series in GDR_PLOT_SERIES:
        sel = gdr[(gdr["series"] == series) & gdr["year"].between(start, end)]
        parts.append(sel[["year", "persons", "series"]])
    df = pd.concat(parts, ignore_index=True).sort_values("year", ignore_index=True)
    df["series_label"] = df["series"].map(SERIES_LABELS)
    return df


def _population(country: str, years: pd.Series) -> np.ndarray:
    pops = load("populations")
    pts = pops[pops["country"] == country].sort_values("year")
    if pts.empty:
        raise CourseError(
            f"No population figures for {country!r}; the table has {sorted(pops['country'].unique())}."
        )
    return np.interp(years.astype(float), pts["year"].astype(float), pts["population"].astype(float))


def population_at(country: str, year: int) -> float:
    """Population of ``country`` in ``year``, as :func:`rate_per_100k` uses it.

    Each checkpoint in ``populations`` counts for its year; in between, the population is
    interpolated on a straight line, and outside the checkpoints it is held flat.
    """
    return float(_population(country, pd.Series([year]))[0])


def gdr_counts(year: int) -> pd.DataFrame:
    """Every count in ``gdr_emigration`` for one year, largest first, with precision and source.

    Most years have one count; 1961 and 1962 have two (the series overlap) and 1989 has five.
    """
    gdr = load("gdr_emigration")
    rows = gdr[gdr["year"] == year]
    if rows.empty:
        raise CourseError(
            f"No East German count for {year}; the table covers "
            f"{sorted(gdr['year'].unique())[0]}-{sorted(gdr['year'].unique())[-1]} "
            "without 1987."
        )
    cols = ["year", "series", "persons", "rounded_to", "status", "source_id", "note"]
    return rows.sort_values("persons", ascending=False, ignore_index=True)[cols]


def rate_per_100k() -> pd.DataFrame:
    """People leaving per 100,000 inhabitants per year: East Germany and North Korea.

    Population between the published checkpoints is interpolated linearly and held flat
    outside them, so the rates are approximations (good to about 5%).
    """
    gdr = gdr_flight()
    gdr_rate = 1e5 * gdr["persons"].astype(float) / _population("East Germany", gdr["year"])
    nk = annual_arrivals().dropna(subset=["total"])
    nk_rate = 1e5 * nk["total"].astype(float) / _population("North Korea", nk["year"])
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "country": "East Germany",
                    "year": gdr["year"],
                    "people": gdr["persons"],
                    "per_100k": gdr_rate.round(1),
                }
            ),
            pd.DataFrame(
                {
                    "country": "North Korea (arrivals in the South)",
                    "year": nk["year"],
                    "people": nk["total"],
                    "per_100k": nk_rate.round(2),
                }
            ),
        ],
        ignore_index=True,
    )


def elite_defectors(country: str | None = None) -> pd.DataFrame:
    """Soviet-bloc elite defectors with the years left before their regime ended."""
    df = load("eastbloc_elite_defections")
    if country is not None:
        if country not in set(df["country"]):
            raise CourseError(
                f"No defectors from {country!r} in the table; choose from {sorted(df['country'].unique())}."
            )
        df = df[df["country"] == country]
    return df.sort_values("year", ignore_index=True)


def stasi_escapes() -> pd.DataFrame:
    """Escapes the Stasi counted per year, 1976-1989, with the share of non-returners."""
    df = load("gdr_stasi_escapes")
    share = 100 * df["of_which_non_returners"] / df["successful_escapes"]
    return df.assign(non_returner_share=share.astype("Float64").round(1))


# ----------------------------------------------------------------------------- chart
def eastbloc_elite_chart(df: pd.DataFrame) -> Figure:
    """Each elite defector as a bar from the defection to the end of the regime, the years between
    written at the row's end."""
    part = df.dropna(subset=["regime_end_year"]).sort_values("year", ascending=False)
    if part.empty:
        return empty_figure("No regime-end year for this selection (the regime did not end).")
    fig, ax = new_figure((9.5, 0.55 * len(part) + 1.8))
    styles = group_styles(list(dict.fromkeys(part["country"])))
    for i, r in enumerate(part.itertuples()):
        st = styles[r.country]
        # a solid bar whatever the style cycle's dashes
        ax.plot(
            [r.year, r.regime_end_year],
            [i, i],
            color=st["color"],
            lw=6,
            linestyle="-",
            marker="",
            solid_capstyle="butt",
        )
        ax.plot(r.year, i, marker=st["marker"], color=st["color"], markersize=9)
        label_right(ax, i, f"{int(r.years_before_regime_end)} years", annotation_size(9))
    ax.set_yticks(range(len(part)), [f"{r.person} ({r.country}, {r.year})" for r in part.itertuples()])
    ax.set_xlim(1950, 1993)
    ax.set_xlabel("year (marker: defection;\nbar ends when the regime ended)")
    set_title(ax, "Elite defectors and the years their regimes still lasted")
    ax.grid(axis="y", visible=False)
    return fig


# ----------------------------------------------------------------------------- view and explorer
ALL_COUNTRIES = "all countries"


def eastbloc_view(country: str = ALL_COUNTRIES) -> View:
    """Soviet-bloc elite defectors of one country (or all) against their regime's end."""
    params = {"country": country}
    try:
        df = elite_defectors(None if country == ALL_COUNTRIES else country)
    except CourseError as exc:
        return problem(str(exc), **params)
    ended = df.dropna(subset=["years_before_regime_end"])
    if ended.empty:
        summary = (
            f"{country}: {len(df)} defector{'s' if len(df) != 1 else ''} listed; the regime "
            "did not end, so there is no 'years before the end' to show."
        )
        return View(
            df[["year", "person", "role"]], summary, summary, lambda: eastbloc_elite_chart(df), params=params
        )
    yrs = ended["years_before_regime_end"].astype(int)
    many = len(ended) != 1
    span = f"between {yrs.min()} and {yrs.max()} years" if many else f"{yrs.min()} years"
    summary = (
        f"{country}: {len(ended)} elite defector{'s' if many else ''} with a regime end; "
        f"they left {span} before the regime ended" + (f" (median {yrs.median():g})." if many else ".")
    )
    alt = (
        "Bar chart: for each defector, a bar from the year of defection to the year the regime ended. "
        + "; ".join(
            f"{r.person} {int(r.year)}, {int(r.years_before_regime_end)} years" for r in ended.itertuples()
        )
        + "."
    )
    table = df[["year", "person", "country", "role", "regime_end_year", "years_before_regime_end"]]
    return View(table.reset_index(drop=True), summary, alt, lambda: eastbloc_elite_chart(df), params=params)


def eastbloc_countries() -> list[str]:
    """Options for the country selector."""
    return [ALL_COUNTRIES] + sorted(elite_defectors()["country"].unique())


def eastbloc_explorer() -> Interactive:
    """Soviet-bloc elite defectors of a chosen country against the regime's end."""
    country = dropdown("Country", eastbloc_countries(), ALL_COUNTRIES)
    return Interactive("Elite defectors and the end of their regimes", {"country": country}, eastbloc_view)
