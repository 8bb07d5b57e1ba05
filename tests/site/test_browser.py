"""The course in real clients: every lesson in JupyterLab and the demo dashboard in Voilà.

nbval checks what the kernel returns; only a browser shows whether a widget renders and
responds. For each lesson notebook these tests open JupyterLab (on a throw-away copy of the
notebooks), clear the stored outputs, run all cells from the Run menu, and check that no cell
printed an error, that every interactive rendered, and that changing a control redraws its
figure and summary. The same is done on the Voilà page that ``make demo`` serves, which is
also checked with axe-core for serious and critical accessibility problems.

One JupyterLab, one Voilà and one Chromium serve the whole session; the servers are stopped in
fixture finalizers, also when a test fails. Screenshots go to ``build/screenshots/`` (one per
lesson and the dashboard) and, on failure, to ``build/screenshots/failures/``. Without a
browser these tests skip with instructions, unless ``COURSE_REQUIRE_BROWSER=1`` (CI), where
they fail.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import nbformat
import pytest
from support import LESSONS, ROOT
from support import browser as bs

from defection_course import cells, course
from defection_course.claims import CLAIMS, claim
from defection_course.lessons.evidence import verdict_label

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ACTIVE = ".jp-NotebookPanel:not(.lm-mod-hidden)"
ERROR_OUTPUT = "[data-mime-type='application/vnd.jupyter.stderr']"
INTERACTIVE = ".defection-course-interactive"
BROKEN_WIDGET_TEXT = ("Error displaying widget", "Loading widget...")
RUN_TIMEOUT_MS = 300_000  # a whole notebook, generously (about 5 s on a 2-core machine)
CHANGE_TIMEOUT_MS = 30_000  # one redraw after a control change
AXE_BLOCKING = ("serious", "critical")
AXE_REPORT = ROOT / "build" / "axe" / "dashboard.json"

# A notebook is finished when the kernel is idle and every code cell shows an execution count.
ALL_CELLS_RAN = (
    """() => {
  const panel = document.querySelector('%s');
  if (!panel) return false;
  const status = panel.querySelector('.jp-Notebook-ExecutionIndicator');
  const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
    .map(p => p.textContent.trim());
  return !!status && status.dataset.status === 'idle' && prompts.length > 0
    && prompts.every(p => /^\\[\\d+\\]:$/.test(p));
}"""
    % ACTIVE
)
ALL_CLEARED = (
    """() => {
  const panel = document.querySelector('%s');
  return !!panel && panel.querySelectorAll('.jp-OutputArea-output').length === 0
    && [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
         .every(p => !/\\d/.test(p.textContent));
}"""
    % ACTIVE
)


# ----------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="session")
def chromium_path() -> str:
    """A Chromium-based browser; skip (laptop) or fail (CI) with instructions when there is none."""
    return bs.chromium_or_skip()


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator:
    """One headless Chromium for the session, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    for folder in (bs.SCREENSHOTS, bs.FAILURES):  # no stale pictures from an earlier run
        for old in folder.glob("*.png"):
            old.unlink()
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=chromium_path, headless=True, args=bs.CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[bs.Server]:
    """JupyterLab on a temporary copy of the lessons, so nothing can be saved into the repo."""
    home = tmp_path_factory.mktemp("jupyterlab")
    course = home / "course"
    (course / "notebooks").mkdir(parents=True)
    for path in LESSONS:
        shutil.copy2(path, course / "notebooks" / path.name)
    server = bs.start_lab(home, course)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def voila(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[bs.Server]:
    """Voilà serving the dashboard with ``make demo``'s command line."""
    server = bs.start_voila(tmp_path_factory.mktemp("voila"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def page(browser) -> Iterator:
    """A fresh tab, large enough for the dashboard's side-by-side layout."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    context.set_default_timeout(60_000)
    tab = context.new_page()
    try:
        yield tab
    finally:
        context.close()


@contextmanager
def screenshot_on_failure(page, name: str) -> Iterator[None]:
    """Save build/screenshots/failures/<name>.png if the block raises, then re-raise."""
    try:
        yield
    except BaseException:
        path = bs.screenshot(page, name, failed=True, whole_content=True)
        if path is not None:
            print(f"failure screenshot: {path}")
        raise


# ----------------------------------------------------------------------------- interactions
def _select(label: str, option: str | list[str]) -> Callable:
    """Choose ``option`` in the control labelled ``label`` (found by its accessible name)."""

    def act(interactive, page) -> str:
        interactive.get_by_label(label, exact=True).select_option(option)
        return f"{label} = {option}"

    return act


def _keyboard(label: str, key: str) -> Callable:
    """Focus the control labelled ``label`` and press ``key`` (keyboard-only use)."""

    def act(interactive, page) -> str:
        interactive.get_by_label(label, exact=True).focus()
        page.keyboard.press(key)
        return f"{key} on {label}"

    return act


def _control(name: str) -> str:
    """A control's label on the page: course.yml names a verdict control by its claim ("C1 verdict"),
    the board labels it with the claim's own words (``verdict_label``)."""
    found = re.fullmatch(r"(C\d+) verdict", name)
    return verdict_label(claim(found[1])) if found else name


#: How the tests move each interactive, by the name of the function that builds it: the moves
#: course.yml lists with the interactive.
CHANGES: dict[str, list[Callable]] = {
    item.name: [
        _select(_control(move.control), list(move.choose) if isinstance(move.choose, tuple) else move.choose)
        for move in item.moves
    ]
    for lesson in course.lessons(ROOT)
    for item in lesson.interactives
}
#: Keyboard-only use, checked on the dashboard. Not in JupyterLab: there a collapsed
#: drop-down's arrow keys go to the notebook's "select cell above/below" shortcuts
#: (jupyter-widgets/ipywidgets#3912, open upstream).
KEYBOARD_CHANGES: dict[str, list[Callable]] = {
    "arrivals_explorer": [_keyboard("Last year", "ArrowUp")],
    "verdict_board": [_keyboard(verdict_label(claim("C2")), "ArrowDown")],
}


def widget_cells(path: Path) -> list[str]:
    """The interactives a notebook builds: the source ``widgets.<name>()`` of each widget cell."""
    nb = nbformat.read(path, as_version=4)
    names = []
    for cell in nb.cells:
        if cell.cell_type == "code" and cells.is_widget_cell(cell):
            source = cell.source.strip()
            assert source.startswith("widgets.") and source.endswith("()"), source
            names.append(source[len("widgets.") : -2])
    return names


def assert_rendered(scope, expected: int, where: str) -> None:
    """Exactly ``expected`` interactives, each with a figure, and no broken-widget text."""
    from playwright.sync_api import expect

    interactives = scope.locator(INTERACTIVE)
    for text in BROKEN_WIDGET_TEXT:  # "Loading widget..." may linger a moment: wait for it
        expect(scope.get_by_text(text)).to_have_count(0, timeout=CHANGE_TIMEOUT_MS)
    expect(interactives).to_have_count(expected, timeout=CHANGE_TIMEOUT_MS)
    for i in range(expected):
        img = interactives.nth(i).locator("img")
        expect(img).to_have_count(1)
        src = img.get_attribute("src", timeout=CHANGE_TIMEOUT_MS) or ""
        assert src.startswith("data:image/png;base64,"), f"{where}: interactive {i + 1} has no figure"
        alt = img.get_attribute("alt") or ""
        assert len(alt) >= 20, f"{where}: interactive {i + 1}'s figure has no alt text"


def _wait_for_change(read: Callable[[], str | None], before: str | None, message: str) -> None:
    """Poll ``read()`` until it differs from ``before``; fail with ``message`` after a while."""
    deadline = time.monotonic() + CHANGE_TIMEOUT_MS / 1000
    while read() == before:
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(0.1)


def move_controls(
    interactive, page, name: str, where: str, changes: dict[str, list[Callable]] = CHANGES
) -> None:
    """Apply each change for interactive ``name`` and check that figure and summary redraw."""
    img = interactive.locator("img")
    summary = interactive.locator("[role=status]")
    assert name in changes, f"{where}: no interaction defined for widgets.{name}()"
    for change in changes[name]:
        before_src, before_text = img.get_attribute("src"), summary.inner_text()
        what = change(interactive, page)
        _wait_for_change(
            lambda: img.get_attribute("src"), before_src, f"{where}: the figure did not change after {what}"
        )
        _wait_for_change(
            summary.inner_text,
            before_text,
            f"{where}: the summary did not change after {what} (still: {before_text!r})",
        )
        assert len(img.get_attribute("alt") or "") >= 20, f"{where}: no alt text after {what}"


def error_texts(scope) -> list[str]:
    """Text of every stderr/traceback output shown in ``scope``."""
    return [t[:800] for t in scope.locator(ERROR_OUTPUT).all_inner_texts()]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _menu(page, menu: str, command: str) -> None:
    """Click a JupyterLab main-menu item by its command id (e.g. ``runmenu:run-all``)."""
    page.locator("li.lm-MenuBar-item", has_text=menu).first.click()
    page.locator(f"li.lm-Menu-item[data-command='{command}']").click()


# ----------------------------------------------------------------------------- JupyterLab
@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_runs_and_its_interactives_respond_in_jupyterlab(path: Path, lab: bs.Server, page) -> None:
    names = widget_cells(path)
    assert names, f"{path.name} has no cell tagged 'widget'"
    copy = lab.root_dir / "notebooks" / path.name  # what JupyterLab opens
    original = _digest(path)
    try:
        with screenshot_on_failure(page, f"lab-{path.stem}"):
            run_lesson_in_lab(page, lab, path, names)
            bs.screenshot(page, f"lab-{path.stem}")
    finally:
        lab.shutdown_kernels()  # also after a failure, so the next lesson starts clean
    assert lab.kernels() == [], "the lesson's kernel is still running"
    assert _digest(path) == original, f"{path.name} in the repository was modified"
    assert _digest(copy) == original, f"JupyterLab saved {path.name} (autosave should be off)"


#: what each code cell's prompt shows, and the kernel's status (for a run that does not finish)
PROMPTS = (
    """() => {
  const panel = document.querySelector('%s');
  if (!panel) return null;
  const status = panel.querySelector('.jp-Notebook-ExecutionIndicator');
  return {status: status ? status.dataset.status : null,
          prompts: [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
                     .map(p => p.textContent.trim())};
}"""
    % ACTIVE
)


def _wait_until_every_cell_ran(page, name: str) -> None:
    """Wait for Run All to finish. Rarely (about one full suite in ten), JupyterLab leaves the kernel
    idle with some cells never run (an empty ``[ ]:`` prompt, not ``[*]:``): once the page has shown
    that for ``bs.STALL_SECONDS``, Run All is given once more and the test says so; a cell still
    running or failing fails the test as before (``bs.run_all_step``)."""
    deadline = time.monotonic() + RUN_TIMEOUT_MS / 1000
    seen, since, retried = None, time.monotonic(), False
    while time.monotonic() < deadline:
        now_seen = page.evaluate(PROMPTS)
        if now_seen != seen:
            seen, since = now_seen, time.monotonic()
        step = bs.run_all_step(seen, time.monotonic() - since, retried)
        if step == "done":
            return
        assert step != "stalled", f"{name}: Run All left cells unrun twice: {seen}"
        if step == "retry":
            unrun = bs.cells_never_queued(seen)
            print(f"{name}: Run All left code cells {unrun} unrun with the kernel idle; running all again")
            _menu(page, "Run", "runmenu:run-all")
            since, retried = time.monotonic(), True
        page.wait_for_timeout(250)
    raise AssertionError(f"{name}: Run All did not finish in {RUN_TIMEOUT_MS // 1000} s: {seen}")


def run_lesson_in_lab(page, lab: bs.Server, path: Path, names: list[str]) -> None:
    """Open the lesson, clear its outputs, Run All, then check errors, widgets and controls."""
    from playwright.sync_api import expect

    page.goto(lab.url(f"lab/tree/notebooks/{path.name}", reset=""))
    panel = page.locator(ACTIVE)
    expect(panel.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")).to_have_count(
        1, timeout=120_000
    )
    _menu(page, "Edit", "editmenu:clear-all")  # so every output seen below is from this run
    page.wait_for_function(ALL_CLEARED, timeout=CHANGE_TIMEOUT_MS)
    _menu(page, "Run", "runmenu:run-all")
    _wait_until_every_cell_ran(page, path.name)

    errors = error_texts(panel)
    assert not errors, f"{path.name} shows error output:\n" + "\n---\n".join(errors)
    assert_rendered(panel, len(names), path.name)
    interactives = panel.locator(INTERACTIVE)
    for i, name in enumerate(names):
        interactive = interactives.nth(i)
        interactive.scroll_into_view_if_needed()
        move_controls(interactive, page, name, f"{path.name}, widgets.{name}()")
    errors = error_texts(panel)
    assert not errors, f"{path.name} shows error output after the changes:\n" + "\n".join(errors)


# ----------------------------------------------------------------------------- Voilà
def _open_dashboard(page, voila: bs.Server) -> None:
    """Load the dashboard; Voilà streams while it executes, so wait for the widgets explicitly."""
    from defection_course.dashboard import sections

    page.goto(voila.url(""), wait_until="domcontentloaded")
    page.locator(INTERACTIVE).nth(len(sections()) - 1).wait_for(timeout=RUN_TIMEOUT_MS)


def test_voila_dashboard_renders_and_every_interactive_responds(voila: bs.Server, page) -> None:
    from defection_course.dashboard import sections

    with screenshot_on_failure(page, "voila-dashboard"):
        _open_dashboard(page, voila)
        errors = error_texts(page)
        assert not errors, "the dashboard shows error output:\n" + "\n---\n".join(errors)
        assert_rendered(page, len(sections()), "dashboard")
        assert page.locator(".jp-InputArea .jp-CodeMirrorEditor, .jp-InputArea pre").count() == 0, (
            "the dashboard shows code"
        )
        interactives = page.locator(INTERACTIVE)
        for i, (title, build, _) in enumerate(sections()):
            interactive = interactives.nth(i)
            interactive.scroll_into_view_if_needed()
            move_controls(interactive, page, build.__name__, f"dashboard, {title}")
            if build.__name__ in KEYBOARD_CHANGES:
                move_controls(
                    interactive, page, build.__name__, f"dashboard, {title} (keyboard)", KEYBOARD_CHANGES
                )
        bs.screenshot(page, "voila-dashboard", whole_content=True)


def test_voila_dashboard_has_no_serious_accessibility_problems(voila: bs.Server, page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    with screenshot_on_failure(page, "voila-dashboard-axe"):
        _open_dashboard(page, voila)
        results = Axe().run(page).response
        AXE_REPORT.parent.mkdir(parents=True, exist_ok=True)
        AXE_REPORT.write_text(json.dumps(results["violations"], indent=1), encoding="utf-8")
        blocking = [v for v in results["violations"] if v.get("impact") in AXE_BLOCKING]
        report = "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} - {len(v['nodes'])} element(s), "
            f"e.g. {v['nodes'][0]['html'][:160]}"
            for v in blocking
        )
        assert not blocking, f"axe-core found serious or critical problems (see {AXE_REPORT}):\n{report}"


# ----------------------------------------------------------------------------- projector size
PROJECTOR = {"width": 1280, "height": 720}
MIN_TEXT_PX = 16  #: the smallest text on a chart, in screen pixels, at the projector size


def _smallest_text_points() -> list[float]:
    """The smallest font size (points) in each dashboard chart's default view, in the dashboard's style.

    Read from the figures' own text artists (titles, ticks, annotations, bar labels, legends);
    the PNG is rendered at 100 dpi (``figures.figure_png``), so a point is 100/72 pixels.
    """
    from matplotlib.text import Text

    from defection_course.dashboard import dashboard, sections
    from defection_course.style import use_course_style

    try:
        dashboard()  # applies the projector style
        sizes = []
        for _, build, _ in sections():
            fig = build().current.figure()
            texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
            sizes.append(min(t.get_fontsize() for t in texts))
        return sizes
    finally:
        use_course_style()


def test_voila_dashboard_reads_on_a_1280_by_720_projector(voila: bs.Server, browser) -> None:
    """Charts no taller than the screen, chart text at least 16 px, no drop-down cut off,
    and lesson 5's controls labelled with the claims' words (from ``claims.CLAIMS``)."""
    context = browser.new_context(viewport=PROJECTOR)
    context.set_default_timeout(60_000)
    page = context.new_page()
    try:
        with screenshot_on_failure(page, "voila-dashboard-1280x720"):
            _open_dashboard(page, voila)
            page.wait_for_timeout(500)
            facts = page.evaluate(
                """() => Array.from(document.querySelectorAll('.defection-course-interactive'), el => {
                  const img = el.querySelector('img');
                  return {natural: img.naturalWidth, width: img.clientWidth, height: img.clientHeight,
                    selects: Array.from(el.querySelectorAll('select'), s => ({
                      label: (s.labels[0] || {}).textContent || '', scroll: s.scrollWidth,
                      client: s.clientWidth, right: s.getBoundingClientRect().right}))};
                })"""
            )
    finally:
        context.close()
    points = _smallest_text_points()
    assert len(facts) == len(points) == 5
    problems = []
    for i, (shown, pt) in enumerate(zip(facts, points, strict=True)):
        px = pt * 100 / 72 * shown["width"] / shown["natural"]
        if px < MIN_TEXT_PX:
            problems.append(f"chart {i + 1}: smallest text {px:.1f} px ({pt:.1f} pt)")
        if shown["height"] > PROJECTOR["height"]:
            problems.append(f"chart {i + 1}: {shown['height']} px tall")
        for sel in shown["selects"]:
            if sel["scroll"] > sel["client"] + 1 or sel["right"] > PROJECTOR["width"]:
                problems.append(f"chart {i + 1}: drop-down {sel['label']!r} cut off: {sel}")
    assert not problems, "\n".join(problems)
    labels = [sel["label"] for sel in facts[4]["selects"]]
    for c in CLAIMS:
        assert any(c.short in label for label in labels), f"no control names {c.id} by its words: {labels}"
    assert not [label for label in labels if label.strip() in {f"{c.id} verdict" for c in CLAIMS}]
