"""The class report and the LMS export, on a synthetic class of 30 graded by the real grader.

The class (tests/support/classes.py) is the lesson-2 exercise with answers taken from the
solution, replaced by known wrong values, or left blank, plus three files the grader rejects.
The report must count what was put in; the browser test opens the HTML in Chromium, with the
network blocked, and runs axe-core on it.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import nbformat
import pytest
from support import ROOT, cli
from support import browser as bs
from support.classes import EXERCISE2, in_own_thread, write_class, wrong_answers

from defection_course.checks.runner import result_for
from defection_course.grading.class_report import mistake_of
from defection_course.questions import QUESTIONS

pytestmark = pytest.mark.slow
CLASS_SIZE = 30
SCREENSHOT = ROOT / "build" / "report" / "class-report.png"
AXE_REPORT = ROOT / "build" / "report" / "axe.json"


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict[str, str]]]:
    """The synthetic class graded once by ``python -m defection_course grade``, then reported."""
    home = tmp_path_factory.mktemp("class")
    intended = write_class(home / "submissions", CLASS_SIZE)
    results = home / "results"
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "defection_course", "grade", str(EXERCISE2), str(home / "submissions")]
        + ["--out", str(results), "--quiet"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    print(f"\ngraded {CLASS_SIZE + 3} files in {time.perf_counter() - start:.0f} s")
    done = cli.run("report", str(results))  # in this process (tests/support/cli.py)
    assert done.returncode == 0, done.stderr[-3000:]
    return results, intended


def _literal(source: str):
    return eval(source.split("=", 1)[1])  # the wrong answers of q2_1 and q2_5 are literals


def test_report_counts_the_mistakes_that_were_put_in(graded_class) -> None:
    results, intended = graded_class
    page = (results / "report.html").read_text(encoding="utf-8")
    for qid in ("q2_1", "q2_5"):  # answers that do not depend on an earlier answer
        q = QUESTIONS[qid]
        sources = dict(wrong_answers()[qid])
        expected: Counter[str] = Counter()
        for what in intended.values():
            name = what[qid]
            if name == "blank":
                expected["not answered"] += 1
            elif name != "right":
                # what check() itself says about that answer, outside the grader
                expected[mistake_of(q, result_for(qid, _literal(sources[name])).message)] += 1
        assert len(expected) >= 3, f"the synthetic class has too few kinds of mistake in {qid}"
        table = page.split(f"<caption>{qid}: ", 1)[1].split("</table>", 1)[0]
        shown = {
            re.sub(r"<.*?>", "", m.group(1)): int(m.group(2))
            for m in re.finditer(r"<tr><td>(.*?)</td><td>(\d+)</td>", table)
        }
        for key, n in expected.most_common(5):
            assert shown.get(key.replace("'", "&#x27;")) == n, (qid, key, n, shown)
        right = sum(w[qid] == "right" for w in intended.values())
        assert f"<td>{qid}</td><td>{q.title}</td><td>{100 * right / CLASS_SIZE:.0f}%</td>" in page


def test_report_lists_rejected_files_written_answers_and_timing(graded_class) -> None:
    results, intended = graded_class
    page = (results / "report.html").read_text(encoding="utf-8")
    for student, why in (
        ("late_empty", "the file is empty"),
        ("scan", "not a Jupyter notebook"),
        ("wrong_lesson", "submitted the wrong exercise"),
    ):
        assert re.search(rf"<td>{student}</td><td>rejected</td><td>[^<]*{why}", page), student
    waiting = sum(w["q2_6"] != "blank" for w in intended.values())  # every written answer is marked by hand
    assert "q2_6 (Humble origin" in page and f"0 answers marked, {waiting} waiting for a mark" in page
    assert "per notebook, median" in page
    # self-contained: no address outside the page, every image inline and described
    assert not re.search(r"""(src|href)=["'](?!data:)""", page)
    images = re.findall(r"<img ([^>]*)>", page)
    assert len(images) == 3 and all(
        'alt="' in i and len(re.search(r'alt="([^"]*)"', i)[1]) > 80 for i in images
    )
    nb = nbformat.read(results / "report.ipynb", as_version=4)
    assert [c.source.splitlines()[0] for c in nb.cells][1:] == [
        "## " + h for h in re.findall(r"<h2>(.*?)</h2>", page)
    ]
    assert sum(len(c.get("attachments", {})) for c in nb.cells) == 3


def test_report_figures_use_the_course_palette(graded_class) -> None:
    import io

    from matplotlib.image import imread

    from defection_course.style import OKABE_ITO

    results, _ = graded_class
    page = (results / "report.html").read_text(encoding="utf-8")
    import base64

    blue = tuple(int(OKABE_ITO["blue"][i : i + 2], 16) for i in (1, 3, 5))
    for data in re.findall(r'src="data:image/png;base64,([^"]+)"', page)[:2]:
        pixels = (imread(io.BytesIO(base64.b64decode(data)))[..., :3] * 255).round().astype(int)
        assert (abs(pixels - blue).sum(axis=-1) <= 3).sum() > 500, "no course-blue bars in the figure"


