"""The restricted kernel submissions run in.

``python -m defection_course.grading.sandbox -f CONNECTION_FILE`` starts an ipykernel. With
``COURSE_SANDBOX_ISOLATE=1`` (the grader's default) it first splits in two:

* a **supervisor** (the process the grader started, trusted code only) that receives the
  seccomp listener of its child, answers every refused system call with "EPERM" and records
  it in a report file outside the sandbox (the gradebook's reason), lets the kernel start a
  thread only while it has fewer than its thread limit, writes the kernel's process id and
  start time first in that file (so the grader can find it again, whatever it renamed itself
  to); it ignores interrupts and exits when the kernel exits;
* the **kernel**, which before running any student code sets resource limits, sets
  ``no_new_privs``, drops capabilities, restricts itself with Landlock and installs the seccomp
  filter (see :mod:`defection_course.grading.isolation`), and dies if the supervisor dies.

In both modes an audit hook refuses, with a readable message, Python-level attempts to write
outside the sandbox, start programs or open network connections. The hook alone is no security
boundary (``ctypes`` bypasses it); with isolation off it is all there is.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
import threading
from typing import Any

ENV_ROOT = "COURSE_SANDBOX_ROOT"
ENV_MEMORY = "COURSE_SANDBOX_MEMORY_MB"
ENV_FILE = "COURSE_SANDBOX_FILE_MB"
ENV_CPU = "COURSE_SANDBOX_CPU_SECONDS"
ENV_ISOLATE = "COURSE_SANDBOX_ISOLATE"
ENV_REPORT = "COURSE_SANDBOX_REPORT"
ENV_THREADS = "COURSE_SANDBOX_THREADS"
ENV_FILES = "COURSE_SANDBOX_OPEN_FILES"
KERNEL_PID = "kernel-pid:"  #: first line of the report: ``kernel-pid:<pid>:<start time in ticks>``
THREAD_LIMIT = "thread-limit"  #: what the report records for a thread refused by the limit
BLOCKED = "blocked by the grader's sandbox"
ISOLATION_FAILED = 97  #: exit status of a kernel that could not isolate itself (it never runs code)
ISOLATION_FAILED_MARK = "isolation-failed"  #: what such a kernel writes to its report file
MAX_REPORT_LINES = 200

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def _inside(path: object, root: str) -> bool:
    if isinstance(path, int):  # file descriptors: already-open files
        return True
    if not isinstance(path, (str, bytes, os.PathLike)):
        return False  # what os.fsdecode refuses with TypeError
    try:
        real = os.path.realpath(os.fsdecode(path))
    except (TypeError, ValueError):
        return False
    return real == root or real.startswith(root + os.sep) or real in ("/dev/null",)


def make_hook(root: str):
    """An audit hook confining writes to ``root`` and forbidding processes and the network."""
    root = os.path.realpath(root)

    def hook(event: str, args: tuple) -> None:
        if event == "open":
            path, mode, flags = args
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and flags & _WRITE_FLAGS
            )
            if writing and path is not None and not _inside(path, root):
                raise PermissionError(f"writing {path!r} is {BLOCKED}")
        elif event in (
            "os.remove",
            "os.unlink",
            "os.rmdir",
            "os.mkdir",
            "os.chmod",
            "os.chown",
            "os.truncate",
            "os.utime",
            "shutil.rmtree",
            "os.link",
            "os.symlink",
        ):
            path = args[0] if args else None
            if path is not None and not _inside(path, root):
                raise PermissionError(f"{event} on {path!r} is {BLOCKED}")
        elif event in ("os.rename", "os.replace", "shutil.move"):
            for p in args[:2]:  # both ends change: the source disappears
                if p is not None and not _inside(p, root):
                    raise PermissionError(f"{event} on {p!r} is {BLOCKED}")
        elif event in ("shutil.copyfile", "shutil.copytree"):
            dst = args[1] if len(args) > 1 else None
            if dst is not None and not _inside(dst, root):
                raise PermissionError(f"{event} to {dst!r} is {BLOCKED}")
        elif event in (
            "subprocess.Popen",
            "os.system",
            "os.exec",
            "os.posix_spawn",
            "os.spawn",
            "os.fork",
            "os.forkpty",
            "pty.spawn",
        ):
            raise PermissionError(f"starting another program ({event}) is {BLOCKED}")
        elif event == "socket.connect" and len(args) >= 2:
            address = args[1]
            host = address[0] if isinstance(address, tuple) else address
            if isinstance(host, str) and not host.startswith(("127.", "::1", "localhost", "/")):
                raise PermissionError(f"network access to {address!r} is {BLOCKED}")

    return hook


def limit_resources(memory_mb: int, file_mb: int) -> None:
    """Cap the address space and the size of files the process may write."""
    import resource

    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_FSIZE, (file_mb * 1024 * 1024, file_mb * 1024 * 1024))


def start_time(pid: int) -> str:
    """A process's start time (clock ticks after boot, ``/proc/PID/stat``): with the pid, its identity."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read().decode(errors="replace")
    except OSError:
        return ""
    return stat.rsplit(")", 1)[-1].split()[19]  # field 22; the name in brackets may hold spaces


