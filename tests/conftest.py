"""Shared fixtures: paths, a throw-away copy of the data, and one fresh run of every notebook."""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import pytest
from support import ALL_NOTEBOOKS, OFFLINE, ROOT

from defection_course.authoring.execute import KERNEL_ENV

os.environ.update(KERNEL_ENV)  # the same kernel environment as when outputs were stored


@pytest.fixture
def course_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of data/ in a temporary course folder that load() reads instead of the real one."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    monkeypatch.setenv("DEFECTION_COURSE_ROOT", str(tmp_path))
    return tmp_path


def _execute_offline(path: str) -> str:
    """Run one notebook in a fresh kernel with the network blocked; return the executed JSON."""
    from defection_course.authoring.execute import execute, normalize

    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(OFFLINE), os.environ.get("PYTHONPATH")]))
    nb = nbformat.read(path, as_version=4)
    for attempt in range(2):  # a zmq port clash can happen when kernels start in parallel
        try:
            return nbformat.writes(normalize(execute(nb, cwd=Path(path).parent, timeout=120)))
        except RuntimeError as exc:  # pragma: no cover - retried once
            if "Address already in use" not in str(exc) or attempt:
                raise
    raise AssertionError("unreachable")


@pytest.fixture(scope="session")
def fresh_runs() -> dict[Path, nbformat.NotebookNode]:
    """Every committed notebook executed once more from a fresh, offline kernel (2 at a time)."""
    with ProcessPoolExecutor(max_workers=2) as pool:
        texts = list(pool.map(_execute_offline, [str(p) for p in ALL_NOTEBOOKS]))
    return {p: nbformat.reads(t, as_version=4) for p, t in zip(ALL_NOTEBOOKS, texts)}


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """List the screenshots the browser tests saved (build/ is not committed)."""
    from support.browser import SAVED

    if SAVED:
        terminalreporter.write_sep("-", "browser test screenshots")
        for path in SAVED:
            terminalreporter.write_line(str(path.relative_to(ROOT)))
