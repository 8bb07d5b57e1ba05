#!/usr/bin/env python3
"""Rebuild ``data/datapackage.json`` from the table specifications below and the CSV files.

The CSV files in ``data/`` are the course's frozen snapshot of its sources: each figure
was transcribed by hand from the page named in ``data/sources.csv`` (news articles,
government statistics pages and archives that offer no machine-readable download).
This script writes everything about them that can be computed: the Frictionless
descriptor with column types, constraints, keys and licences, each table's list of
sources, its row count and its SHA-256 checksum.  Run it after editing any CSV:

    python tools/build_datapackage.py          # rewrite data/datapackage.json
    python tools/build_datapackage.py --check  # exit 1 if it is out of date (used by tests)
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"

STATUS = {
    "name": "status",
    "type": "string",
    "description": "sourced = read in the cited source; derived = arithmetic on sourced "
    "figures (method in the note)",
    "constraints": {"required": True, "enum": ["sourced", "derived"]},
}
SOURCE = {
    "name": "source_id",
    "type": "string",
    "description": "the source of this row: a source_id in sources.csv",
    "constraints": {"required": True},
}
NOTE = {"name": "note", "type": "string", "description": "context, caveats and conflicts"}


def f(name: str, type_: str, description: str, **constraints: object) -> dict:
    """One Table Schema field."""
    field: dict = {"name": name, "type": type_, "description": description}
    if constraints:
        field["constraints"] = constraints
    return field


def count(name: str, description: str, required: bool = False) -> dict:
    return f(name, "integer", description, **({"required": True} if required else {}), minimum=0)


SNAPSHOT_FK = {"fields": "snapshot", "reference": {"resource": "origin_snapshots", "fields": "snapshot"}}

TABLES: list[dict] = [
    {
        "name": "sources",
        "title": "Sources of every figure",
        "description": "One row per source: publisher, title, address and date. Every other "
        "table's source_id points here.",
        "fields": [
            f(
                "source_id",
                "string",
                "short identifier used by the other tables",
                required=True,
                unique=True,
                pattern=r"[a-z0-9_]+",
            ),
            f(
                "publisher",
                "string",
                "who published it (the original publisher when a copy or syndication was read)",
                required=True,
            ),
            f("title", "string", "title, or a description where the page has no clear title", required=True),
            f(
                "url",
                "string",
                "address of the page the figures were read from",
                required=True,
                pattern=r"https?://\S+",
            ),
            f(
                "published",
                "string",
                "publication date as far as known (YYYY, YYYY-MM or YYYY-MM-DD; 'unknown' if not shown)",
                required=True,
                pattern=r"(\d{4}(-\d{2}(-\d{2})?)?|unknown)",
            ),
            f("language", "string", "language of the source (ISO 639-1)", required=True),
            f(
                "kind",
                "string",
                "type of source",
                required=True,
                enum=[
                    "official statistics",
                    "government statement",
                    "news",
                    "analysis",
                    "reference work",
                    "archive",
                    "data repository",
                ],
            ),
            NOTE,
        ],
        "primaryKey": ["source_id"],
    },
    {
        "name": "arrivals_annual",
        "title": "North Korean defectors arriving in South Korea, per year",
        "description": "Arrivals per calendar year: the Ministry of Unification's revised "
        "series (2002-2025, by sex) and earlier yearly figures from "
        "government data reported in the press (1994, 1996-2001; no figure "
        "was found for 1995).",
        "fields": [
            f("year", "integer", "calendar year of arrival", required=True, minimum=1950, maximum=2030),
            count("male", "men arriving that year (empty where not published)"),
            count("female", "women arriving that year (empty where not published)"),
            count("total", "everyone arriving that year", required=True),
            f(
                "series",
                "string",
                "mou_official = the Ministry of Unification's current "
                "series; early_reports = yearly figures from government data published in the "
                "press before the current series",
                required=True,
                enum=["mou_official", "early_reports"],
            ),
            STATUS,
            SOURCE,
            NOTE,
        ],
        "primaryKey": ["year"],
    },
    {
        "name": "arrivals_periods",
        "title": "Arrivals over multi-year periods before 2002",
        "description": "Totals and averages published for periods rather than single years, "
        "including the Ministry of Unification's two opening columns "
        "('up to 1998' and '1999-2001').",
        "fields": [
            f("period_id", "string", "identifier of the row", required=True),
            f("start_year", "integer", "first year covered (empty if not stated)"),
            f("end_year", "integer", "last year covered", required=True),
            f(
                "measure",
                "string",
                "what the value counts",
                required=True,
                enum=["total", "average_per_year", "max_per_year"],
            ),
            f("value", "number", "the figure (lower bound for a range)", required=True, minimum=0),
            f("value_high", "number", "upper bound when the source gives a range"),
            f(
                "qualifier",
                "string",
                "how exact the figure is",
                required=True,
                enum=["exact", "approx", "range", "less_than"],
            ),
            count("male", "men, where published"),
            count("female", "women, where published"),
            f("as_published", "string", "the figure as the source words it", required=True),
            STATUS,
            SOURCE,
            NOTE,
        ],
        "primaryKey": ["period_id"],
    },
    {
        "name": "arrivals_provisional",
        "title": "Earlier and provisional yearly figures that were later revised",
        "description": "Yearly arrival figures as first reported, next to the value in the "
        "Ministry of Unification's current series.",
        "fields": [
            f("report_id", "string", "identifier of the row", required=True),
            f("year", "integer", "year the figure is about", required=True),
            count("reported_value", "the figure as first reported", required=True),
            f(
                "reported_as",
                "string",
                "provisional = announced as provisional; at_the_time "
                "= the official figure then; earlier_figure = used by a later report",
                required=True,
                enum=["provisional", "at_the_time", "earlier_figure"],
            ),
            f("reported_by", "string", "who reported it", required=True),
            f(
                "reported_date",
                "string",
                "when (YYYY, YYYY-MM or YYYY-MM-DD)",
                required=True,
                pattern=r"\d{4}(-\d{2}(-\d{2})?)?",
            ),
            count("revised_value", "the value in the current series (arrivals_annual)", required=True),
            STATUS,
            SOURCE,
            NOTE,
        ],
        "primaryKey": ["report_id"],
    },
    {
        "name": "cumulative_checkpoints",
        "title": "Cumulative number of arrivals at known dates",
        "description": "Running totals of defectors who had arrived in South Korea, as "
        "announced at the time, with what each count starts from.",
        "fields": [
            f("checkpoint_id", "string", "identifier of the row", required=True),
            f(
                "as_of",
                "string",
                "date the total refers to (YYYY, YYYY-MM or YYYY-MM-DD)",
                required=True,
                pattern=r"\d{4}(-\d{2}(-\d{2})?)?",
            ),
            f("year", "integer", "year of as_of", required=True),
            count("cumulative", "total arrivals up to as_of", required=True),
            count("male", "men, where published"),
            count("female", "women, where published"),
            f(
                "qualifier",
                "string",
                "exact, approx, or passed (a milestone was passed)",
                required=True,
                enum=["exact", "approx", "passed"],
            ),
            f("counted_from", "string", "where the count starts, as the source says", required=True),
            f(
                "mou_series",
                "boolean",
                "true if the figure is a year-end total of the "
                "Ministry of Unification's current series (so it must equal the running sum "
                "of arrivals_periods and arrivals_annual)",
                required=True,
            ),
            STATUS,
            SOURCE,
            NOTE,
        ],
        "primaryKey": ["checkpoint_id"],
    },
    {
        "name": "origin_snapshots",
        "title": "Snapshots of the defector population used by the origins tables",
        "description": "Each breakdown (occupation, province, age, education) describes the "
        "defectors counted at one date by one source: a snapshot.",
        "fields": [
            f("snapshot", "string", "identifier used by the origins_* tables", required=True),
            f("as_of", "string", "date or period the snapshot covers, as published", required=True),
            f("year", "integer", "year of the snapshot", required=True),
            count("base", "number of people the snapshot describes (empty if not stated)"),
            f("base_description", "string", "who is counted", required=True),
            STATUS,
            SOURCE,
            NOTE,
        ],
        "primaryKey": ["snapshot"],
    },
    {
        "name": "origins_occupation",
        "title": "Defectors by occupation in North Korea",
        "description": "Cumulative counts or shares by occupation before leaving North Korea, "
        "in the source's categories, plus a harmonised category_group.",
        "fields": [
            f("snapshot", "string", "origin_snapshots.snapshot", required=True),
            f("category", "string", "category as published (translated)", required=True),
            f(
                "category_group",
                "string",
                "harmonised group for comparing snapshots",
                required=True,
                enum=[
                    "workers",
                    "not employed",
                    "management",
                    "professionals",
                    "military",
                    "service",
                    "arts/sports",
                    "children",
                    "students",
                    "overseas staff",
                    "other",
                ],
            ),
            count("male", "men"),
            count("female", "women"),
            count("total", "everyone"),
            f(
                "pct_published",
                "number",
                "share of the snapshot in percent, as published",
                minimum=0,
                maximum=100,
            ),
            STATUS,
            SOURCE,
            NOTE,
        ],
        "primaryKey": ["snapshot", "category"],
        "foreignKeys": [SNAPSHOT_FK],
    },
    {
        "name": "origins_province",
        "title": "Defectors by home province in North Korea",
        "description": "Cumulative counts by province of origin. Some snapshots use combined "
        "categories; see the note column.",
        "fields": [
            f("snapshot", "string", "origin_snapshots.snapshot", required=True),
            f("province", "string", "province or group of provinces", required=True),
            count("male", "men"),
            count("female", "women"),
            count("total", "everyone", required=True),
            f("pct_published", "number", "share in percent, as published", minimum=0, maximum=100),
            STATUS,
            SOURCE,
            NOTE,
        ],
        "primaryKey": ["snapshot", "province"],
        "foreignKeys": [SNAPSHOT_FK],
    },
    {
        "name": "origins_age",
        "title": "Defectors by age at entry into South Korea",
        "description": "Cumulative counts (or shares) by age band at arrival.",
        "fields": [
            f("snapshot", "string", "origin_snapshots.snapshot", required=True),
            f(
                "age_band",
                "string",
                "age at entry",
                required=True,
                enum=["0-9", "10-19", "20-29", "30-39", "40-49", "50-59", "60+"],
            ),
            count("male", "men"),
            count("female", "women"),
            count("total", "everyone"),
            f("pct_published", "number", "share in percent, as published", minimum=0, maximum=100),
            STATUS,
            SOURCE,
            NOTE,
        ],
        "primaryKey": ["snapshot", "age_band"],
        "foreignKeys": [SNAPSHOT_FK],
    },
    {
        "name": "origins_education",
        "title": "Defectors by education completed in North Korea",
        "description": "Cumulative counts (or shares) by highest level of schooling.",
        "fields": [
            f("snapshot", "string", "origin_snapshots.snapshot", required=True),
            f(
                "level",
                "string",
                "education level",
                required=True,
                enum=[
                    "pre-school child",
                    "kindergarten",
                    "primary (people's school)",
                    "secondary (middle/high school)",
                    "junior college",
                    "university or higher",
                    "no schooling",
                    "other/unknown",
                ],
            ),
            count("male", "men"),
            count("female", "women"),
            count("total", "everyone"),
            f("pct_published", "number", "share in percent, as published", minimum=0, maximum=100),
            STATUS,
            SOURCE,
            NOTE,
        ],
        "primaryKey": ["snapshot", "level"],
        "foreignKeys": [SNAPSHOT_FK],
    },
    {
        "name": "origins_sex",
        "title": "Defectors by sex, cumulative",
        "description": "Men and women among all arrivals up to a date.",
        "fields": [
            f("snapshot_id", "string", "identifier of the row", required=True),
            f("as_of", "string", "date, as published", required=True),
            f("year", "integer", "year", required=True),
            count("male", "men"),
            count("female", "women"),
            count("total", "everyone"),
            f(
                "female_pct_published",
                "number",
                "women's share in percent, as published",
                minimum=0,
                maximum=100,
            ),
            STATUS,
            SOURCE,
            NOTE,
        ],
        "primaryKey": ["snapshot_id"],
    },
    {
        "name": "defector_motives",
        "title": "Main motive for leaving, as reported by the Ministry of Unification",
        "description": "Shares of defectors naming each motive, 2001 and 2016.",
        "fields": [
            f("survey_year", "integer", "year the shares refer to", required=True),
            f("motive", "string", "motive", required=True),
            f("pct", "number", "share in percent", required=True, minimum=0, maximum=100),
            STATUS,
            SOURCE,
            NOTE,
        ],
        "primaryKey": ["survey_year", "motive"],
    },
    {
        "name": "nk_census_2008",
        "title": "North Korea's 2008 census population by province",
        "description": "Population on 1 Oct 2008 by province (Nampo inside South Pyongan, "
        "Rason inside North Hamgyong), plus people living in military camps, "
        "who are counted in no province.",
        "fields": [
            f("area", "string", "province, Pyongyang, or the military-camp population", required=True),
            count("population", "people counted", required=True),
            f(
                "borders_china",
                "boolean",
                "true if the province borders China (empty for the military-camp population)",
            ),
            STATUS,
            SOURCE,
            NOTE,
        ],
        "primaryKey": ["area"],
    },
    {
        "name": "populations",
        "title": "Population checkpoints for per-head comparisons",
        "description": "Total population of North Korea and East Germany at a few dates.",
        "fields": [
            f("country", "string", "country", required=True, enum=["North Korea", "East Germany"]),
            f("year", "integer", "year", required=True),
            f("as_of", "string", "date, as published", required=True),
            count("population", "people", required=True),
            f("measure", "string", "what kind of figure", required=True),
            STATUS,
            SOURCE,
            NOTE,
        ],
        "primaryKey": ["country", "year"],
    },
    {
        "name": "elite_defections",
        "title": "Notable elite and diplomatic defections from North Korea",
        "description": "A list of well-known cases, not a complete count: officials, "
        "diplomats, officers and groups whose defection was reported, with "
        "whether it was ever officially confirmed.",
        "fields": [
            f("defection_id", "string", "identifier of the row", required=True),
            f("date_text", "string", "date as reported", required=True),
            f("year", "integer", "year of the defection (of the report if unknown)", required=True),
            f("person_or_group", "string", "who", required=True),
            f(
                "category",
                "string",
                "kind of defector",
                required=True,
                enum=[
                    "diplomat",
                    "military",
                    "party or state official",
                    "trade or finance",
                    "overseas workers",
                ],
            ),
            f("role", "string", "post or rank", required=True),
            f("stationed_at", "string", "where they left from"),
            f("destination", "string", "where they went"),
            f(
                "confirmation",
                "string",
                "confirmed = on the record by the South Korean government (including an "
                "intelligence briefing to parliament) or by the defector; reported = media, "
                "anonymous officials or others' lists only (the rule is in data/README.md)",
                required=True,
                enum=["confirmed", "reported"],
            ),
            STATUS,
            SOURCE,
            NOTE,
        ],
        "primaryKey": ["defection_id"],
    },
    {
        "name": "elite_defection_claims",
        "title": "Aggregate claims about elite defections",
        "description": "Statements such as 'at least seven diplomats defected in 2016', with who made them.",
        "fields": [
            f("claim_id", "string", "identifier of the row", required=True),
            f("period", "string", "period the claim covers", required=True),
            f("year", "integer", "main year of the claim", required=True),
            f("claim", "string", "the claim, paraphrased", required=True),
            f("count_low", "integer", "number claimed (lower bound)", minimum=0),
            f("claimant", "string", "who made the claim", required=True),
            f(
                "basis",
                "string",
                "what the claim rests on",
                required=True,
                enum=["official statement", "media citing anonymous sources", "media list", "analysis"],
            ),
            STATUS,
            SOURCE,
            NOTE,
        ],
        "primaryKey": ["claim_id"],
    },
    {
        "name": "purges",
        "title": "Reported purges and executions of senior North Korean officials",
        "description": "Individual cases as reported, mostly by South Korean intelligence or "
        "media, with whether a report was later contradicted. These are "
        "reports, not established facts, unless the note says otherwise.",
        "fields": [
            f("case_id", "string", "identifier of the row", required=True),
            f("date_text", "string", "date as reported", required=True),
            f("year", "integer", "year of the reported event", required=True),
            f(
                "leader",
                "string",
                "North Korea's leader at the time",
                required=True,
                enum=["Kim Il-sung", "Kim Jong-il", "Kim Jong-un"],
            ),
            f("person", "string", "who", required=True),
            f("role", "string", "post at the time", required=True),
            f(
                "reported_fate",
                "string",
                "what was reported",
                required=True,
                enum=[
                    "executed",
                    "killed",
                    "purged",
                    "dismissed or demoted",
                    "sent to re-education or labour",
                ],
            ),
            f("reported_by", "string", "who made the report", required=True),
            f("what_was_reported", "string", "the report, paraphrased", required=True),
            f(
                "later_status",
                "string",
                "what became of the report",
                required=True,
                enum=["announced by North Korea", "not contradicted", "disputed", "contradicted: reappeared"],
            ),
            STATUS,
            SOURCE,
            NOTE,
        ],
        "primaryKey": ["case_id"],
    },
    {
        "name": "purge_counts",
        "title": "Reported aggregate counts of purges and executions",
        "description": "Counts published by intelligence agencies, think tanks, politicians "
        "and media, with their exact scope. The scopes differ: do not add or "
        "compare them without reading 'scope'.",
        "fields": [
            f("claim_id", "string", "identifier of the row", required=True),
            f("claim_date", "string", "when the count was made public", required=True),
            f("claimant", "string", "who published it", required=True),
            f("figure_as_published", "string", "the figure in the source's words", required=True),
            f("value", "integer", "the number (lower bound if a range)", minimum=0),
            f("value_high", "integer", "upper bound if a range", minimum=0),
            f(
                "counts",
                "string",
                "what is counted",
                required=True,
                enum=["executions", "executions or purges", "purges", "replacements", "public executions"],
            ),
            f("scope", "string", "who is counted and over which period", required=True),
            f(
                "leader",
                "string",
                "leader whose rule the count covers",
                required=True,
                enum=["Kim Jong-il", "Kim Jong-un"],
            ),
            STATUS,
            SOURCE,
            NOTE,
        ],
        "primaryKey": ["claim_id"],
    },
    {
        "name": "gdr_emigration",
        "title": "People leaving East Germany for West Germany, per year and series",
        "description": "Yearly counts from several series that measure different things: "
        "refugees in the emergency-admission procedure (1949-1962), permitted "
        "emigrants plus refugees (1961-1986), and several counts for 1989.",
        "fields": [
            f("year", "integer", "year", required=True, minimum=1945, maximum=1990),
            f("series", "string", "which count the figure belongs to", required=True),
            count("persons", "people", required=True),
            count("rounded_to", "the figure's precision (1000 = published in thousands)", required=True),
            STATUS,
            SOURCE,
            NOTE,
        ],
        "primaryKey": ["year", "series"],
    },
    {
        "name": "gdr_stasi_escapes",
        "title": "Escapes from East Germany counted by the Stasi, 1976-1989",
        "description": "Successful and prevented escapes recorded by the Ministry for State "
        "Security (pensioners excluded), from Eisenfeld (1995).",
        "fields": [
            f("year", "integer", "year", required=True),
            count("successful_escapes", "successful escapes", required=True),
            count("of_which_non_returners", "of which people who stayed in the West after an approved trip"),
            count("prevented_attempts", "attempts stopped"),
            count("total_cases", "successful plus prevented"),
            STATUS,
            SOURCE,
            NOTE,
        ],
        "primaryKey": ["year"],
    },
    {
        "name": "eastbloc_aggregates",
        "title": "Aggregate emigration figures for East Germany and Hungary",
        "description": "Totals over many years, from different sources and definitions.",
        "fields": [
            f("aggregate_id", "string", "identifier of the row", required=True),
            f("country", "string", "country", required=True),
            f("start_year", "integer", "first year", required=True),
            f("end_year", "integer", "last year", required=True),
            f("figure_as_published", "string", "the figure in the source's words", required=True),
            count("value", "the headline number", required=True),
            f("unit", "string", "what is counted", required=True),
            STATUS,
            SOURCE,
            NOTE,
        ],
        "primaryKey": ["aggregate_id"],
    },
    {
        "name": "eastbloc_elite_defections",
        "title": "Notable elite defections from Soviet-bloc states",
        "description": "Well-known officers, officials and diplomats who defected to the "
        "West, and how many years before their regime ended they left.",
        "fields": [
            f("defection_id", "string", "identifier of the row", required=True),
            f("date_text", "string", "date as reported", required=True),
            f("year", "integer", "year", required=True),
            f("person", "string", "who", required=True),
            f("country", "string", "country they left", required=True),
            f("role", "string", "post or rank", required=True),
            f("where", "string", "where and how they defected", required=True),
            f("regime_end_year", "integer", "year the regime ended (empty if it has not)"),
            f("years_before_regime_end", "integer", "regime_end_year minus year", minimum=0),
            STATUS,
            SOURCE,
            NOTE,
        ],
        "primaryKey": ["defection_id"],
    },
    {
        "name": "regime_ends",
        "title": "When the East European communist regimes ended",
        "description": "The event taken as the end of one-party rule in each country.",
        "fields": [
            f("country", "string", "country", required=True),
            f("end_event", "string", "what happened", required=True),
            f("date_text", "string", "date(s) as published", required=True),
            f("end_year", "integer", "year", required=True),
            STATUS,
            SOURCE,
            NOTE,
        ],
        "primaryKey": ["country"],
    },
    {
        "name": "border_events",
        "title": "Escape routes, border controls and other events affecting arrivals",
        "description": "A dated timeline of changes on the routes out of North Korea.",
        "fields": [
            f("event_id", "string", "identifier of the row", required=True),
            f("period", "string", "period as published", required=True),
            f("start_year", "integer", "first year", required=True),
            f("end_year", "integer", "last year", required=True),
            f(
                "category",
                "string",
                "kind of event",
                required=True,
                enum=["route", "border control", "cost", "pandemic", "numbers"],
            ),
            f("event", "string", "what happened, paraphrased", required=True),
            STATUS,
            SOURCE,
            NOTE,
        ],
        "primaryKey": ["event_id"],
    },
]

LICENSES = [
    {
        "name": "CC-BY-4.0",
        "title": "Creative Commons Attribution 4.0 International",
        "path": "https://creativecommons.org/licenses/by/4.0/",
    }
]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def build() -> dict:
    """Return the descriptor for the CSV files as they are now."""
    sources = {r["source_id"]: r for r in _rows(DATA / "sources.csv")}
    resources = []
    for spec in TABLES:
        name = spec["name"]
        path = DATA / f"{name}.csv"
        rows = _rows(path)
        schema: dict = {"fields": spec["fields"], "primaryKey": spec["primaryKey"], "missingValues": [""]}
        fks = list(spec.get("foreignKeys", []))
        if name != "sources":
            fks.append({"fields": "source_id", "reference": {"resource": "sources", "fields": "source_id"}})
        if fks:
            schema["foreignKeys"] = fks
        used = sorted({r["source_id"] for r in rows} if name != "sources" else set())
        res = {
            "name": name,
            "path": f"{name}.csv",
            "title": spec["title"],
            "description": spec["description"],
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "hash": "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest(),
            "bytes": path.stat().st_size,
            "rows": len(rows),
            "schema": schema,
        }
        if used:
            res["sources"] = [
                {"title": f"{sources[s]['publisher']}: {sources[s]['title']}", "path": sources[s]["url"]}
                for s in used
                if s in sources
            ]
        resources.append(res)
    return {
        "name": "north-korean-defection-course-data",
        "title": "Data for the course 'Jumping ship? North Korean defection in data'",
        "description": "Figures on North Korean defectors arriving in South Korea, their "
        "origins, elite defections, reported purges, and East German "
        "emigration for comparison, each traced to a named source. See "
        "data/README.md.",
        "version": "1.0.0",
        "licenses": LICENSES,
        "resources": resources,
    }


def render(descriptor: dict) -> str:
    return json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"


BEGIN, END = "<!-- BEGIN GENERATED TABLES -->", "<!-- END GENERATED TABLES -->"


def _window(name: str) -> str:
    """The years a table covers, from its year-like columns."""
    years: list[int] = []
    for row in _rows(DATA / f"{name}.csv"):
        for col in ("year", "start_year", "end_year", "survey_year"):
            if row.get(col, "").isdigit():
                years.append(int(row[col]))
    return f"{min(years)}-{max(years)}" if years else "n/a"


def render_readme_tables(descriptor: dict) -> str:
    """The column dictionary section of data/README.md."""
    out = [
        BEGIN,
        "",
        "_This section is generated by `tools/build_datapackage.py`; edit the specifications there._",
        "",
    ]
    for res in descriptor["resources"]:
        out.append(f"### `{res['path']}`: {res['title']}")
        out.append("")
        out.append(res["description"])
        out.append("")
        window = _window(res["name"])
        n_sources = len(res.get("sources", []))
        facts = [f"{res['rows']} rows"]
        if window != "n/a":
            facts.append(f"years {window}")
        if n_sources:
            facts.append(f"{n_sources} source{'s' if n_sources > 1 else ''}")
        keys = ", ".join(res["schema"]["primaryKey"])
        out.append(f"*{'; '.join(facts)}; key: {keys}.*")
        out.append("")
        out.append("| column | type | meaning |")
        out.append("|---|---|---|")
        for fld in res["schema"]["fields"]:
            cons = fld.get("constraints", {})
            extra = " (required)" if cons.get("required") else ""
            if "enum" in cons:
                extra += " one of: " + ", ".join(f"`{v}`" for v in cons["enum"])
            out.append(f"| `{fld['name']}` | {fld['type']} | {fld['description']}{extra} |")
        out.append("")
    out.append(END)
    return "\n".join(out)


def update_readme(text: str, descriptor: dict) -> str:
    """Replace the generated section of the README text (or append it)."""
    block = render_readme_tables(descriptor)
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        return head + block + rest.split(END, 1)[1]
    return text.rstrip("\n") + "\n\n" + block + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="only check that data/datapackage.json is up to date"
    )
    args = parser.parse_args()
    descriptor = build()
    text = render(descriptor)
    target = DATA / "datapackage.json"
    readme = DATA / "README.md"
    readme_text = update_readme(readme.read_text(encoding="utf-8"), descriptor)
    if args.check:
        stale = [
            p.name
            for p, new in ((target, text), (readme, readme_text))
            if not p.exists() or p.read_text(encoding="utf-8") != new
        ]
        if stale:
            print(f"out of date: {', '.join(stale)}; run python tools/build_datapackage.py", file=sys.stderr)
            return 1
        print("data/datapackage.json and data/README.md are up to date")
        return 0
    target.write_text(text, encoding="utf-8")
    readme.write_text(readme_text, encoding="utf-8")
    print(f"wrote {target} and {readme} ({len(TABLES)} tables)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
