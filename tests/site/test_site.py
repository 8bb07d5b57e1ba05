"""The course website (``make site``): built with warnings as errors, complete, free of solutions, and
working in a real browser.

A session fixture runs the same build as ``make site`` (``defection_course.authoring.site_build.build``:
Sphinx + myst-nb + sphinx-book-theme, stored outputs, no execution) into ``build/site/``. The
tests compare the site with things outside the site builder: the repository's notebooks (their
stored images and alt texts, their widget outputs), ``data/datapackage.json``, the solution
regions of ``solutions/*.ipynb``, ``site/site.toml`` read directly, and Chromium (through
Playwright), which loads every page, follows every internal link and runs axe-core.

Playwright's sync API cannot run twice in one thread and ``tests/site/test_browser.py`` keeps its own
browser open for the whole session, so the site's browser lives in a worker thread of its own
(:class:`BrowserThread`); every browser step runs there and returns plain data.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import http.server
import json
import re
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import nbformat
import pytest
from bs4 import BeautifulSoup
from support import EXERCISES, LESSONS, ROOT, SOLUTIONS
from support import browser as bs

from defection_course.authoring import site_build

pytestmark = pytest.mark.slow  # Sphinx builds of the whole site (not in `make test-fast`)
SITE_OUT = ROOT / "build" / "site"
SHOTS = bs.SCREENSHOTS / "site"
REPORT = SITE_OUT / "report.json"
AXE_REPORTS = ROOT / "build" / "axe"
AXE_BLOCKING = ("serious", "critical")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
#: The lesson used for the axe-core check and the screenshots (the first one with an interactive).
SAMPLE_LESSON = "notebooks/01_defection_history.html"


# ----------------------------------------------------------------------------- builds
#: ``site_build.build`` in a child process; prints its result as JSON on the last line.
_BUILD = """\
import dataclasses, json, sys
from pathlib import Path
from defection_course.authoring import site_build
r = site_build.build(Path(sys.argv[1]))
fields = ("seconds", "returncode", "log", "cpu_seconds")
print(json.dumps({"pages": [dataclasses.asdict(p) for p in r.pages], **{k: getattr(r, k) for k in fields}}))
"""


@functools.cache
def _why_no_network_namespace() -> str:
    """Empty if ``unshare -rn`` (a user and network namespace: no network at all) works here."""
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True)
    return "" if probe.returncode == 0 else probe.stderr.decode()[:200] or "unshare failed"


def _build_without_network(out: Path) -> site_build.BuildResult:
    """The same build as ``make site``, run in a network namespace: it can reach no host."""
    command = ["unshare", "-rn", sys.executable, "-c", _BUILD, str(out)]
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, (
        f"the site build crashed without network:\n{proc.stdout[-2000:]}{proc.stderr[-3000:]}"
    )
    data = json.loads(proc.stdout.splitlines()[-1])
    pages = [site_build.Page(**p) for p in data.pop("pages")]
    return site_build.BuildResult(out / "html", pages, **data)


@pytest.fixture(scope="session")
def site() -> site_build.BuildResult:
    """The learners' site, built exactly as ``make site`` builds it (warnings are errors).

    Where a network namespace can be made (CI), the build runs in one, so this one build also
    shows that the site needs nothing from the internet.
    """
    result = site_build.build(SITE_OUT) if _why_no_network_namespace() else _build_without_network(SITE_OUT)
    assert result.returncode == 0, f"the site build failed (warnings are errors):\n{result.log}"
    files = result.html_files()
    report = {
        "build_seconds": round(result.seconds, 1),
        "build_cpu_seconds": round(result.cpu_seconds, 1),
        "html_pages": len(files),
        "course_pages": len(result.pages),
        "size_mb": round(result.size_bytes() / 1e6, 2),
    }
    REPORT.write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(f"\nsite: {report}")
    return result


@pytest.fixture(scope="session")
def teacher_site(tmp_path_factory: pytest.TempPathFactory) -> site_build.BuildResult:
    """The teacher edition (with solutions), built into a temporary folder."""
    result = site_build.build(tmp_path_factory.mktemp("site-teacher"), teacher=True)
    assert result.returncode == 0, result.log
    return result


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _page(site: site_build.BuildResult, repo_path: str) -> Path:
    return site.html / Path(repo_path).with_suffix(".html")


def _expected_pages() -> set[str]:
    """The pages the learners' site must have, listed from the repository (not from the site
    builder): lessons, exercises and data, as in the hand-out; no teachers' pages (the instructor
    guide and docs/ discuss the answers), which the teacher edition adds."""
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    pages = {"index.html", "data/index.html"}
    pages |= {f"data/{r['name']}.html" for r in package["resources"]}
    pages |= {p.relative_to(ROOT).with_suffix(".html").as_posix() for p in LESSONS + EXERCISES}
    return pages


# ----------------------------------------------------------------------------- build and content
def test_the_site_builds_with_warnings_as_errors_quickly(site: site_build.BuildResult) -> None:
    assert "WARNING" not in site.log and "ERROR" not in site.log, site.log
    assert (site.html / "index.html").is_file()
    assert site.seconds < 180, f"the site took {site.seconds:.0f} s to build"


def test_a_broken_link_fails_the_build(tmp_path: Path) -> None:
    """-W really turns a warning into a failure: a page linking to a missing file does not build."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "index.md").write_text("# A page\n\nSee [the missing lesson](missing_lesson.ipynb).\n")
    proc = site_build.run_sphinx(src, tmp_path / "html", tmp_path / "doctrees")
    assert proc.returncode != 0
    assert "missing_lesson" in proc.stdout + proc.stderr


