#!/usr/bin/env python3
"""End-to-end widget latency on the Voilà demo: a drop-down changed in Chromium, until the redrawn
figure is on the page, side by side with the time the kernel spent in the update.

Starts ``make demo``'s Voilà (``defection_course.demo.voila_command``, on a free port, with the
browser tests' isolated Jupyter folders, ``tests/support/browser.py``), opens the dashboard in
headless Chromium and, for every interactive on it, applies the moves ``course.yml`` lists, then
cycles each enabled drop-down through a spread of its options (at most ``--changes`` per
interactive and pass; a drop-down whose change leaves the figure as it was, such as an evidence
strength the verdict chart does not draw, is counted once and then left alone). Each change is
timed in the page: from the ``change`` event to the moment the new ``<img>`` is decoded and a
frame has been drawn. The kernel's own time for the same change
(``Interactive.update``: view, PNG, HTML) is recorded by an IPython start-up file in the server's
private ``IPYTHONDIR`` that wraps the method, so the package itself carries no timing code.

The whole sequence runs ``--passes`` times (default 2): the first pass mostly visits selections
for the first time, later passes repeat them (which a per-selection cache answers from memory), so
both are printed. ``--baseline REF`` also serves the dashboard from the package at git ``REF``
(``git archive``, in a temporary folder) and alternates changes between the two servers, so
before and after are measured in the same run under the same load.

Run: ``.venv/bin/python benchmarks/demo_latency.py [--baseline 6459f48] [--changes 10]``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from support import OFFLINE  # noqa: E402
from support import browser as bs  # noqa: E402

from defection_course import course  # noqa: E402
from defection_course.claims import claim  # noqa: E402
from defection_course.demo import voila_command  # noqa: E402
from defection_course.lessons.evidence import verdict_label  # noqa: E402

INTERACTIVE = ".defection-course-interactive"
LOAD_TIMEOUT_MS = 300_000
#: A change whose figure has not changed after this long counts as "no redraw" (not timed).
REDRAW_TIMEOUT_MS = 3_000

#: Wraps Interactive.update in the kernel and appends its duration (ms) to a log, one JSON a line.
STARTUP = """\
import json as _json, time as _time
from defection_course import interactives as _interactives

_update = _interactives.Interactive.update


def _timed_update(self, change=None):
    t0 = _time.perf_counter()
    try:
        return _update(self, change)
    finally:
        ms = 1000 * (_time.perf_counter() - t0)
        with open({log!r}, "a", encoding="utf-8") as f:
            f.write(_json.dumps({{"title": self.title, "ms": ms}}) + "\\n")


_interactives.Interactive.update = _timed_update
"""

#: In the page: choose options ``indices`` of ``sel`` as a user does (then ``input`` and
#: ``change`` events) and resolve with the milliseconds until the interactive's figure has a new
#: ``src``, is decoded and a frame is drawn; ``null`` if it has not changed within ``timeout``.
TIMED_CHANGE = """
async (sel, [indices, timeout]) => {
  const root = sel.closest('__INTERACTIVE__');
  const before = root.querySelector('img')?.getAttribute('src');
  return await new Promise((resolve) => {
    let done = false;
    const obs = new MutationObserver(async () => {
      const img = root.querySelector('img');
      if (done || !img || img.getAttribute('src') === before) return;
      done = true;
      obs.disconnect();
      try { await img.decode(); } catch (e) {}
      requestAnimationFrame(() => resolve(performance.now() - t0));
    });
    obs.observe(root, {subtree: true, childList: true, attributes: true, attributeFilter: ['src']});
    setTimeout(() => { if (!done) { done = true; obs.disconnect(); resolve(null); } }, timeout);
    const t0 = performance.now();
    for (const o of sel.options) o.selected = indices.includes(o.index);
    sel.dispatchEvent(new Event('input', {bubbles: true}));
    sel.dispatchEvent(new Event('change', {bubbles: true}));
  });
}
""".replace("__INTERACTIVE__", INTERACTIVE)


@dataclass
class Sample:
    """One timed change."""

    server: str
    interactive: int
    what: str
    end_to_end: float | None  #: ms in the browser (None: no redraw seen)
    kernel: float | None  #: ms in Interactive.update (summed if one change ran several)
    passno: int


@dataclass
class Demo:
    """One Voilà server with its dashboard open in a tab, and its kernel's timing log."""

    name: str
    server: bs.Server
    log: Path
    page: Any = None
    offset: int = 0
    samples: list[Sample] = field(default_factory=list)

    def kernel_times(self, wait: float = 3.0) -> float | None:
        """The kernel's update time(s) logged since the last call (waits for at least one)."""
        deadline = time.monotonic() + wait
        while True:
            text = self.log.read_text(encoding="utf-8") if self.log.exists() else ""
            new = [json.loads(line) for line in text[self.offset :].splitlines() if line.strip()]
            if new or time.monotonic() > deadline:
                self.offset = len(text)
                return sum(entry["ms"] for entry in new) if new else None
            time.sleep(0.02)