def thread_count(pid: int) -> int:
    """How many threads process ``pid`` has now (0 when it is gone)."""
    try:
        return len(os.listdir(f"/proc/{pid}/task"))
    except OSError:
        return 0


def _let_thread_start(listener: int, nid: int, kernel: int, before: int) -> None:
    """Let a counted ``clone`` go on, then wait (briefly) until the new thread is counted."""
    import fcntl
    import struct
    import time

    from . import isolation

    with contextlib.suppress(OSError):
        go_on = struct.pack("QqiI", nid, 0, 0, isolation.SECCOMP_USER_NOTIF_FLAG_CONTINUE)
        fcntl.ioctl(listener, isolation.NOTIF_SEND, go_on)
    deadline = time.monotonic() + 0.1  # so that racing requests cannot pass the limit together
    while thread_count(kernel) <= before and time.monotonic() < deadline:
        time.sleep(0.0005)


def _supervise(
    listener: int, machine: str, report_fd: int, channel: socket.socket, kernel: int, max_threads: int
) -> None:
    """Answer the kernel's refused system calls with EPERM and record them, until it exits.

    A new thread (``clone`` with ``CLONE_THREAD``) is let through while the kernel has fewer
    than ``max_threads``; beyond that it gets "EAGAIN", as from a full machine, and is recorded.
    Calls refused while the kernel starts (libzmq tries a TCP pipe, which is refused) are not
    recorded: recording starts when the kernel says, on ``channel``, that it has started.
    """
    import errno
    import fcntl
    import select
    import struct

    from . import isolation

    clone = isolation.ARCHES[machine]["clone"]
    poller = select.poll()
    poller.register(listener, select.POLLIN)
    poller.register(channel, select.POLLIN)
    lines = 0
    started = False
    while True:
        try:
            events = poller.poll()
        except InterruptedError:
            continue
        for fd, ev in events:
            if fd == channel.fileno():
                data = channel.recv(16) if ev & select.POLLIN else b""
                started = started or data.startswith(b"started")
                if not data:
                    poller.unregister(channel)
                continue
            if ev & select.POLLIN:
                buf = bytearray(isolation.NOTIF_SIZE)
                try:
                    fcntl.ioctl(listener, isolation.NOTIF_RECV, buf, True)
                except OSError:
                    continue  # the calling thread was killed meanwhile
                nid = struct.unpack_from("Q", buf, 0)[0]
                nr = struct.unpack_from("i", buf, 16)[0]
                args = struct.unpack_from("6Q", buf, 32)
                name = isolation.syscall_name(machine, nr, args)
                error = errno.EPERM
                if nr == clone and args[0] & isolation.CLONE_THREAD:
                    threads = thread_count(kernel)
                    if threads < max_threads:
                        _let_thread_start(listener, nid, kernel, threads)
                        continue
                    name, error = THREAD_LIMIT, errno.EAGAIN
                with contextlib.suppress(OSError):  # the caller may be gone already
                    fcntl.ioctl(listener, isolation.NOTIF_SEND, struct.pack("QqiI", nid, 0, -error, 0))
                if started and lines < MAX_REPORT_LINES:
                    os.write(report_fd, (name + "\n").encode())
                    lines += 1
            if ev & (select.POLLHUP | select.POLLERR | select.POLLNVAL):
                return