def test_myst_nb_shows_each_stored_alt_text_even_with_two_images_in_one_cell(tmp_path: Path) -> None:
    """myst-nb reads alt text from cell metadata only; staging moves it there, one image per cell."""
    png = next(
        o
        for p in LESSONS
        for c in nbformat.read(p, as_version=4).cells
        for o in c.get("outputs", [])
        if "image/png" in o.get("data", {})
    )
    outputs = []
    for alt in ("First chart: arrivals by year", "Second chart: arrivals by sex"):
        out = nbformat.from_dict(json.loads(json.dumps(png)))
        out["metadata"] = {"image/png": {"alt": alt}}
        outputs.append(out)
    nb = nbformat.v4.new_notebook(metadata=nbformat.read(LESSONS[0], as_version=4).metadata)
    nb.cells = [nbformat.v4.new_markdown_cell("# Two charts"), nbformat.v4.new_code_cell("show(a); show(b)")]
    nb.cells[1].outputs = outputs
    settings = site_build.SiteSettings.load(ROOT / "site" / "site.toml")
    staged, _ = site_build.stage_notebook(nb, "notebooks/99_two.ipynb", site_build.LinkMap(settings, ROOT))
    src = tmp_path / "src"
    (src / "notebooks").mkdir(parents=True)
    nbformat.write(staged, src / "notebooks" / "99_two.ipynb")
    (src / "index.md").write_text("# Index\n\n```{toctree}\nnotebooks/99_two\n```\n", encoding="utf-8")
    proc = site_build.run_sphinx(src, tmp_path / "html", tmp_path / "doctrees")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    alts = [img.get("alt") for img in _soup(tmp_path / "html" / "notebooks" / "99_two.html").find_all("img")]
    assert alts == ["First chart: arrivals by year", "Second chart: arrivals by sex"]


def test_the_site_builds_with_no_network(site: site_build.BuildResult) -> None:
    """The build needs nothing from the internet (Jupyter Book 2 fails here: it downloads its theme).

    The ``site`` fixture's build ran in a network namespace (no second build of the site).
    """
    if _why_no_network_namespace():
        pytest.skip(f"cannot make a network namespace here: {_why_no_network_namespace()}")
    assert site.returncode == 0, site.log
    assert (site.html / "index.html").is_file()


