"""A folder of "teacher" files for the clean-up attacks, and a snapshot to compare it with.

The attacks plant links to these files in a scratch folder (a runtime folder swapped for a link to
``jupyter/``, links to ``notes.txt`` and ``sub/`` inside a read-only folder); the trusted side's
clean-up must leave every file's content and mode as :func:`snapshot` recorded them.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def teacher_folder(home: Path) -> Path:
    """``home/teacher``: Jupyter data (a kernelspec, IPC-like names), a note (0644), a folder (0755)."""
    t = home / "teacher"
    (t / "jupyter" / "kernels" / "python3").mkdir(parents=True)
    (t / "jupyter" / "kernels" / "python3" / "kernel.json").write_text(
        '{"argv": ["python3"]}', encoding="utf-8"
    )
    for i in range(1, 6):
        (t / "jupyter" / f"k-{i}").write_text(f"not a socket {i}", encoding="utf-8")
    (t / "notes.txt").write_text("the teacher's notes", encoding="utf-8")
    (t / "notes.txt").chmod(0o644)
    (t / "sub").mkdir()
    (t / "sub").chmod(0o755)
    return t


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every path below ``folder`` (links not followed): its mode bits and, for files, its bytes."""
    snap = {".": (stat.S_IMODE(folder.stat().st_mode), b"")}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            st = p.lstat()
            snap[p.relative_to(folder).as_posix()] = (
                stat.S_IMODE(st.st_mode),
                p.read_bytes() if stat.S_ISREG(st.st_mode) else b"",
            )
    return snap
