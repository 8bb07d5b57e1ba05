"""A Redis server on this machine's loopback, for the tests, the benchmark and a one-machine queue.

The documented command for a teacher is the same as :func:`redis_command` builds::

    redis-server --bind 127.0.0.1 --port 6379 --save "" --appendonly no

(Debian's ``redis-server`` package). Nothing is kept on disk: the queue's truth is the inbox and
the server's records (see :mod:`.queue`), so a restarted Redis loses no submission. Workers on
other machines need Redis reachable from them: bind it to a private address and set a password
(``requirepass``), and give them ``redis://:PASSWORD@HOST:6379/0``.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

from ..errors import CourseError


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def redis_command(port: int) -> list[str]:
    """``redis-server`` on loopback only, nothing saved to disk."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise CourseError("redis-server is not installed (Debian: apt-get install redis-server)")
    return [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"]


@contextlib.contextmanager
def local_redis(port: int = 0, wait: float = 10.0) -> Iterator[str]:
    """Run a Redis server on loopback for the ``with`` block; yield its URL; stop it after."""
    port = port or free_port()
    proc = subprocess.Popen(redis_command(port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + wait
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise CourseError(f"redis-server did not start on 127.0.0.1:{port}")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