@pytest.mark.browser
def test_report_renders_in_chromium_offline_without_errors_or_axe_problems(graded_class) -> None:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    chromium = bs.chromium_or_skip()
    results, _ = graded_class
    errors: list[str] = []
    outside: list[str] = []

    def drive() -> None:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, headless=True, args=bs.CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
                page.on("pageerror", lambda e: errors.append(str(e)))

                def block(route) -> None:
                    url = route.request.url
                    if url.startswith(("file:", "data:")):
                        route.continue_()
                    else:
                        outside.append(url)
                        route.abort()

                page.route("**/*", block)
                page.goto((results / "report.html").as_uri(), wait_until="load")
                assert page.locator("h1").inner_text().startswith("Class report")
                loaded = page.evaluate("[...document.images].map(i => i.complete && i.naturalWidth > 0)")
                assert loaded == [True, True, True], loaded
                assert page.locator("table").count() >= 8
                response = Axe().run(page).response
                AXE_REPORT.parent.mkdir(parents=True, exist_ok=True)
                AXE_REPORT.write_text(json.dumps(response["violations"], indent=1), encoding="utf-8")
                blocking = [v for v in response["violations"] if v.get("impact") in ("serious", "critical")]
                assert not blocking, [(v["id"], v["help"], v["nodes"][0]["html"][:120]) for v in blocking]
                page.screenshot(path=str(SCREENSHOT), full_page=True)
            finally:
                browser.close()

    in_own_thread(drive)
    assert not errors, errors
    assert not outside, f"the report asked for addresses outside itself: {outside}"
    print(f"screenshot: {SCREENSHOT}")


# ----------------------------------------------------------------------------- LMS export
def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def test_lms_exports_have_the_canvas_and_moodle_shapes(graded_class, tmp_path: Path) -> None:
    """Flat file names carry no LMS id: each LMS's own gradebook export is the roster (as downloaded;
    the importers' rules are checked in detail in test_lms.py)."""
    results, intended = graded_class
    with (results / "gradebook.csv").open(encoding="utf-8", newline="") as fh:
        book = {r["student"]: r for r in csv.DictReader(fh)}
    students = sorted(book)
    canvas_roster, moodle_roster = tmp_path / "canvas_export.csv", tmp_path / "moodle_export.csv"
    with canvas_roster.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Exercise 2 (777)"])
        w.writerow(["    Points Possible", "", "", "", "", "10.00"])
        for i, s in enumerate(students):
            w.writerow([f"Name{i}, Given", str(5000 + i), "", s, "A", ""])
    with moodle_roster.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["First name", "Last name", "Username", "Email address", "Assignment: Exercise 2 (Real)"])
        for i, s in enumerate(students):
            w.writerow(["Given", f"Name{i}", s, f"{s}@school.example", "-"])
    for lms, roster in (("canvas", canvas_roster), ("moodle", moodle_roster)):
        out = tmp_path / f"{lms}.csv"
        done = cli.run(
            "lms-export", str(results), "--lms", lms,
            "--out", str(out), "--roster", str(roster), "--assignment", "Exercise 2",
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        rows = _read(out)
        header = rows[0]
        if lms == "canvas":
            assert header == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Exercise 2 (777)"]
            assert rows[1][0] == "Points Possible" and rows[1][5] == "10"
            body = {r[3]: r for r in rows[2:]}
            col = 5
        else:
            assert header == [
                "Email address",
                "Assignment: Exercise 2 (Real)",
                "Assignment: Exercise 2 (Feedback)",
            ]
            body = {r[0].split("@")[0]: r for r in rows[1:]}
            col = 1
        graded = {s for s, r in book.items() if r["status"] == "graded"}
        pending = {s for s in graded if book[s]["q2_6"] == "to mark"}
        assert pending == {s for s in graded if intended[s]["q2_6"] != "blank"}  # short ones too
        # written answer not marked yet: left out, so no blank clears a grade in the LMS
        assert set(body) == graded - pending
        for student, row in body.items():
            assert row[col] == book[student]["total"], (student, row)
        assert "not marked yet" in done.stdout  # and the command says how many


def test_the_pass_rate_legend_covers_no_bar() -> None:
    """Every bar of the pass-rate chart stays visible, whatever the rates (bars may reach 100%):
    generated classes from all-passed to none-answered, 1 to 12 questions."""
    import random

    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    from defection_course.grading.class_report import _pass_chart

    rng = random.Random(7)
    for n in [1, 3, 5, 12] * 5:
        rates = []
        for i in range(n):
            passed = rng.choice([0.0, 1.0, rng.random()])
            rates.append((f"q1_{i + 1}", passed, rng.choice([0.0, 1 - passed, rng.random() * (1 - passed)])))
        fig, *_ = _pass_chart(rates)
        fig.canvas.draw()
        ax = fig.axes[0]
        legend = ax.get_legend().get_window_extent()
        bars = [p.get_window_extent() for p in ax.patches if p.get_width() > 0]
        assert not [b for b in bars if b.overlaps(legend)], rates
        plt.close(fig)