def start_demo(name: str, root: Path, home: Path) -> Demo:
    """Voilà on the dashboard of the course at ``root``, as ``make demo`` runs it, with timing."""
    log = home / "kernel-times.jsonl"
    startup = home / "ipython" / "profile_default" / "startup" / "00-latency.py"
    startup.parent.mkdir(parents=True, exist_ok=True)
    startup.write_text(STARTUP.format(log=str(log)), encoding="utf-8")
    env = bs.isolated_env(home)
    env["PYTHONPATH"] = os.pathsep.join([str(root), str(OFFLINE)])
    env.pop("DEFECTION_COURSE_ROOT", None)
    port, token = bs.free_port(), secrets.token_hex(16)
    command = voila_command(port, open_browser=False) + [
        f"--Voila.token={token}",
        "--ServerApp.port_retries=0",
    ]
    server = bs.start_server(
        f"Voila ({name})",
        command,
        f"http://127.0.0.1:{port}/",
        token,
        root,
        env,
        home / "voila.log",
        ready_path="voila/static/voila.js",
        kernels_api=False,
    )
    return Demo(name, server, log)


def baseline_copy(ref: str, folder: Path) -> Path:
    """The repository at git ``ref``, extracted into ``folder`` (``git archive``; no work tree)."""
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def moves_by_title() -> list[list[tuple[str, list[str]]]]:
    """course.yml's moves, per dashboard interactive in order: (control label, options to choose)."""

    def label(name: str) -> str:
        found = re.fullmatch(r"(C\d+) verdict", name)
        return verdict_label(claim(found[1])) if found else name

    return [
        [
            (label(m.control), list(m.choose) if isinstance(m.choose, tuple) else [m.choose])
            for m in item.moves
        ]
        for lesson in course.lessons(ROOT)
        for item in lesson.interactives
        if item.dashboard
    ]


def plan(page, moves: list[list[tuple[str, list[str]]]], per_interactive: int) -> list[tuple[int, Any]]:
    """The changes of one pass: (interactive index, step), where a step is a course.yml move
    ``("move", label, option texts)`` or ``("cycle", select index, t, k)``: the ``t``-th of ``k``
    options spread over the drop-down's list (the next one if it is already chosen)."""
    steps: list[tuple[int, Any]] = []
    interactives = page.locator(INTERACTIVE)
    for i in range(interactives.count()):
        mine: list[Any] = [("move", label, texts) for label, texts in (moves[i] if i < len(moves) else [])]
        selects = interactives.nth(i).locator("select")
        cycles: list[list[Any]] = []
        for j in range(selects.count()):
            n, disabled = selects.nth(j).evaluate("s => [s.options.length, s.disabled]")
            if not disabled and n >= 2:
                k = min(3, n - 1)
                cycles.append([("cycle", j, t, k) for t in range(k)])
        while cycles and len(mine) < per_interactive:  # round-robin over the drop-downs
            for cycle in list(cycles):
                if len(mine) < per_interactive:
                    mine.append(cycle.pop(0))
                if not cycle:
                    cycles.remove(cycle)
        steps += [(i, step) for step in mine]
    return steps


def apply(demo: Demo, i: int, step: Any, passno: int) -> None:
    """Make one change on ``demo``'s page and record its end-to-end and kernel times."""
    interactive = demo.page.locator(INTERACTIVE).nth(i)
    if step[0] == "move":
        _, label, texts = step
        sel = interactive.get_by_label(label, exact=True)
        indices = sel.evaluate(
            "(s, texts) => [...s.options].filter(o => texts.includes(o.text.replace(/\\u00a0/g, ' ')))"
            ".map(o => o.index)",
            texts,
        )
        what = f"{label} = {texts}"
        if len(indices) != len(texts):
            raise SystemExit(f"course.yml move {what}: option not found on the page")
    else:
        _, j, t, k = step
        sel = interactive.locator("select").nth(j)
        n, current = sel.evaluate("s => [s.options.length, [...s.selectedOptions].map(o => o.index)]")
        pick = round((t + 1) * (n - 1) / (k + 1))
        indices = [pick if [pick] != current else (pick + 1) % n]
        what = f"drop-down {j} -> option {indices[0]}"
    current = sel.evaluate("s => [...s.selectedOptions].map(o => o.index)")
    if sorted(current) == sorted(indices):
        return  # already chosen: nothing would redraw
    sel.scroll_into_view_if_needed()
    demo.kernel_times(wait=0)  # forget updates logged before this change
    ms = sel.evaluate(TIMED_CHANGE, [indices, REDRAW_TIMEOUT_MS])
    kernel = demo.kernel_times(wait=3.0 if ms is not None else 0.5)
    demo.samples.append(Sample(demo.name, i, what, ms, kernel, passno))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def row(label: str, samples: list[Sample]) -> str:
    timed = [s for s in samples if s.end_to_end is not None]
    e2e = [s.end_to_end for s in timed if s.end_to_end is not None]
    kern = [s.kernel for s in timed if s.kernel is not None]
    missed = len(samples) - len(timed)

    def pair(values: list[float]) -> str:
        return (
            f"{percentile(values, 0.5):8.1f} {percentile(values, 0.95):8.1f}"
            if values
            else f"{'-':>8} {'-':>8}"
        )

    return f"{label:<34} {pair(e2e)}   {pair(kern)}  {len(e2e):5d} {missed:5d}"


