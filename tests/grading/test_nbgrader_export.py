"""The exported nbgrader course folder names no absolute path: it can be moved or copied."""

from __future__ import annotations

import shutil
from pathlib import Path

from traitlets.config.loader import PyFileConfigLoader

from defection_course.grading.nbgrader_export import export


def _config_root(folder: Path) -> str:
    """``CourseDirectory.root`` as nbgrader reads it: traitlets' own loader executes the file."""
    loader = PyFileConfigLoader("nbgrader_config.py", path=str(folder))
    return loader.load_config().CourseDirectory.root


def test_a_moved_course_folder_is_its_own_root(tmp_path: Path) -> None:
    first, moved = tmp_path / "first", tmp_path / "elsewhere" / "course"
    export(first, only="01")
    assert _config_root(first) == str(first.resolve())
    shutil.move(first, moved)
    assert _config_root(moved) == str(moved.resolve())
    text = (moved / "nbgrader_config.py").read_text(encoding="utf-8")
    assert str(first) not in text and str(tmp_path) not in text