def test_the_site_has_one_page_per_part_of_the_course_and_no_solutions(site: site_build.BuildResult) -> None:
    pages = {p.relative_to(site.html).as_posix() for p in site.html_files()}
    missing = _expected_pages() - pages
    assert not missing, f"pages missing from the site: {sorted(missing)}"
    extra = pages - _expected_pages() - {"search.html"}
    assert not extra, f"unexpected pages (a MyST twin of a notebook, or solutions?): {sorted(extra)}"
    assert not list(site.html.rglob("solutions")), "the learners' site has a solutions folder"


def test_notebook_pages_show_the_stored_outputs(site: site_build.BuildResult) -> None:
    """Every image stored in a lesson or exercise is on its page, byte for byte, with its alt text."""
    for path in LESSONS + EXERCISES:
        page = _page(site, path.relative_to(ROOT).as_posix())
        images = {img.get("alt"): img.get("src") for img in _soup(page).find_all("img")}
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                if "image/png" not in out.get("data", {}):
                    continue
                alt = out.get("metadata", {}).get("image/png", {}).get("alt")
                assert alt in images, f"{page.name}: no image with the alt text {alt!r:.80}"
                shown = (page.parent / images[alt]).read_bytes()
                assert shown == base64.b64decode(out["data"]["image/png"]), f"{page.name}: {alt[:60]}"


def test_every_widget_is_replaced_by_a_note_followed_by_its_static_view(site: site_build.BuildResult) -> None:
    total = static = 0
    for path in LESSONS + EXERCISES:
        nb = nbformat.read(path, as_version=4)
        widgets = sum(WIDGET_VIEW in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))
        page = _page(site, path.relative_to(ROOT).as_posix())
        html = page.read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "html.parser")
        notes = soup.select("div.course-widget-note")
        assert len(notes) == widgets, f"{page.name}: {widgets} widgets, {len(notes)} notes"
        assert WIDGET_VIEW not in html, f"{page.name}: a widget view without state is on the page"
        for note in notes:
            figure, heading = note.find_next("img"), note.find_next(["h1", "h2", "h3"])
            in_section = figure is not None and (
                heading is None or figure in heading.find_all_previous("img")
            )
            says_static = "course-widget-static" in note["class"]
            # the note says a static view follows exactly when one does, in the same section
            assert in_section == says_static, (
                f"{page.name}: note says static={says_static}: {note.get_text()}"
            )
            assert note.find("a", class_="course-launch-binder"), f"{page.name}: note without launch link"
            static += in_section
        total += widgets
    assert total >= len(LESSONS) - 1, "the lessons have fewer interactives than expected"
    print(f"\n{total} interactives, {static} with a static view after them")


def test_data_pages_document_every_table_and_column(site: site_build.BuildResult) -> None:
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert "Known doubts" in _soup(site.html / "data" / "index.html").get_text()
    for res in package["resources"]:
        page = site.html / "data" / f"{res['name']}.html"
        soup = _soup(page)
        text = soup.get_text(" ")
        assert f"`{res['path']}`" in readme and res["path"] in soup.find("h1").get_text()
        for fld in res["schema"]["fields"]:
            assert fld["name"] in text, f"{page.name}: column {fld['name']} is not documented"
        links = [a for a in soup.find_all("a", href=True) if a["href"].endswith(res["path"])]
        assert links, f"{page.name}: no link to download {res['path']}"
        served = (page.parent / links[0]["href"]).read_bytes()
        assert "sha256:" + hashlib.sha256(served).hexdigest() == res["hash"], f"{page.name}: stale CSV"


# ----------------------------------------------------------------------------- no solutions
BEGIN = re.compile(r"^\s*(#+|<!--)\s*BEGIN SOLUTION")
END = re.compile(r"^\s*(#+|<!--)\s*END SOLUTION")
MARKUP = re.compile(r"[*_`]")
MIN_CHARS = 8  # shorter lines (")", "else:", "plt.show()") cannot tell a solution apart


