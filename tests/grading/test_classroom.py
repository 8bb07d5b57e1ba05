"""Classroom polish: the Voilà demo offline, Korean text in
figures and in the documentation, and the nbgitpuller link for JupyterHub.
"""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from support import ROOT
from support import browser as bs
from support.classes import in_own_thread

from defection_course import style


# ----------------------------------------------------------------------------- Voilà offline
@pytest.mark.browser
@pytest.mark.slow
def test_voila_demo_loads_every_asset_with_the_network_blocked(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    from defection_course.dashboard import sections

    chromium = bs.chromium_or_skip()
    server = bs.start_voila(tmp_path)
    outside: list[str] = []
    failed: list[str] = []

    def drive() -> list[str]:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, headless=True, args=bs.CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1600, "height": 1000})

                def route(r) -> None:
                    host = urllib.parse.urlsplit(r.request.url).hostname or ""
                    if r.request.url.startswith("data:") or host in ("127.0.0.1", "localhost"):
                        r.continue_()
                    else:  # the classroom has no internet: nothing may come from outside
                        outside.append(r.request.url)
                        r.abort("internetdisconnected")

                page.route("**/*", route)
                page.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})"))
                page.on(
                    "response",
                    lambda r: failed.append(f"{r.url} (HTTP {r.status})") if r.status >= 400 else None,
                )
                page.goto(server.url(""), wait_until="domcontentloaded")
                page.locator(".defection-course-interactive").nth(len(sections()) - 1).wait_for(
                    timeout=300_000
                )
                page.wait_for_load_state("networkidle", timeout=60_000)
                # Icons: Font Awesome's fonts are declared by Voilà's own bundle (the CDN is blocked).
                fonts = page.evaluate(
                    "async () => { await document.fonts.ready;"
                    " return [...document.fonts].map(f => f.family); }"
                )
                bs.screenshot(page, "voila-offline")
                return fonts
            finally:
                browser.close()

    try:
        fonts = in_own_thread(drive)
    finally:
        server.stop()
    assert not outside, "the demo page asked for addresses outside this machine:\n" + "\n".join(outside)
    assert not failed, "assets failed to load:\n" + "\n".join(failed)
    assert any("Font Awesome" in f for f in fonts), sorted(set(fonts))


def test_demo_template_removes_links_the_lab_template_still_has() -> None:
    """If Voilà changes its CDN links, the course template's replacements must follow."""
    from voila.paths import collect_template_paths

    from defection_course.demo import TEMPLATE_DIR

    lab = next(
        Path(p) / "index.html.j2"
        for p in collect_template_paths(["voila"], "lab")
        if (Path(p) / "index.html.j2").exists() and Path(p).name == "lab"
    )
    removed = re.findall(
        r"replace\('(<link[^']*>)'", (TEMPLATE_DIR / "index.html.j2").read_text(encoding="utf-8")
    )
    cdn = re.findall(r'<link rel="stylesheet" href="https://[^"]*"[^>]*>', lab.read_text(encoding="utf-8"))
    assert cdn and sorted(removed) == sorted(cdn)


# ----------------------------------------------------------------------------- Korean text
HANGUL = "북한이탈주민"  # "North Korean defectors", as in the Ministry of Unification's titles


def test_a_font_with_hangul_is_found_and_used_in_figures() -> None:
    import io

    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    font = style.hangul_font()
    if font is None:
        pytest.skip("no font with Hangul installed (Debian: apt-get install fonts-noto-cjk)")
    style.use_course_style()
    warnings: list[str] = []
    import warnings as w

    with w.catch_warnings(record=True) as caught:
        w.simplefilter("always")
        fig, ax = plt.subplots()
        ax.set_title(HANGUL)
        fig.canvas.draw()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        plt.close(fig)
    warnings = [str(c.message) for c in caught if "missing from font" in str(c.message)]
    assert not warnings, warnings


def test_latin_figures_are_unchanged_by_the_hangul_fallback() -> None:
    import io

    import matplotlib

    matplotlib.use("agg")
    import matplotlib as mpl
    import matplotlib.pyplot as plt

    def render() -> bytes:
        fig, ax = plt.subplots()
        ax.plot([1, 2, 3], [3, 1, 2])
        ax.set_title("Arrivals in South Korea, 1998-2023")
        buf = io.BytesIO()
        fig.savefig(buf, format="png", metadata={"Software": None})
        plt.close(fig)
        return buf.getvalue()

    style.use_course_style()
    with_fallback = render()
    assert mpl.rcParams["font.family"][-1] == style.hangul_font()
    mpl.rcParams["font.family"] = ["sans-serif"]
    without = render()
    style.use_course_style()
    assert with_fallback == without


@pytest.mark.slow  # runs make in a copy of the course
def test_make_lab_reports_a_missing_hangul_font(tmp_path: Path) -> None:
    done = subprocess.run(["make", "-n", "lab"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    check = next(l for l in done.stdout.splitlines() if "check_fonts" in l)
    code = re.search(r'-c "(.*)"', check)[1]
    ran = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**bs.isolated_env(tmp_path), "COURSE_HANGUL_FONTS": "No Such Font"},
    )
    assert ran.returncode == 0, ran.stderr  # a warning, not a failure: the course still runs
    assert "fonts-noto-cjk" in ran.stdout
    if style.hangul_font() is not None:
        ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
        assert "Korean text:" in ran.stdout and "is installed" in ran.stdout


# ----------------------------------------------------------------------------- JupyterHub
def _nbgitpuller_link() -> str:
    text = (ROOT / "docs" / "teaching.md").read_text(encoding="utf-8")
    links = re.findall(r"https://[^\s`)]*/hub/user-redirect/git-pull\?[^\s`)]+", text)
    assert links, "docs/teaching.md documents no nbgitpuller link"
    return links[0]


def test_nbgitpuller_link_has_the_format_nbgitpuller_reads() -> None:
    link = _nbgitpuller_link()
    parts = urllib.parse.urlsplit(link)
    assert parts.scheme == "https" and parts.path.endswith("/hub/user-redirect/git-pull")
    query = urllib.parse.parse_qs(parts.query, strict_parsing=True)
    # the parameters nbgitpuller's git-pull handler reads (nbgitpuller/handlers.py)
    assert set(query) <= {"repo", "branch", "urlpath", "targetpath", "depth", "app"}
    assert {"repo", "branch", "urlpath"} <= set(query)
    repo = query["repo"][0]
    assert urllib.parse.urlsplit(repo).scheme == "https" and not repo.endswith("/")
    # urlpath opens the start page inside the folder nbgitpuller clones into (the repo's name)
    folder = query.get("targetpath", [repo.split("/")[-1]])[0]  # nbgitpuller's default folder
    urlpath = query["urlpath"][0]
    assert urlpath.startswith(("lab/tree/", "tree/")), urlpath
    inside = urlpath.split("/tree/", 1)[1] if urlpath.startswith("lab/") else urlpath[len("tree/") :]
    assert inside.split("/", 1)[0] == folder
    assert (ROOT / inside.split("/", 1)[1]).exists(), f"{inside} is not a file of the course"
    # every value is percent-encoded (nbgitpuller's link generator encodes them)
    raw = dict(kv.split("=", 1) for kv in parts.query.split("&"))
    assert "/" not in raw["repo"] and ":" not in raw["repo"]
