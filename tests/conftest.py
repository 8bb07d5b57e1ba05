"""Shared fixtures and the suite's plugins: a throw-away copy of the data, one run of every notebook."""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import matplotlib
import pytest
from support import ROOT
from support.notebook_run import NotebookRun

from defection_course.authoring.execute import KERNEL_ENV

os.environ.update(KERNEL_ENV)  # the same kernel environment as when outputs were stored


@pytest.fixture(autouse=True)
def _own_matplotlib_state() -> Iterator[None]:
    """Each test gets matplotlib's settings as they were and leaves no figure open.

    Under xdist a file runs after others in the same worker: a style one test set (the course
    style's line cycle, say) must not change what the next test draws.
    """
    with matplotlib.rc_context():
        yield
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


@pytest.fixture
def course_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of data/ in a temporary course folder that load() reads instead of the real one."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    monkeypatch.setenv("DEFECTION_COURSE_ROOT", str(tmp_path))
    return tmp_path


#: The longest files (``--durations`` of a full run), handed to the two xdist workers first so that
#: neither is left with one long file at the end (``--no-loadscope-reorder`` keeps this order;
#: within a file the order is unchanged).
LONGEST_FIRST = (
    "tests/grading/test_nbgrader.py",
    "tests/site/test_browser.py",
    "tests/grading/test_report.py",
    "tests/site/test_site.py",
    "tests/checks/test_question_cases.py",
    "tests/grading/test_grading.py",
    "tests/grading/test_isolation.py",
    "tests/grading/test_classroom.py",
    "tests/grading/test_grading_inline.py",
)


def _rank(item: pytest.Item) -> int:
    path = item.path.relative_to(ROOT).as_posix() if item.path.is_relative_to(ROOT) else ""
    return LONGEST_FIRST.index(path) if path in LONGEST_FIRST else len(LONGEST_FIRST)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest files first (a stable sort: every other item keeps its place)."""
    items.sort(key=_rank)


def pytest_configure(config: pytest.Config) -> None:
    """nbval's run of each notebook is offline and also compared images included (one run only)."""
    config.pluginmanager.register(NotebookRun(), "course-notebook-run")


_STARTED = time.time()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """List the screenshots the browser tests saved in this run (build/ is not committed).

    The tests run in xdist workers, so the list is read from the folder, not from a variable.
    """
    from support.browser import SCREENSHOTS

    saved = sorted(p for p in SCREENSHOTS.rglob("*.png") if p.stat().st_mtime >= _STARTED)
    if saved:
        terminalreporter.write_sep("-", "browser test screenshots")
        for path in saved:
            terminalreporter.write_line(str(path.relative_to(ROOT)))