def _norm(text: str) -> str:
    """Text without Markdown emphasis and code marks, with whitespace collapsed."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return " ".join(MARKUP.sub("", text).split())


@functools.cache
def secret_solution_lines() -> frozenset[str]:
    """Every line inside a BEGIN/END SOLUTION region of solutions/*.ipynb that no public file has."""
    public = " \n ".join(
        _norm(c.source) for path in LESSONS + EXERCISES for c in nbformat.read(path, as_version=4).cells
    )
    guides = [ROOT / "notebooks" / "instructor_guide.md", *(ROOT / "docs").glob("*.md")]
    public += " ".join(_norm(g.read_text(encoding="utf-8")) for g in guides)
    secret: set[str] = set()
    for path in SOLUTIONS:
        for cell in nbformat.read(path, as_version=4).cells:
            inside = False
            for line in cell.source.splitlines():
                if BEGIN.match(line):
                    inside = True
                elif END.match(line):
                    inside = False
                elif inside and len(_norm(line).replace(" ", "")) >= MIN_CHARS and _norm(line) not in public:
                    secret.add(_norm(line))
    return frozenset(secret)


def leaked_lines(html: str) -> list[str]:
    """The secret solution lines that appear in an HTML page's text."""
    # no separator: syntax highlighting splits a code line into many elements
    text = _norm(BeautifulSoup(html, "html.parser").get_text())
    return sorted(line for line in secret_solution_lines() if line in text)


def test_no_page_of_the_learners_site_contains_solution_code(site: site_build.BuildResult) -> None:
    assert len(secret_solution_lines()) >= 5 * len(SOLUTIONS), "too few solution lines to check against"
    for page in site.html_files():
        leaks = leaked_lines(page.read_text(encoding="utf-8"))
        assert not leaks, f"{page.relative_to(site.html)} shows solution code: {leaks[:3]}"
    for path in site.html.rglob("*.ipynb"):  # nor does any notebook offered for download
        nb = nbformat.read(path, as_version=4)
        text = _norm("\n".join(c.source for c in nb.cells))
        leaks = [line for line in secret_solution_lines() if line in text]
        assert not leaks, f"{path.relative_to(site.html)} holds solution code: {leaks[:3]}"


def test_the_solution_check_finds_solutions_in_the_teacher_edition(
    teacher_site: site_build.BuildResult,
) -> None:
    """The check above can fail: on the teacher edition it finds the solutions on their pages."""
    found: set[str] = set()
    for path in SOLUTIONS:
        page = _page(teacher_site, path.relative_to(ROOT).as_posix())
        leaks = leaked_lines(page.read_text(encoding="utf-8"))
        assert leaks, f"{page.name}: the solution page shows no solution line"
        found.update(leaks)
    assert len(found) >= 0.9 * len(secret_solution_lines())


def solution_links(html: Path) -> dict[str, list[str]]:
    """Every link (``href``/``src``) of a built site that leads into ``solutions/``, by page.

    A link counts whatever its form: relative (``../solutions/02_x.html``), to a download
    (``02_x.ipynb``) or to the repository (``…/blob/main/solutions/02_x.ipynb``); the solution
    notebooks' names come from the repository, not from the site builder.
    """
    names = {p.name for p in SOLUTIONS} | {p.with_suffix(".html").name for p in SOLUTIONS}
    found: dict[str, list[str]] = {}
    for page in sorted(html.rglob("*.html")):
        soup = _soup(page)
        for tag in soup.find_all(href=True) + soup.find_all(src=True):
            link = str(tag.get("href") or tag.get("src"))
            parts = urlsplit(link).path.split("/")
            if "solutions" in parts[:-1] and (parts[-1] in names or parts[-1] in ("", "index.html")):
                found.setdefault(page.relative_to(html).as_posix(), []).append(link)
    return found


def test_no_page_of_the_learners_site_links_a_solution(site: site_build.BuildResult) -> None:
    links = solution_links(site.html)
    assert not links, f"the learners' site links the solutions: {links}"


def test_the_link_search_finds_the_solutions_in_the_teacher_edition(
    teacher_site: site_build.BuildResult,
) -> None:
    """The search above can fail: the teacher edition links every solution notebook."""
    links = solution_links(teacher_site.html)
    linked = {Path(u).name for urls in links.values() for u in urls}
    assert {p.with_suffix(".html").name for p in SOLUTIONS} <= linked, linked


# ----------------------------------------------------------------------------- browser
class BrowserThread:
    """A headless Chromium driven by Playwright in a thread of its own; ``run`` calls into it."""

    def __init__(self, chromium: str) -> None:
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="site-browser")
        self.state: dict[str, Any] = {}
        self.pool.submit(self._start, chromium).result(timeout=120)

    def _start(self, chromium: str) -> None:
        from playwright.sync_api import sync_playwright

        self.state["playwright"] = playwright = sync_playwright().start()
        self.state["browser"] = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=bs.CHROMIUM_ARGS
        )

    def run(self, fn: Callable[..., Any], *args: Any, timeout: float = 600) -> Any:
        """``fn(browser, *args)`` in the browser's thread; its result or its exception."""
        return self.pool.submit(fn, self.state["browser"], *args).result(timeout=timeout)

    def close(self) -> None:
        def stop() -> None:
            self.state["browser"].close()
            self.state["playwright"].stop()

        self.pool.submit(stop).result(timeout=60)
        self.pool.shutdown()


@pytest.fixture(scope="module")
def site_url(site: site_build.BuildResult) -> Iterator[str]:
    """The built site served over HTTP on 127.0.0.1 (as a static web host would serve it)."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=site.html))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def site_browser(site_url: str) -> Iterator[BrowserThread]:
    browser = BrowserThread(bs.chromium_or_skip())
    try:
        yield browser
    finally:
        browser.close()


PAGE_FACTS = """() => ({
  links: Array.from(document.querySelectorAll('a[href]'), a => a.href),
  images: Array.from(document.images, i => ({src: i.getAttribute('src'), alt: i.getAttribute('alt'),
                                               loaded: i.complete && i.naturalWidth > 0})),
  launch: Array.from(document.querySelectorAll('.course-launch a, .course-widget-note a'),
                     a => ({cls: a.className, href: a.getAttribute('href'), url: a.href,
                            download: a.getAttribute('download'), text: a.textContent.trim()})),
  ids: Array.from(document.querySelectorAll('[id], a[name]'), e => e.id || e.getAttribute('name')),
})"""


#: pages loaded side by side in the walk: each waits half a second for the network to go quiet
#: (``networkidle``), and those waits overlap
TABS = 4


def _walk(browser: Any, base: str, paths: list[str]) -> dict[str, dict[str, Any]]:
    """Open every page; record console errors, failed or outside requests, links, images, ids.

    ``TABS`` pages at a time, each in its own tab with its own list of problems.
    """
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    context.set_default_timeout(30_000)
    tabs = [context.new_page() for _ in range(min(TABS, len(paths)))]
    problems: dict[Any, list[str]] = {tab: [] for tab in tabs}

    def route(r: Any) -> None:
        if r.request.url.startswith(base) or r.request.url.startswith("data:"):
            r.continue_()
        else:  # the site must work offline: nothing may come from elsewhere
            for tab in [r.request.frame.page] if r.request.frame.page in problems else tabs:
                problems[tab].append(f"request to the outside: {r.request.url}")
            r.abort()

    context.route("**/*", route)
    for tab in tabs:
        said = problems[tab].append
        tab.on("console", lambda m, said=said: m.type == "error" and said(f"console error: {m.text}"))
        tab.on("pageerror", lambda e, said=said: said(f"page error: {e}"))
        tab.on("requestfailed", lambda r, said=said: said(f"request failed: {r.url} {r.failure}"))
        tab.on("response", lambda r, said=said: r.status >= 400 and said(f"HTTP {r.status}: {r.url}"))
    facts: dict[str, dict[str, Any]] = {}
    for start in range(0, len(paths), len(tabs)):
        batch = list(zip(tabs, paths[start : start + len(tabs)]))
        for tab, path in batch:
            problems[tab].clear()
            tab.goto(base + path, wait_until="commit")
        for tab, path in batch:
            tab.wait_for_load_state("load")  # after every image and script has loaded
            tab.wait_for_load_state("networkidle")  # and the favicon: leaving earlier would cancel it
            facts[path] = dict(tab.evaluate(PAGE_FACTS), problems=list(problems[tab]))
    context.close()
    return facts


