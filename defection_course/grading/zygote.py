"""A kernel factory: import the kernel's libraries once, then fork a fresh kernel per submission.

Starting a kernel spends most of its time importing ipykernel, pandas, matplotlib and seaborn
(the measured share is with :data:`.sandbox.PRELOAD`).
``python -m defection_course.grading.zygote SOCKET`` imports them once
(:func:`.sandbox.preload`), then for each request on its Unix socket forks a child that becomes
:func:`defection_course.grading.sandbox.main` with the request's environment and arguments, so
every submission still gets its own process, isolated exactly as a freshly started one (the
isolation is applied in the child, after the fork, before any student code runs). The zygote
itself runs no student code and dies with the grader process that started it.

:class:`ZygoteProvisioner` is the jupyter_client side: it asks the zygote for a kernel and
follows the child through a pidfd (signals and exit), since the child is not the grader's.

A batch run starts one zygote in its main process (:func:`start`) and hands it to its pool workers
(:func:`attach`, their initializer), so the imports are paid once a run, not once a worker. A
process with no zygote handed to it (a queue worker) starts its own on first use
(:func:`zygote_for`), as does a worker whose handed-down zygote has died.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from jupyter_client.provisioning import LocalProvisioner

EXITED = "exit-{pid}"  #: file the zygote writes a child's exit status to


class ZygoteChild:
    """Enough of :class:`subprocess.Popen` for jupyter_client, for a process forked by the zygote."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, status_dir: Path) -> None:
        self.pid = pid
        self.pidfd = os.pidfd_open(pid)
        self.status_dir = status_dir
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None and select.select([self.pidfd], [], [], 0)[0]:
            status = self.status_dir / EXITED.format(pid=self.pid)
            for _ in range(20):  # the zygote writes the status right after reaping the child
                if status.exists():
                    break
                time.sleep(0.005)
            try:
                self.returncode = int(status.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.returncode = -signal.SIGKILL
            os.close(self.pidfd)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            select.select([self.pidfd], [], [], 0.05)
        return int(self.returncode or 0)

    def send_signal(self, signum: int) -> None:
        if self.returncode is None:
            with contextlib.suppress(ProcessLookupError, OSError):
                signal.pidfd_send_signal(self.pidfd, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class Zygote:
    """The grader side: start a zygote in ``workdir``, ask it for kernels, stop it."""

    def __init__(self, workdir: Path, env: dict[str, str]) -> None:
        self.dir = Path(workdir) / f"zygote-{os.getpid()}"
        self.dir.mkdir()
        self.socket = self.dir / "s"
        self.process: subprocess.Popen | None = subprocess.Popen(
            [sys.executable, "-m", "defection_course.grading.zygote", str(self.socket)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while not self.socket.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the kernel factory (zygote) did not start")
            time.sleep(0.02)
        self.pid = self.process.pid

    def alive(self) -> bool:
        """Whether the zygote can still be asked for kernels."""
        return self.process is not None and self.process.poll() is None

    def spawn(self, argv: list[str], env: dict[str, str], cwd: str) -> ZygoteChild:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.connect(str(self.socket))
            conn.sendall(json.dumps({"argv": argv, "env": env, "cwd": cwd}).encode())
            conn.shutdown(socket.SHUT_WR)
            reply = _read_all(conn)
        return ZygoteChild(int(json.loads(reply)["pid"]), self.dir)

    def stop(self) -> None:
        """End the zygote (its kernels die with it) and reap it; only the process that started it can."""
        if self.process is None:
            return
        self.process.kill()
        self.process.wait()
        self.process = None


class AttachedZygote(Zygote):
    """A zygote another process started (a batch run's main process), used by one of its workers.

    Its liveness is read through a pidfd, opened while the zygote is known to be alive, so a
    reused process id can never be taken for it.
    """

    def __init__(self, directory: Path, pid: int) -> None:
        self.dir = directory
        self.socket = directory / "s"
        self.pid = pid
        self.process = None
        self.pidfd = os.pidfd_open(pid)

    def alive(self) -> bool:
        return self.socket.exists() and not select.select([self.pidfd], [], [], 0)[0]


_ZYGOTE: Zygote | None = None


def supported() -> bool:
    """Whether this system can follow a forked kernel (pidfds, Linux 5.3 and later)."""
    return hasattr(os, "pidfd_open") and hasattr(signal, "pidfd_send_signal")


def start(workdir: Path, env: dict[str, str]) -> Zygote | None:
    """A zygote for a whole run in ``workdir``, or None where it cannot run (the caller's kernels
    then start as separate interpreters)."""
    if not supported():
        return None
    try:
        return Zygote(workdir, env)
    except (OSError, RuntimeError):
        return None


def attach(directory: str | None, pid: int) -> None:
    """(A pool worker's initializer) use the zygote in ``directory``, started by the run's main
    process, instead of starting one of its own; nothing when there is none or it has gone."""
    global _ZYGOTE
    _ZYGOTE = None  # never the parent's handle, copied by fork: its process is not this one's child
    if directory is not None:
        with contextlib.suppress(OSError):
            _ZYGOTE = AttachedZygote(Path(directory), pid)


def zygote_for(workdir: Path, env: dict[str, str]) -> Zygote | None:
    """This process's zygote for ``workdir`` (the run's, or its own started on first use), or None
    where it cannot run."""
    global _ZYGOTE
    if _ZYGOTE is None or not _ZYGOTE.dir.is_relative_to(workdir) or not _ZYGOTE.alive():
        _ZYGOTE = start(workdir, env)
    return _ZYGOTE


class ZygoteProvisioner(LocalProvisioner):
    """Launch the kernel by asking the zygote to fork one, instead of starting a new interpreter."""

    zygote: Zygote | None = None

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        assert self.zygote is not None
        env = kwargs.get("env") or {}
        child = self.zygote.spawn(cmd, dict(env), str(kwargs.get("cwd") or os.getcwd()))
        self.process = child  # type: ignore[assignment]  # a duck-typed Popen
        self.pid = child.pid
        self.pgid = child.pid  # the child starts its own session
        self.cwd = kwargs.get("cwd")
        return self.connection_info


# --- the zygote process ------------------------------------------------------------------------


def _read_all(conn: socket.socket) -> bytes:
    chunks = []
    while chunk := conn.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def _reap(status_dir: Path) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        (status_dir / EXITED.format(pid=pid)).write_text(str(os.waitstatus_to_exitcode(status)))


def _child(request: dict) -> None:  # pragma: no cover - runs in the forked kernel
    """Become the kernel asked for: its environment, folder, arguments; then the sandbox's main."""
    import ctypes
    import tempfile

    from . import sandbox

    os.setsid()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG: die with the zygote
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    os.environ.clear()
    os.environ.update(request["env"])
    tempfile.tempdir = None
    os.chdir(request["cwd"])
    argv = request["argv"]
    sys.argv = [argv[0], *argv[3:]]  # [python, -m, module, ...] -> the module's own arguments
    try:
        sandbox.main()
    finally:
        os._exit(0)


def serve(path: Path) -> None:  # pragma: no cover - runs as the zygote process
    """Import the kernel's libraries, then fork one kernel per request until the grader goes."""
    import ctypes

    ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG: die with the grader
    from .sandbox import preload

    preload()  # what every kernel imports, once: each forked kernel finds it loaded
    status_dir = path.parent
    signal.signal(signal.SIGCHLD, lambda *_: _reap(status_dir))  # reap children as soon as they exit
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path) + ".tmp")
    os.rename(str(path) + ".tmp", path)  # the socket appears only when it is ready
    server.listen(16)
    while True:
        _reap(status_dir)
        try:
            ready = select.select([server], [], [], 1.0)[0]
        except InterruptedError:
            continue
        if not ready:
            continue
        conn, _ = server.accept()
        with conn:
            request = json.loads(_read_all(conn))
            pid = os.fork()
            if pid == 0:
                server.close()
                conn.close()
                _child(request)
            conn.sendall(json.dumps({"pid": pid}).encode())


if __name__ == "__main__":  # pragma: no cover
    serve(Path(sys.argv[1]))
