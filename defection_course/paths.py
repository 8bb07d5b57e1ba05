"""Where the course lives on disk, and where scratch folders holding Unix sockets go.

Every other module asks this one for paths, so the course can be moved, copied into a
temporary folder by the grader, or pointed elsewhere with the ``DEFECTION_COURSE_ROOT``
environment variable.
"""

from __future__ import annotations

import os
import shlex
import sys
import tempfile
from pathlib import Path

ENV_ROOT = "DEFECTION_COURSE_ROOT"


def course_root() -> Path:
    """Return the course's top folder (the one holding ``data/`` and ``notebooks/``)."""
    override = os.environ.get(ENV_ROOT)
    if override:
        return Path(override).resolve()
    return Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """Return the folder holding the CSV files and ``datapackage.json``."""
    return course_root() / "data"


def datapackage_path() -> Path:
    """Return the path of the Frictionless descriptor ``data/datapackage.json``."""
    return data_dir() / "datapackage.json"


def course_command(job: str) -> str:
    """A shell command running a job of the course's command line (``merge-marks``, ``verify`` ...),
    with the full path of the Python that has the course installed (a bare ``python`` outside the
    virtual environment may not have it), quoted for a shell if it needs to be."""
    return f"{shlex.quote(sys.executable or 'python')} -m defection_course {job}"


def socket_temp_base() -> str | None:
    """Where to make a folder that will hold Unix sockets (kernels' channels, the grader's zygote):
    the temp folder, or /tmp where its path is too long for them. A socket's path may have 104
    (macOS) to 108 (Linux) bytes, and the folders and names made below this one take up to ~55."""
    base = tempfile.gettempdir()
    return base if len(base) <= 50 else ("/tmp" if os.path.isdir("/tmp") else None)
