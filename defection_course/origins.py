"""Lesson 2 logic: who the defectors were in North Korea, and where they came from."""
from __future__ import annotations

import pandas as pd

from .errors import CourseError
from .loading import load

#: Breakdown name -> (table, category column).
BREAKDOWNS: dict[str, tuple[str, str]] = {
    "occupation": ("origins_occupation", "category"),
    "province": ("origins_province", "province"),
    "age": ("origins_age", "age_band"),
    "education": ("origins_education", "level"),
}

#: Occupation groups the op-ed would call "humble origin" (ordinary workers, people with
#: no registered occupation, service staff) versus groups with status or privileges.
HUMBLE_GROUPS = ("workers", "not employed", "service")
STATUS_GROUPS = ("management", "professionals", "arts/sports", "military", "overseas staff")


def snapshots() -> pd.DataFrame:
    """The snapshots (source and date) behind the breakdown tables."""
    return load("origin_snapshots")


def breakdown(dimension: str, snapshot: str = "github_c2024", sex: str = "total") -> pd.DataFrame:
    """One breakdown of one snapshot: category, count and share (% of the listed total).

    ``sex`` is ``"total"``, ``"male"`` or ``"female"``.  Shares are recomputed from the
    counts, so they always add up to 100 even where the source rounded them.
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
        raise CourseError(f"The {snapshot} {dimension} breakdown has no counts by {sex}.")
    out = part[[column, sex]].rename(columns={column: "category", sex: "count"}).dropna()
    out["count"] = out["count"].astype(int)
    out["share_pct"] = (100 * out["count"] / out["count"].sum()).round(1)
    return out.reset_index(drop=True)


def available_snapshots(dimension: str, sex: str = "total") -> list[str]:
    """Snapshots that have counts for a breakdown (and sex), oldest first."""
    table, _ = BREAKDOWNS[dimension]
    df = load(table).dropna(subset=[sex])
    years = snapshots().set_index("snapshot")["year"]
    return sorted(df["snapshot"].unique(), key=lambda s: (int(years[s]), s))


def occupation_groups_over_time() -> pd.DataFrame:
    """Share (%) of each harmonised occupation group in every snapshot with complete data."""
    occ = load("origins_occupation")
    snaps = snapshots().set_index("snapshot")
    rows = []
    for snap, part in occ.groupby("snapshot", sort=False):
        if part["total"].notna().all():
            shares = 100 * part.groupby("category_group")["total"].sum() / part["total"].sum()
        elif part["pct_published"].notna().all():
            shares = part.groupby("category_group")["pct_published"].sum()
            if abs(shares.sum() - 100) > 1:
                continue  # only some categories were published
        else:
            continue
        for group, share in shares.items():
            rows.append({"snapshot": snap, "as_of": snaps.loc[snap, "as_of"],
                         "year": int(snaps.loc[snap, "year"]), "group": group,
                         "share_pct": round(float(share), 1)})
    return pd.DataFrame(rows).sort_values(["year", "group"]).reset_index(drop=True)


def humble_share(snapshot: str = "github_c2024") -> float:
    """Percent of a snapshot in the 'humble' occupation groups (workers, no occupation, service)."""
    occ = load("origins_occupation")
    part = occ[occ["snapshot"] == snapshot]
    if part.empty or part["total"].isna().any():
        raise CourseError(f"Snapshot {snapshot!r} has no complete occupation counts.")
    humble = part.loc[part["category_group"].isin(HUMBLE_GROUPS), "total"].sum()
    return round(100 * float(humble) / float(part["total"].sum()), 1)


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
    df = pd.DataFrame({"defectors": defectors.reindex(census.index).fillna(0).astype(int),
                       "population": census["population"].astype(int),
                       "borders_china": census["borders_china"].astype(bool)})
    df["defector_share_pct"] = (100 * df["defectors"] / df["defectors"].sum()).round(1)
    df["population_share_pct"] = (100 * df["population"] / df["population"].sum()).round(1)
    df["ratio"] = (df["defector_share_pct"] / df["population_share_pct"]).round(2)
    return df.rename_axis("province").reset_index().sort_values("ratio", ascending=False,
                                                                 ignore_index=True)


def border_share(snapshot: str = "github_c2024") -> dict[str, float]:
    """Share (%) of defectors, and of the population, from provinces bordering China."""
    df = province_representation(snapshot)
    border = df[df["borders_china"]]
    return {"defectors_pct": round(float(border["defector_share_pct"].sum()), 1),
            "population_pct": round(float(border["population_share_pct"].sum()), 1)}
