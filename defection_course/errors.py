"""Friendly errors for learners: a clear message, not a wall of traceback.

The course raises :class:`CourseError` (or a subclass) whenever a learner or an
instructor can fix the problem themselves: a damaged data file, an unknown table name,
a check called on something it cannot read.  Inside Jupyter the message is shown on
its own, without the internal call stack; everywhere else it is a normal exception.
"""

from __future__ import annotations

from typing import Any


class CourseError(Exception):
    """Base class for problems a course user can fix; its message says how."""


class DataError(CourseError):
    """A data file is missing, damaged or does not match ``data/datapackage.json``."""


class UnknownTableError(DataError, KeyError):
    """``load()`` was asked for a table the course does not have."""

    def __str__(self) -> str:  # KeyError would wrap the message in quotes
        return str(self.args[0]) if self.args else ""


def _short_handler(
    shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: int | None = None
) -> None:
    """IPython custom-exception handler: show the exception's own message, not the stack.

    Uses only IPython's public API (``showtraceback`` with ``exception_only=True``).
    """
    shell.showtraceback((etype, value, tb), exception_only=True)


def install_ipython_handler() -> bool:
    """Show course errors as a one-line message in the running IPython; return True if installed.

    Nothing calls this on import: :func:`defection_course.use_course_style`, which every
    lesson and exercise runs in its first cell, switches it on.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a course dependency
        return False
    shell = get_ipython()
    if shell is None:
        return False
    shell.set_custom_exc((CourseError,), _short_handler)
    return True
