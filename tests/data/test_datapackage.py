"""The data package is valid Frictionless, complete, up to date and fully sourced."""

from __future__ import annotations

import csv
import json
import re

import pytest
import yaml
from frictionless import Package
from support import ROOT, cli

DATA = ROOT / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_frictionless_validates_the_package():
    report = Package(str(DATA / "datapackage.json")).validate()
    errors = [f"{t.name}: {e.message}" for t in report.tasks for e in t.errors]
    assert report.valid, "\n".join(errors[:20])


def test_frictionless_catches_a_broken_source_reference(course_copy):
    # The package-level check must be real: a row pointing at an unknown source fails.
    path = course_copy / "data" / "arrivals_annual.csv"
    text = path.read_text(encoding="utf-8").replace(",mou_cn_statistics,", ",no_such_source,", 1)
    path.write_text(text, encoding="utf-8")
    desc = json.loads((course_copy / "data" / "datapackage.json").read_text(encoding="utf-8"))
    for res in desc["resources"]:  # drop the checksums so only the foreign key can fail
        res.pop("hash", None)
        res.pop("bytes", None)
    (course_copy / "data" / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")
    report = Package(str(course_copy / "data" / "datapackage.json")).validate()
    assert not report.valid
    assert any("foreign" in e.type for t in report.tasks for e in t.errors)


def test_descriptor_is_up_to_date_with_the_csv_files():
    result = cli.run("build-data", "--check")  # in this process (tests/support/cli.py)
    assert result.returncode == 0, result.stderr


def test_every_csv_is_described_and_every_resource_exists():
    desc = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    described = {r["path"] for r in desc["resources"]}
    on_disk = {p.name for p in DATA.glob("*.csv")}
    assert described == on_disk


def test_every_table_is_documented_in_the_data_readme():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    desc = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    missing = [r["name"] for r in desc["resources"] if f"`{r['path']}`" not in readme]
    assert not missing, f"data/README.md does not describe: {missing}"


def test_licence_and_sources_are_declared():
    desc = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    assert desc["licenses"][0]["name"] == "CC-BY-4.0"
    for res in desc["resources"]:
        if res["name"] != "sources":
            assert res.get("sources"), f"{res['name']} lists no sources"


@pytest.mark.parametrize("path", sorted(p.name for p in DATA.glob("*.csv") if p.name != "sources.csv"))
def test_every_row_has_a_known_source_and_no_unverified_status(path):
    known = {r["source_id"] for r in _rows("sources")}
    for i, row in enumerate(_rows(path[:-4]), start=2):
        assert row["source_id"] in known, f"{path} line {i}: unknown source {row['source_id']!r}"
        assert row["status"] in {"sourced", "derived"}, f"{path} line {i}: status {row['status']!r}"
        if row["status"] == "derived":
            assert row["note"].strip(), f"{path} line {i}: a derived value needs its method in the note"


def test_every_source_has_publisher_title_url_and_date():
    for row in _rows("sources"):
        for col in ("publisher", "title", "url", "published"):
            assert row[col].strip(), f"source {row['source_id']} has no {col}"
        assert row["url"].startswith(("http://", "https://"))


def test_schemas_are_declared_in_yaml_and_the_build_only_adds_what_it_computes(course_copy):
    """Each CSV has one schema file, and an edit of that file (not of Python) reaches the descriptor."""
    from defection_course.authoring import build_datapackage as module

    tables = {p.stem for p in (ROOT / "data").glob("*.csv")}
    assert tables == {
        p.stem for p in (ROOT / "data" / "schemas").glob("*.yaml") if not p.stem.startswith("_")
    }
    schema = course_copy / "data" / "schemas" / "arrivals_annual.yaml"
    schema.write_text(
        schema.read_text(encoding="utf-8").replace("calendar year of arrival", "year they arrived"),
        encoding="utf-8",
    )
    fields = next(r for r in module.build()["resources"] if r["name"] == "arrivals_annual")["schema"][
        "fields"
    ]
    assert fields[0]["description"] == "year they arrived"
    assert [f["name"] for f in fields][-3:] == ["status", "source_id", "note"]  # shared fields filled in
    assert fields[-3]["constraints"]["enum"] == ["sourced", "derived"]


def _defined_kinds() -> list[str]:
    """The kinds of source data/README.md defines, in its 'Kinds of source' list."""
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Kinds of source", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\* `([^`]+)`:", section, re.M)


