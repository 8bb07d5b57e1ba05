"""Every source a lesson cites, in its tables' rows or in its prose, is listed in its Sources cell.

The Sources cell is written by the course's sync from ``data/sources.csv`` (see
``defection_course/citations.py``): the sources of the rows of the lesson's tables, then those its
prose tags with ``<!-- source: id -->``. These tests read the lessons' MyST sources (what authors
edit), so an untagged citation or a stale cell fails here before any notebook is executed.
"""

from __future__ import annotations

import re
from pathlib import Path

import jupytext
import pytest

from defection_course.citations import cited_in, sources_cell, sources_markdown
from defection_course.course import notebook_tables
from defection_course.loading import load

ROOT = Path(__file__).resolve().parents[2]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.md"))
SOURCES = load("sources").set_index("source_id")
#: A parenthesis of prose (one level of nested parentheses allowed), as citations are written.
PAREN = re.compile(r"\(([^()]*(?:\([^()]*\)[^()]*)*)\)")
MONTHS = [
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
]
DATE = re.compile(rf"\b(?:(\d{{1,2}}) )?({'|'.join(MONTHS)}) ((?:19|20)\d\d)\b")
YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _read(path: Path):
    return jupytext.read(path, fmt="md:myst")


def _prose(nb) -> str:
    return "\n".join(c.source for c in nb.cells[:-1] if c.cell_type == "markdown")


def _lesson_cells() -> list[tuple[Path, str, str]]:
    out = []
    for path in LESSONS:
        nb = _read(path)
        cell = sources_cell(nb)
        if cell is not None:
            out.append((path, _prose(nb), cell))
    return out


def _publisher(name: str) -> str:
    """A publisher as prose names it: 'The Korea Herald' -> 'Korea Herald'; qualifiers dropped."""
    return re.sub(r"\s*\(.*\)$", "", name).removeprefix("The ").strip()


def _dates_in(text: str) -> set[str]:
    """The dates a citation gives, at its precision: 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY'."""
    found = set()
    for day, month, year in DATE.findall(text):
        mm = f"{MONTHS.index(month) + 1:02d}"
        found |= {f"{year}-{mm}-{int(day):02d}"} if day else {f"{year}-{mm}"}
    if not found:
        found = set(YEAR.findall(text))
    return found


def _same_date(cited: str, published: str) -> bool:
    """A citation's date and a source's publication date agree at the coarser precision of the two."""
    n = min(len(cited), len(published))
    return published != "unknown" and cited[:n] == published[:n]


def untagged_citations(prose: str, cell: str) -> list[str]:
    """Parenthetical citations of a publisher in ``data/sources.csv`` whose source the cell lacks.

    A citation is '(…Publisher…, date)': a source of that publisher published on that date (to
    the precision the prose gives) must be listed in the Sources cell. The op-ed itself, cited
    as Lankov's, is the cell's last line.
    """
    listed = [line for line in cell.splitlines() if line.startswith("* ")]
    text = re.sub(r"<!--.*?-->", "", prose)
    problems = []
    for match in PAREN.finditer(text):
        paren = match.group(1)
        dates = _dates_in(paren)
        if not dates or "Lankov" in paren:
            continue
        for r in SOURCES.reset_index().itertuples():
            pub = _publisher(r.publisher)
            if len(pub) < 4 or pub not in paren:
                continue
            if not any(_same_date(d, str(r.published)) for d in dates):
                continue
            same = [
                s.url
                for s in SOURCES.itertuples()
                if _publisher(s.publisher) == pub and any(_same_date(d, str(s.published)) for d in dates)
            ]
            if any(f"]({url})" in line for url in same for line in listed):
                continue
            problems.append(f"({paren[:80]}): {r.source_id}")
    return sorted(set(problems))


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_the_sources_cell_is_the_generated_one(path):
    nb = _read(path)
    cell = sources_cell(nb)
    assert cell is not None, f"{path.name} does not end with a Sources cell"
    assert nb.cells[-1].source == cell, "run the sync command: it rewrites the Sources cell"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_every_source_the_prose_tags_is_in_the_sources_cell(path):
    nb = _read(path)
    cell = nb.cells[-1].source
    for sid in cited_in(_prose(nb)):
        assert sid in SOURCES.index, f"{path.name} cites {sid!r}, which is not in data/sources.csv"
        assert f"]({SOURCES.loc[sid, 'url']})" in cell, f"{path.name}: {sid} is missing from its Sources cell"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_every_citation_of_a_known_publisher_is_in_the_sources_cell(path):
    nb = _read(path)
    assert untagged_citations(_prose(nb), nb.cells[-1].source) == [], (
        "tag the citation with <!-- source: id --> (the id in data/sources.csv) and run the sync command"
    )


def test_a_citation_without_its_tag_or_a_stale_cell_is_caught():
    """Remove one tag from a real lesson: both checks must fail; a made-up id must fail too."""
    path = ROOT / "notebooks" / "02_social_origins.md"
    nb = _read(path)
    prose = _prose(nb)
    assert "<!-- source: dailian_2016_markets -->" in prose
    stripped = prose.replace("<!-- source: dailian_2016_markets -->", "")
    tables = list(notebook_tables(nb.metadata["defection_course"]))
    stale = sources_markdown(tables, cited=cited_in(stripped))
    assert SOURCES.loc["dailian_2016_markets", "url"] not in stale
    assert any("dailian_2016_markets" in p for p in untagged_citations(stripped, stale))
    assert untagged_citations(prose, nb.cells[-1].source) == []
    with pytest.raises(KeyError):
        sources_markdown(tables, cited=["no_such_source_2099"])


def test_the_citation_finder_reads_dates_at_their_precision():
    assert _dates_in("Dailian, 22 August 2016") == {"2016-08-22"}
    assert _dates_in("MOU release of November 2016") == {"2016-11"}
    assert _dates_in("New Daily, 2018") == {"2018"}
    assert _same_date("2016-08-22", "2016-08") and _same_date("2018", "2018-08-07")
    assert not _same_date("2016-08-22", "2016-08-21") and not _same_date("2016", "unknown")


def test_the_sync_reports_a_stale_sources_cell_and_writes_the_generated_one():
    from defection_course.authoring import sync

    nb = _read(ROOT / "notebooks" / "02_social_origins.md")
    assert sync._sources_cell_problems(nb) == []
    url = SOURCES.loc["dailian_2016_markets", "url"]
    nb.cells[-1].source = "\n".join(line for line in nb.cells[-1].source.splitlines() if url not in line)
    assert sync._sources_cell_problems(nb), "a Sources cell without a cited source went unnoticed"
    fixed = sync.with_sources_cell(nb)
    assert f"]({url})" in fixed.cells[-1].source and sync._sources_cell_problems(fixed) == []
