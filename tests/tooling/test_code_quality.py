"""The code passes the linters the project uses (ruff for lint and format, mypy for types).

The same tools run from pre-commit (.pre-commit-config.yaml); here they are part of `make test`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT

BIN = Path(sys.executable).parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize(
    "command", [("ruff", "check", "."), ("ruff", "format", "--check", ".")], ids=["ruff-check", "ruff-format"]
)
def test_ruff_is_clean(command):
    result = _run(str(BIN / command[0]), *command[1:])
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow  # a minute on 2 cores; `make test-fast` users run mypy themselves
def test_mypy_is_clean():
    result = _run(str(BIN / "mypy"))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_the_pre_commit_hooks_pass_on_the_whole_tree(tmp_path):
    """The hooks a maintainer runs on commit agree with this suite (and need no download).

    They run in a fresh clone of the committed tree, because two of them fix files in place.
    """
    import os

    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=120)
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "DEFECTION_COURSE_ROOT": str(clone),
    }
    (clone / ".venv").symlink_to(BIN.parent)  # the hooks call the pinned tools in .venv/
    result = subprocess.run(
        [str(BIN / "pre-commit"), "run", "--all-files", "--show-diff-on-failure"],
        cwd=clone,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