def test_every_kind_of_source_is_defined_in_the_readme_and_the_schema():
    defined = _defined_kinds()
    assert len(defined) == len(set(defined)) >= 10
    schema = yaml.safe_load((ROOT / "data" / "schemas" / "sources.yaml").read_text(encoding="utf-8"))
    enum = next(f for f in schema["fields"] if isinstance(f, dict) and f["name"] == "kind")["constraints"][
        "enum"
    ]
    assert sorted(enum) == sorted(defined), "the schema and data/README.md must list the same kinds"
    used = {row["kind"] for row in _rows("sources")}
    assert used <= set(defined), f"undefined kinds: {sorted(used - set(defined))}"
    assert set(defined) <= used, f"kinds no source has (delete them): {sorted(set(defined) - used)}"


#: Publishers that are not news organisations, and the kinds that say what they are. A row of one of
#: them may be ``news`` only when it names the news report it copies ("reproducing", "copy", "quoting").
NOT_NEWS = {
    "statista": {"aggregator"},
    "indexmundi": {"aggregator"},
    "one free korea": {"advocacy"},
    "freemuse": {"advocacy"},
    "human rights": {"advocacy", "analysis"},
    "ooda loop": {"analysis"},
    "intelnews": {"blog", "analysis"},
    "github": {"data repository"},
}
#: Words by which a publisher says that it copies another publisher's report.
COPY_WORDS = ("copy", "repost", "reproducing", "quoting", "citing", "via", "relaying", "mirror", "lead text")


def kind_problems(rows: list[dict[str, str]]) -> list[str]:
    """Rows of ``sources.csv`` whose ``kind`` overrates the source (data/README.md, "Kinds of source").

    Copies are named as copies; encyclopedias, aggregators, campaigners, consultancies' briefs and
    blogs are not passed off as news, analysis or official statistics.
    """
    problems = []
    for row in rows:
        publisher, kind, sid = row["publisher"].lower(), row["kind"], row["source_id"]
        copied = any(w in publisher for w in COPY_WORDS)
        if "wiki" in publisher:
            if kind not in {"encyclopedia", "encyclopedia mirror"}:
                problems.append(f"{sid}: Wikipedia is an encyclopedia, not {kind}")
            elif (kind == "encyclopedia mirror") != copied:
                problems.append(f"{sid}: a copy of Wikipedia is an encyclopedia mirror, and only a copy is")
        if kind == "encyclopedia mirror" and not copied:
            problems.append(f"{sid}: a mirror must say what it copies and where")
        official = any(w in publisher for w in ("ministry", "statistical", "office"))
        if kind == "official statistics" and (copied or not official):
            problems.append(f"{sid}: only a government's own statistics on its own pages are official")
        for name, kinds in NOT_NEWS.items():
            if name in publisher and kind not in kinds and not (kind == "news" and copied):
                problems.append(f"{sid}: {name} is {' or '.join(sorted(kinds))}, not {kind}")
        if "blog" in publisher and kind == "news" and not copied:
            problems.append(f"{sid}: a blog is news only when it reposts a named news report")
    return problems


def test_a_kind_says_what_the_source_is():
    """Copies are named as copies; encyclopedias, aggregators and campaigners are not passed off as more."""
    assert kind_problems(_rows("sources")) == []


def _source(publisher: str, kind: str) -> dict[str, str]:
    return {"source_id": "planted", "publisher": publisher, "kind": kind}


@pytest.mark.parametrize(
    ("publisher", "overrated", "honest"),
    [
        ("Statista", "official statistics", "aggregator"),
        ("IndexMundi (World Bank data)", "official statistics", "aggregator"),
        ("OODA Loop", "news", "analysis"),
        ("Freemuse", "analysis", "advocacy"),
        ("One Free Korea (blog)", "analysis", "advocacy"),
        ("Committee for Human Rights in North Korea", "scholarship", "advocacy"),
        ("intelNews.org", "news", "blog"),
        ("Wikipedia (copy on enwikipedia.net)", "encyclopedia", "encyclopedia mirror"),
        ("Wikipedia", "reference work", "encyclopedia"),
        ("Russian Report (blog)", "news", "blog"),
        ("d-d-r.de (citing the Statistical Yearbook of the GDR)", "official statistics", "aggregator"),
    ],
)
def test_a_planted_overrating_is_caught(publisher, overrated, honest):
    """The check is not blind: each source rated above what it is fails, and its honest kind passes."""
    assert kind_problems([_source(publisher, overrated)]), f"{publisher} as {overrated} went unnoticed"
    assert kind_problems([_source(publisher, honest)]) == []


def test_a_named_copy_of_a_news_report_stays_news():
    hrwf = "Human Rights Without Frontiers (reproducing The Korea Times)"
    assert kind_problems([_source(hrwf, "news")]) == []
    assert kind_problems([_source("The Korea Herald (blog repost)", "news")]) == []