@pytest.fixture(scope="module")
def walked(site: site_build.BuildResult, site_url: str, site_browser: BrowserThread) -> dict[str, dict]:
    """What Chromium saw on every page of the site."""
    paths = [p.relative_to(site.html).as_posix() for p in site.html_files()]
    start = time.monotonic()
    facts = site_browser.run(_walk, site_url, paths)
    print(f"\nwalked {len(facts)} pages in {time.monotonic() - start:.1f} s")
    return facts


def _target(site: site_build.BuildResult, base: str, url: str) -> tuple[Path, str] | None:
    """The file and fragment an internal link points to (None for a link to elsewhere)."""
    if not url.startswith(base):
        return None
    parts = urlsplit(url)
    rel = parts.path.lstrip("/")
    path = site.html / rel
    if rel == "" or path.is_dir():
        path = path / "index.html"
    return path, parts.fragment


@pytest.mark.browser
def test_every_page_loads_in_chromium_without_errors(walked: dict[str, dict]) -> None:
    bad = {path: facts["problems"] for path, facts in walked.items() if facts["problems"]}
    assert not bad, json.dumps(bad, indent=1)[:3000]


@pytest.mark.browser
def test_every_internal_link_resolves(site: site_build.BuildResult, site_url: str, walked: dict) -> None:
    broken: list[str] = []
    linked: set[str] = set()
    for path, facts in walked.items():
        for url in facts["links"]:
            target = _target(site, site_url, url)
            if target is None:
                continue
            file, fragment = target
            rel = file.relative_to(site.html).as_posix() if file.is_relative_to(site.html) else str(file)
            if not file.is_file():
                broken.append(f"{path} -> {url} (no such file)")
                continue
            if rel != path:
                linked.add(rel)
            if fragment and rel in walked and fragment not in walked[rel]["ids"]:
                broken.append(f"{path} -> {url} (no element with id {fragment!r})")
    assert not broken, "\n".join(broken[:40])
    unreachable = set(walked) - linked - {"index.html", "search.html"}  # search: the search box
    assert not unreachable, f"pages no other page links to: {sorted(unreachable)}"