def _isolate(  # one argument per limit
    root: str,
    memory_mb: int,
    cpu_seconds: int,
    report: str,
    file_mb: int,
    threads: int = 64,
    files: int = 1024,
) -> socket.socket:
    """Fork: the parent becomes the supervisor (never returns); the child returns fully isolated.

    The child gets back its end of the channel to the supervisor, to say when it has started.
    """
    import signal
    from pathlib import Path

    import defection_course

    from . import isolation

    machine = isolation.arch()
    abi = isolation.landlock_abi()
    try:
        report_fd = os.open(report, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        sys.stderr.write(f"the sandbox has no report file: {exc!r}\n")
        os._exit(ISOLATION_FAILED)
    ours, theirs = socket.socketpair()
    supervisor = os.getpid()
    pid = os.fork()
    if pid:
        theirs.close()
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # interrupts are for the kernel
        try:
            _msg, fds, _flags, _addr = socket.recv_fds(ours, 16, 1)
        except OSError:
            fds = []
        os.write(report_fd, f"{KERNEL_PID}{pid}:{start_time(pid)}\n".encode())
        if fds:
            _supervise(fds[0], machine, report_fd, ours, pid, threads)
        _, status = os.waitpid(pid, 0)
        os._exit(os.waitstatus_to_exitcode(status) & 0xFF)
    ours.close()
    isolation.die_with_parent(signal.SIGKILL)
    if os.getppid() != supervisor:
        os._exit(ISOLATION_FAILED)
    try:
        package = Path(defection_course.__file__).resolve().parent
        readable = isolation.read_paths(package)
        isolation.set_rlimits(memory_mb, cpu_seconds, file_mb, files)
        isolation.no_new_privs()
        isolation.drop_capabilities()
        isolation.landlock(readable, [root], abi, rw_files=["/dev/null"])
        listener = isolation.seccomp(machine, count_threads=True)
        socket.send_fds(theirs, [b"ok"], [listener])
        os.close(listener)  # the kernel must not hold its own listener
    except Exception as exc:
        sys.stderr.write(f"the sandbox could not isolate the kernel: {exc!r}\n")
        os.write(report_fd, f"{ISOLATION_FAILED_MARK}\n".encode())
        os._exit(ISOLATION_FAILED)  # fail closed: never run a submission half isolated
    os.close(report_fd)
    return theirs


#: What a kernel imports before and while it runs an exercise: ipykernel's kernel, the libraries
#: the exercises import (``import seaborn as sns`` ...) and the course's modules they use. They are
#: imported before the audit hook and the isolation, and once for all kernels in the grader's
#: zygote (each forked kernel finds them in ``sys.modules``: without them, py-spy measured 0.7 of
#: the 1.7 core-seconds of a lesson-2 submission importing them again). Every lesson module
#: (``defection_course.lessons.*``) is added by :func:`preload`, so a new lesson needs no line here
#: (tests/grading/test_preload.py checks every exercise's imports).
PRELOAD = (
    "ipykernel.ipkernel",
    "ipykernel.kernelapp",
    "ipykernel.debugger",  # IPythonKernel() imports it (and debugpy) to see whether it can debug
    "pandas",
    "matplotlib.pyplot",
    "seaborn",
    "ipywidgets",
    "defection_course",
    "defection_course.checks",
    "defection_course.checks.describe",
    "defection_course.widgets",
)


def preload() -> list[str]:
    """Import :data:`PRELOAD` and every lesson module (matplotlib on Agg, as the kernels run it).

    A module that fails to import is left out: the kernel that needs it reports the error to the
    submission as it would have without the zygote. Returns the names that could not be imported.
    """
    import importlib
    import pkgutil

    import matplotlib

    matplotlib.use("agg")
    failed: list[str] = []

    def load(name: str) -> Any:
        try:
            return importlib.import_module(name)
        except Exception:
            failed.append(name)
            return None

    for name in PRELOAD:
        load(name)
    lessons = load("defection_course.lessons")
    for info in pkgutil.iter_modules(getattr(lessons, "__path__", []), "defection_course.lessons."):
        load(info.name)
    return failed


def open_output_pipes(app: Any, wait: float = 5.0) -> None:
    """Open now the ZeroMQ sockets ipykernel opens on a thread's first output, for the main thread and
    for the output (IOPub) thread itself, before any student code runs.

    ipykernel 7 opens them lazily, one per thread (``IOPubThread._event_pipe``), and even the
    output thread opens one for itself on its first flush. A notebook that has used up its
    open files by then leaves no descriptor for it: the output thread fails in the middle of its
    queue, and each later flush waits 10 s for it (``OutStream.flush_timeout``) or for ever, so
    that the kernel sent nothing back and hung until the notebook's time limit in about one run
    in six. Opened before, they need no new descriptor.
    """
    thread = app.iopub_thread
    done = threading.Event()

    def in_output_thread() -> None:
        thread._event_pipe  # noqa: B018 - the property opens this thread's socket
        done.set()

    thread.schedule(in_output_thread)  # opens the main thread's socket to send the request
    done.wait(wait)


def main() -> None:  # pragma: no cover - runs as the kernel process
    from .limits import Limits

    root = os.environ[ENV_ROOT]
    memory = int(os.environ.get(ENV_MEMORY, Limits.memory_mb))
    file_mb = int(os.environ.get(ENV_FILE, Limits.file_mb))
    isolate = os.environ.get(ENV_ISOLATE) == "1"
    report = os.environ.pop(ENV_REPORT, "")
    cpu = int(os.environ.pop(ENV_CPU, "600"))
    threads = int(os.environ.pop(ENV_THREADS, Limits.threads))
    files = int(os.environ.pop(ENV_FILES, Limits.open_files))
    os.chdir(os.path.join(root, "exercises"))
    preload()  # before the hook and the isolation, so start-up is not slowed or blocked
    from ipykernel.kernelapp import IPKernelApp

    channel = None
    if isolate:
        channel = _isolate(root, memory, cpu, report, file_mb, threads, files)
    else:
        limit_resources(memory, file_mb)
    sys.addaudithook(make_hook(root))
    app = IPKernelApp.instance()
    app.initialize(sys.argv[1:])
    open_output_pipes(app)
    if isolate:  # the kernel's channels are connected: from now on, no connect() at all
        from . import isolation

        try:
            isolation.seccomp_no_connect(isolation.arch())
        except OSError as exc:
            sys.stderr.write(f"the sandbox could not isolate the kernel: {exc!r}\n")
            os._exit(ISOLATION_FAILED)
    if channel is not None:
        channel.send(b"started")
        channel.close()
    app.start()


if __name__ == "__main__":  # pragma: no cover
    main()