def report(demos: list[Demo], passes: int, titles: list[str]) -> None:
    print(f"\n{'':<34} {'end to end (ms)':>17}   {'in kernel (ms)':>17}")
    print(f"{'':<34} {'p50':>8} {'p95':>8}   {'p50':>8} {'p95':>8}  {'count':>5} {'no redraw':>9}")
    for demo in demos:
        print(row(f"{demo.name}: all changes", demo.samples))
        for p in range(1, passes + 1):
            what = "first visits, mostly" if p == 1 else "the same changes again"
            print(row(f"  pass {p} ({what})", [s for s in demo.samples if s.passno == p]))
        for i, title in enumerate(titles):
            print(row(f"  {title[:32]}", [s for s in demo.samples if s.interactive == i]))
        for s in demo.samples:
            if s.end_to_end is None:
                print(
                    f"  figure unchanged after {REDRAW_TIMEOUT_MS} ms: {titles[s.interactive]}, {s.what} "
                    f"(kernel update: {'none' if s.kernel is None else f'{s.kernel:.0f} ms'})"
                )


def print_samples(demos: list[Demo], titles: list[str]) -> None:
    """Every timed change, slowest end to end first (a change with no redraw last)."""
    for demo in demos:
        print(f"\n{demo.name}: every change (end to end, in kernel, ms)")
        for s in sorted(demo.samples, key=lambda s: -(s.end_to_end or -1)):
            e2e = "-" if s.end_to_end is None else f"{s.end_to_end:.1f}"
            kernel = "-" if s.kernel is None else f"{s.kernel:.1f}"
            print(f"  {e2e:>7} {kernel:>7}  pass {s.passno}  {titles[s.interactive][:28]}: {s.what}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", metavar="REF", help="also measure the package at git REF, interleaved")
    parser.add_argument(
        "--changes", type=int, default=10, help="changes per interactive and pass (default 10)"
    )
    parser.add_argument("--passes", type=int, default=2, help="passes over the changes (default 2)")
    parser.add_argument("--samples", action="store_true", help="also print every change, slowest first")
    args = parser.parse_args()
    chromium = bs.find_chromium()
    if chromium is None:
        sys.exit(bs.INSTALL_HINT)
    from playwright.sync_api import sync_playwright

    from defection_course.dashboard import sections

    titles = [title for title, _, _ in sections()]
    print(f"load average at start (1, 5, 15 min): {os.getloadavg()}")
    with tempfile.TemporaryDirectory(prefix="demo-latency-") as tmp:
        folders = [("this tree", ROOT, Path(tmp) / "current")]
        if args.baseline:
            (Path(tmp) / "base").mkdir()
            base = baseline_copy(args.baseline, Path(tmp) / "base")
            folders.append((f"baseline {args.baseline}", base, Path(tmp) / "base-home"))
        demos: list[Demo] = []
        try:
            for name, root, home in folders:
                home.mkdir(parents=True, exist_ok=True)
                demos.append(start_demo(name, root, home))
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, headless=True, args=bs.CHROMIUM_ARGS)
                try:
                    run(browser, demos, args, titles)
                finally:
                    browser.close()
        finally:
            for demo in demos:
                demo.server.stop()
    print(f"load average at end (1, 5, 15 min): {os.getloadavg()}")
    report(demos, args.passes, titles)
    if args.samples:
        print_samples(demos, titles)


def run(browser, demos: list[Demo], args: argparse.Namespace, titles: list[str]) -> None:
    """Open each dashboard, then make every change on each server in turn (interleaved)."""
    for demo in demos:
        context = browser.new_context(viewport={"width": 1600, "height": 1000})
        context.set_default_timeout(60_000)
        demo.page = context.new_page()
        demo.page.goto(demo.server.url(""), wait_until="domcontentloaded")
        demo.page.locator(INTERACTIVE).nth(len(titles) - 1).locator("img").wait_for(timeout=LOAD_TIMEOUT_MS)
        demo.kernel_times(wait=0)
    steps = plan(demos[0].page, moves_by_title(), args.changes)
    print(
        f"{len(steps)} changes per pass over {len(titles)} interactives, "
        f"{args.passes} passes, {len(demos)} server(s)"
    )
    skip: set[tuple[int, int]] = set()  # drop-downs whose change left the figure as it was
    for passno in range(1, args.passes + 1):
        for i, step in steps:
            if step[0] == "cycle" and (i, step[1]) in skip:
                continue
            for demo in demos:
                apply(demo, i, step, passno)
                if demo.samples and demo.samples[-1].end_to_end is None and step[0] == "cycle":
                    skip.add((i, step[1]))


if __name__ == "__main__":
    main()