@pytest.mark.browser
def test_every_image_has_alt_text_and_loads(walked: dict[str, dict]) -> None:
    bad = [
        f"{path}: {img['src']} (alt={img['alt']!r}, loaded={img['loaded']})"
        for path, facts in walked.items()
        for img in facts["images"]
        if not (img["alt"] or "").strip() or not img["loaded"]
    ]
    assert not bad, "\n".join(bad[:20])
    assert sum(len(f["images"]) for f in walked.values()) >= 20


def _settings_from_toml() -> dict[str, str]:
    """site/site.toml read directly (not through the site builder), with the same overrides."""
    import os

    values = tomllib.loads((ROOT / "site" / "site.toml").read_text(encoding="utf-8"))
    for key, var in site_build.ENV_OVERRIDES.items():
        if os.environ.get(var, "").strip():
            values[key] = os.environ[var].strip()
    return values


@pytest.mark.browser
def test_launch_links_on_every_notebook_page_are_well_formed(
    site: site_build.BuildResult, site_url: str, walked: dict[str, dict]
) -> None:
    cfg = _settings_from_toml()
    repo = cfg["repository_url"].rstrip("/").removesuffix(".git")
    owner_repo, repo_name = "/".join(urlsplit(repo).path.strip("/").split("/")[-2:]), repo.rsplit("/", 1)[-1]
    assert (ROOT / "environment.yml").is_file(), "Binder builds the course from environment.yml"
    notebooks = [p.relative_to(ROOT).as_posix() for p in LESSONS + EXERCISES]
    for nb_path in notebooks:
        facts = walked[Path(nb_path).with_suffix(".html").as_posix()]
        links = facts["launch"]
        kinds = {
            cls: [link for link in links if cls in link["cls"]]
            for cls in ("binder", "jupyterhub", "download")
        }
        assert all(kinds.values()), f"{nb_path}: launch links missing: {links}"
        for link in kinds["binder"]:
            url = urlsplit(link["href"])
            assert (url.scheme, url.netloc) == tuple(urlsplit(cfg["binderhub_url"])[:2]), link
            assert url.path == f"/v2/gh/{owner_repo}/{cfg['branch']}", link
            assert parse_qs(url.query) == {"labpath": [nb_path]}, link
        for link in kinds["jupyterhub"]:
            url = urlsplit(link["href"])
            assert (url.scheme, url.netloc) == tuple(urlsplit(cfg["jupyterhub_url"])[:2]), link
            assert url.path.endswith("/hub/user-redirect/git-pull"), link
            assert parse_qs(url.query) == {
                "repo": [repo],
                "branch": [cfg["branch"]],
                "urlpath": [f"lab/tree/{repo_name}/{nb_path}"],
            }, link
        for link in kinds["download"]:
            target = _target(site, site_url, link["url"])
            assert target and target[0].is_file(), link
            assert link["download"] and link["download"].endswith(".ipynb"), link
            assert target[0].read_bytes() == (ROOT / nb_path).read_bytes(), f"{nb_path}: download differs"
            nbformat.validate(nbformat.read(target[0], as_version=4))


