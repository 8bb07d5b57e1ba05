"""Lesson 2 (social origins): breakdowns of the defector population by snapshot, the breakdown
chart, its view and the origins explorer.

:func:`breakdown` and :func:`available_snapshots` serve the explorer; :func:`humble_share`,
:func:`province_representation` and :func:`border_share` are the exercises' answers in one call.
The lesson computes its claims (occupation shares, the provinces against the census) in the
open with pandas and draws its other figures with seaborn.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from .. import charts
from ..errors import CourseError
from ..interactives import Interactive, View, dropdown, problem
from ..loading import load
from ..style import OKABE_ITO, annotation_size

#: Breakdown name -> (table, category column).
BREAKDOWNS: dict[str, tuple[str, str]] = {
    "occupation": ("origins_occupation", "category"),
    "province": ("origins_province", "province"),
    "age": ("origins_age", "age_band"),
    "education": ("origins_education", "level"),
}

#: Default occupation groups of :func:`humble_share` (the answer key's "humble" groups).
HUMBLE_GROUPS = ("workers", "not employed", "service")

#: Label of the row :func:`breakdown` adds when a source printed only some categories.
NOT_LISTED = "not listed in the source"
#: A listed total more than this fraction below (or above) the snapshot's base means the
#: source printed only some (or overlapping) categories.  Smaller gaps, such as the 313
#: people missing from the c. 2024 province table (0.9%), are left as the source has them.
LISTING_TOLERANCE = 0.02


def snapshots() -> pd.DataFrame:
    """The snapshots (source and date) behind the breakdown tables."""
    return load("origin_snapshots")


def breakdown(dimension: str, snapshot: str = "github_c2024", sex: str = "total") -> pd.DataFrame:
    """One breakdown of one snapshot: category, count and share (% of the people described).

    ``sex`` is ``"total"``, ``"male"`` or ``"female"``.  Shares are recomputed from the
    counts, so they always add up to 100 even where the source rounded them.

    Some sources printed only some categories (Daily NK's 2008 education figures, the
    provinces of the 1998-2003 and 2018 snapshots).  For everyone (``sex="total"``) the
    people they leave out are then added as a row ``"not listed in the source"`` (the
    snapshot's base minus the listed counts), so the shares are of everyone the snapshot
    describes, as the sources print them, and not inflated.  A snapshot with no stated
    base, or whose categories add up to more than its base (they overlap), raises
    :class:`CourseError`: it is not a breakdown.
    """
    if dimension not in BREAKDOWNS:
        raise CourseError(f"Unknown breakdown {dimension!r}; choose one of {list(BREAKDOWNS)}.")
    if sex not in ("total", "male", "female"):
        raise CourseError(f"sex must be 'total', 'male' or 'female', not {sex!r}.")
    table, column = BREAKDOWNS[dimension]
    df = load(table)
    part = df[df["snapshot"] == snapshot]
    if part.empty:
        available = sorted(df["snapshot"].unique())
        raise CourseError(f"No {dimension} breakdown for snapshot {snapshot!r}; available: {available}.")
    if part[sex].isna().all():
        who = {"total": "everyone", "female": "women", "male": "men"}[sex]
        raise CourseError(
            f"The {snapshot} {dimension} breakdown has no separate counts for {who}"
            + ("; choose everyone, or another snapshot." if sex != "total" else ".")
        )
    out = part[[column, sex]].rename(columns={column: "category", sex: "count"}).dropna()
    out["count"] = out["count"].astype(int)
    if sex == "total":
        base = snapshots().set_index("snapshot").loc[snapshot, "base"]
        listed = int(out["count"].sum())
        if pd.isna(base):
            raise CourseError(
                f"The {snapshot} {dimension} figures are selected categories with no "
                f"stated total (some overlap), so they are not a breakdown; read them "
                f"in load({table!r})."
            )
        base = int(base)
        if listed > base * (1 + LISTING_TOLERANCE):
            raise CourseError(
                f"The {snapshot} {dimension} counts add up to {listed:,}, more than the "
                f"{base:,} people the snapshot describes: the categories overlap."
            )
        if listed < base * (1 - LISTING_TOLERANCE):
            out = pd.concat([out, pd.DataFrame({"category": [NOT_LISTED], "count": [base - listed]})])
    out["share_pct"] = (100 * out["count"] / out["count"].sum()).round(1)
    return out.reset_index(drop=True)


def available_snapshots(dimension: str, sex: str = "total") -> list[str]:
    """Snapshots that :func:`breakdown` can show for a dimension (and sex), oldest first."""
    table, _ = BREAKDOWNS[dimension]
    df = load(table).dropna(subset=[sex])
    years = snapshots().set_index("snapshot")["year"]
    usable = []
    for snap in df["snapshot"].unique():
        try:
            breakdown(dimension, snap, sex)
        except CourseError:
            continue
        usable.append(snap)
    return sorted(usable, key=lambda s: (int(years[s]), s))


def humble_share(snapshot: str = "github_c2024", groups: tuple[str, ...] = HUMBLE_GROUPS) -> float:
    """Percent of a snapshot in some occupation groups (default: the 'humble' groups).

    The denominator is everyone in the snapshot's occupation table, children included.
    ``groups`` are values of the harmonised ``category_group`` column, e.g.
    ``("workers", "not employed")``.
    """
    occ = load("origins_occupation")
    part = occ[occ["snapshot"] == snapshot]
    if part.empty or part["total"].isna().any():
        raise CourseError(f"Snapshot {snapshot!r} has no complete occupation counts.")
    unknown = sorted(set(groups) - set(occ["category_group"]))
    if unknown:
        raise CourseError(
            f"Unknown occupation group(s) {unknown}; the groups are {sorted(occ['category_group'].unique())}."
        )
    chosen = part.loc[part["category_group"].isin(groups), "total"].sum()
    return round(100 * float(chosen) / float(part["total"].sum()), 1)


def province_representation(snapshot: str = "github_c2024") -> pd.DataFrame:
    """Defectors' home provinces against the 2008 census.

    Returns, per province: defectors, their share (%), census population, its share (%)
    of the population living in provinces, and the ratio of the two shares (1 = as many
    defectors as the population would predict; 6 = six times as many).  Nampo is merged
    into South Pyongan, to which it belonged in 2008.
    """
    prov = load("origins_province")
    part = prov[prov["snapshot"] == snapshot][["province", "total"]]
    if part.empty:
        raise CourseError(f"No province counts for snapshot {snapshot!r}.")
    part = part.assign(province=part["province"].replace({"Nampo": "South Pyongan"}))
    defectors = part.groupby("province")["total"].sum()
    census = load("nk_census_2008").set_index("area")
    census = census[census["borders_china"].notna()]  # provinces only, not military camps
    missing = sorted(set(defectors.index) - set(census.index))
    if missing:
        raise CourseError(f"Provinces not in the census table: {missing}.")
    df = pd.DataFrame(
        {
            "defectors": defectors.reindex(census.index).fillna(0).astype(int),
            "population": census["population"].astype(int),
            "borders_china": census["borders_china"].astype(bool),
        }
    )
    df["defector_share_pct"] = (100 * df["defectors"] / df["defectors"].sum()).round(1)
    df["population_share_pct"] = (100 * df["population"] / df["population"].sum()).round(1)
    df["ratio"] = (df["defector_share_pct"] / df["population_share_pct"]).round(2)
    return df.rename_axis("province").reset_index().sort_values("ratio", ascending=False, ignore_index=True)


def border_share(snapshot: str = "github_c2024") -> dict[str, float]:
    """Share (%) of defectors, and of the population, from provinces bordering China."""
    df = province_representation(snapshot)
    border = df[df["borders_china"]]
    return {
        "defectors_pct": round(float(border["defector_share_pct"].sum()), 1),
        "population_pct": round(float(border["population_share_pct"].sum()), 1),
    }


# ----------------------------------------------------------------------------- chart
def breakdown_chart(
    df: pd.DataFrame, title: str, xlabel: str = "share of defectors (%)", sort: bool = True
) -> Figure:
    """Horizontal bars of shares with the value written at the end of each bar."""
    part = df.sort_values("share_pct", ascending=True) if sort else df.iloc[::-1]
    fig, ax = charts.new_figure((8.5, 0.45 * len(part) + 1.6))
    bars = ax.barh(part["category"], part["share_pct"], color=OKABE_ITO["blue"])
    for bar, share, count in zip(bars, part["share_pct"], part["count"]):
        ax.text(
            bar.get_width() + 0.5,
            bar.get_y() + bar.get_height() / 2,
            f"{share:.1f}% ({count:,})",
            va="center",
            fontsize=annotation_size(10),
        )
    ax.set_xlim(0, max(100.0, float(part["share_pct"].max()) * 1.3) if len(part) else 100)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("")
    charts.set_title(ax, title)
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
) -> View:
    """One breakdown of the defector population (lesson 2)."""
    params = {"dimension": dimension, "snapshot": snapshot, "sex": sex}
    if dimension not in BREAKDOWNS:
        return problem(f"Choose a breakdown: {', '.join(BREAKDOWNS)}.", **params)
    if sex not in SEX_CHOICES:
        return problem(f"Choose one of: {', '.join(SEX_CHOICES)}.", **params)
    try:
        df = breakdown(dimension, snapshot, SEX_CHOICES[sex])
    except CourseError as exc:
        return problem(str(exc), **params)
    snaps = snapshots().set_index("snapshot")
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
    return View(df, summary, alt, lambda: breakdown_chart(df, title), params=params)


# ----------------------------------------------------------------------------- explorer
def _snapshot_options(dimension: str) -> list[tuple[str, str]]:
    snaps = snapshots().set_index("snapshot")
    out = []
    for snap in available_snapshots(dimension):
        out.append((f"{snaps.loc[snap, 'as_of']} ({snap})", snap))
    return out


def origins_explorer() -> Interactive:
    """A breakdown dropdown (occupation, province, age, education), snapshot and sex."""
    # each dimension's snapshots, found once (by trying every snapshot's breakdown), not per change
    options_of = {d: _snapshot_options(d) for d in BREAKDOWNS}
    dimension = dropdown("Breakdown", list(BREAKDOWNS), "occupation", "230px")
    snapshot = dropdown("Snapshot", options_of["occupation"], "github_c2024", "360px")
    sex = dropdown("Who", list(SEX_CHOICES), "everyone", "180px")
    choice = dimension  # (a second name: the identity test below narrows `dimension` for mypy)

    def refresh_snapshots(inter: Interactive, change: dict) -> None:
        if change.get("owner") is dimension:
            options = options_of[choice.value]
            keep = snapshot.value if snapshot.value in [v for _, v in options] else options[-1][1]
            snapshot.unobserve(inter.update, names="value")
            try:
                snapshot.options = options
                snapshot.value = keep
            finally:
                snapshot.observe(inter.update, names="value")

    return Interactive(
        "Who were the defectors?",
        {"dimension": dimension, "snapshot": snapshot, "sex": sex},
        origins_view,
        before_update=refresh_snapshots,
    )
