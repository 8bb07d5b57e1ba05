"""Run the course's grader as a teacher does (``python -m defection_course grade``) and read its gradebook."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path


def read_gradebook(out: Path) -> dict[str, dict[str, str]]:
    """``out/gradebook.csv`` as one row (column -> text) per student."""
    with (out / "gradebook.csv").open(encoding="utf-8", newline="") as fh:
        return {r["student"]: r for r in csv.DictReader(fh)}


def grade_command(exercise: Path, folder: Path, out: Path, *extra: str) -> list[str]:
    """The teacher's command line that grades ``folder`` against ``exercise`` into ``out``."""
    job = [sys.executable, "-m", "defection_course", "grade"]
    return job + [str(exercise), str(folder), "--out", str(out), *extra]


def grade(
    exercise: Path,
    folder: Path,
    out: Path,
    *extra: str,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: int = 900,
) -> dict[str, dict[str, str]]:
    """Grade ``folder`` against ``exercise`` into ``out`` (the run must succeed); the gradebook rows."""
    done = subprocess.run(
        grade_command(exercise, folder, out, *extra),
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return read_gradebook(out)