def _axe_and_screenshots(browser: Any, base: str, path: str, name: str) -> list[dict]:
    """axe-core's violations on one page; screenshots at a desktop and a phone viewport."""
    from axe_playwright_python.sync_playwright import Axe

    SHOTS.mkdir(parents=True, exist_ok=True)
    violations: list[dict] = []
    for size, viewport in VIEWPORTS.items():
        context = browser.new_context(viewport=viewport, is_mobile=size == "phone", has_touch=size == "phone")
        page = context.new_page()
        page.goto(base + path, wait_until="networkidle")
        shot = SHOTS / f"{name}-{size}.png"
        page.screenshot(path=str(shot))
        bs.SAVED.append(shot)
        violations += [dict(v, viewport=size) for v in Axe().run(page).response["violations"]]
        context.close()
    return violations


@pytest.mark.browser
@pytest.mark.parametrize(("path", "name"), [("index.html", "site-start"), (SAMPLE_LESSON, "site-lesson")])
def test_axe_core_finds_no_serious_problem(
    site_url: str, site_browser: BrowserThread, path: str, name: str
) -> None:
    violations = site_browser.run(_axe_and_screenshots, site_url, path, name)
    AXE_REPORTS.mkdir(parents=True, exist_ok=True)
    (AXE_REPORTS / f"{name}.json").write_text(json.dumps(violations, indent=1), encoding="utf-8")
    blocking = [v for v in violations if v.get("impact") in AXE_BLOCKING]
    report = "\n".join(
        f"{v['id']} ({v['impact']}, {v['viewport']}): {v['help']} - {len(v['nodes'])} element(s), "
        f"e.g. {v['nodes'][0]['html'][:160]}"
        for v in blocking
    )
    assert not blocking, f"axe-core found serious or critical problems on {path}:\n{report}"
