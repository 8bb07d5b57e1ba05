"""Shared fixtures: paths, and a throw-away copy of the course data to damage safely."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def course_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of data/ in a temporary course folder that load() reads instead of the real one."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    monkeypatch.setenv("DEFECTION_COURSE_ROOT", str(tmp_path))
    return tmp_path
