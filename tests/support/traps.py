"""Sockets that record whatever a submission manages to send them (for the isolation attacks).

A trap reads each of its sockets in turn from a background thread until :meth:`SocketTrap.close`;
what it read is in ``received``, in order. Subclasses open the sockets and say how to read one.
"""

from __future__ import annotations

import socket
import threading
from typing import Generic, TypeVar

T = TypeVar("T")


class SocketTrap(Generic[T]):
    """Polls ``socks`` (0.2 s timeout each) and appends what :meth:`read` returns to ``received``."""

    def __init__(self, socks: list[socket.socket]) -> None:
        self.socks = socks
        for sock in socks:
            sock.settimeout(0.2)
        self.received: list[T] = []
        self.stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def read(self, sock: socket.socket) -> T:
        """One thing that reached ``sock`` (raise OSError, e.g. a timeout, when nothing did)."""
        raise NotImplementedError

    def _run(self) -> None:
        while not self.stop:
            for sock in self.socks:
                try:
                    self.received.append(self.read(sock))
                except OSError:
                    pass

    def close(self) -> None:
        """Stop the thread, then close the sockets."""
        self.stop = True
        self.thread.join()
        for sock in self.socks:
            sock.close()
