"""File operations of the trusted side on folders a submission could have written.

A kernel may write anything inside its scratch folder: symbolic links to the teacher's files, a
folder made read-only (``0500``) with a link inside it, a tree thousands of levels deep. The
standard library's clean-up is not safe on such a tree: ``tempfile.TemporaryDirectory`` resets
modes with ``os.chmod`` on paths, which follows a planted link (CVE-2023-6597, present in the
Python 3.11.7 this course supports), and ``shutil.rmtree`` recurses on the Python stack and keeps
one descriptor per level open (``RecursionError`` or ``EMFILE`` on a deep tree).

:func:`remove_tree` removes a folder the grader created without ever following a link: every
step is relative to an open directory descriptor, directories are opened with ``O_NOFOLLOW``, a
link is unlinked (never its target), modes are changed only on directories reached that way (so
inside the folder) and owned by the grader, and the walk is a loop with a bounded number of open
descriptors (deeper levels are moved up to the top of the folder first). It never raises for what
it finds; it returns the problems, so that one student's scratch folder cannot stop a class.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

#: directory descriptors kept open at once while removing (deeper levels are moved up)
MAX_OPEN = 32
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_O_PATH = getattr(os, "O_PATH", 0)


def _unlock(dir_fd: int, name: str) -> None:
    """Give the grader rwx on the directory ``name`` in ``dir_fd`` if it is one, and its owner.

    The directory is pinned with an ``O_PATH | O_NOFOLLOW`` descriptor and checked with
    ``fstat``, so a link (or anything that is not a directory) is never changed, and neither is
    whatever a link points to.
    """
    if not _O_PATH:
        return
    try:
        fd = os.open(name, _O_PATH | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=dir_fd)
    except OSError:
        return
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode) and st.st_uid == os.geteuid() and st.st_mode & 0o700 != 0o700:
            os.chmod(f"/proc/self/fd/{fd}", stat.S_IMODE(st.st_mode) | 0o700)
    except OSError:
        pass
    finally:
        os.close(fd)


def _open_dir(dir_fd: int, name: str) -> int:
    _unlock(dir_fd, name)
    return os.open(name, _DIR_FLAGS, dir_fd=dir_fd)


def _names(fd: int) -> list[str]:
    return os.listdir(fd)


def _empty(top: int, problems: list[str]) -> None:
    """Remove everything inside the directory open as ``top`` (a loop, never recursion)."""
    stack: list[tuple[int, list[str], str]] = [(top, _names(top), "")]
    while stack:
        fd, names, own = stack[-1]
        if not names:
            stack.pop()
            if stack:
                os.close(fd)
                try:
                    os.rmdir(own, dir_fd=stack[-1][0])
                except OSError as exc:
                    problems.append(f"{own}: {exc.strerror}")
            continue
        name = names.pop()
        try:
            st = os.lstat(name, dir_fd=fd)
            if not stat.S_ISDIR(st.st_mode):
                os.unlink(name, dir_fd=fd)  # a file, a socket or a link: the entry, never a target
                continue
            if len(stack) >= MAX_OPEN:  # too deep to keep descending: move it up to the top
                _unlock(fd, name)
                moved = f".rm-{secrets.token_hex(8)}"
                os.rename(name, moved, src_dir_fd=fd, dst_dir_fd=top)
                stack[0][1].append(moved)
                continue
            child = _open_dir(fd, name)
        except OSError as exc:
            problems.append(f"{name}: {exc.strerror}")
            continue
        try:
            stack.append((child, _names(child), name))
        except OSError as exc:
            os.close(child)
            problems.append(f"{name}: {exc.strerror}")
    # ``top`` itself is closed by the caller


def remove_tree(path: Path) -> list[str]:
    """Remove ``path`` (a folder the grader created) and everything in it, following no link.

    Returns what could not be removed (empty when all is gone). ``path`` itself may be a link
    planted by a submission: then only the link is removed.
    """
    problems: list[str] = []
    path = Path(path)
    try:
        parent = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        return [f"{path.parent}: {exc.strerror}"]
    try:
        st = os.lstat(path.name, dir_fd=parent)
        if not stat.S_ISDIR(st.st_mode):
            os.unlink(path.name, dir_fd=parent)
            return problems
        top = _open_dir(parent, path.name)
        try:
            _empty(top, problems)
        finally:
            os.close(top)
        os.rmdir(path.name, dir_fd=parent)
    except FileNotFoundError:
        pass
    except OSError as exc:
        problems.append(f"{path.name}: {exc.strerror}")
    finally:
        os.close(parent)
    return problems


@contextlib.contextmanager
def scratch_folder(prefix: str, base: str | None) -> Iterator[str]:
    """Like ``tempfile.TemporaryDirectory`` (a new 0700 folder), removed with :func:`remove_tree`."""
    folder = tempfile.mkdtemp(prefix=prefix, dir=base)
    try:
        yield folder
    finally:
        remove_tree(Path(folder))


def read_no_follow(path: Path, limit: int) -> bytes:
    """The bytes of a regular file, opened without following a link at its last component, or
    ``OSError``; a file larger than ``limit`` raises :class:`TooLarge` before anything is read."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise IsADirectoryError(21, "not a regular file")
        if st.st_size > limit:
            raise TooLarge(st.st_size)
        chunks, total = [], 0
        while chunk := os.read(fd, 1 << 20):
            total += len(chunk)
            if total > limit:  # grew while being read
                raise TooLarge(total)
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


class TooLarge(Exception):
    """A file larger than the limit; ``size`` is what was seen (bytes)."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size
