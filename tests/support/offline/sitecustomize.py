"""Loaded by kernels the test suite starts with this folder on PYTHONPATH: no network.

Any attempt to open a network connection to a host other than this machine raises, so a
notebook that quietly downloads something fails the offline test instead of passing.
"""

import sys

_LOCAL = ("127.", "::1", "localhost", "0.0.0.0")


def _guard(event, args):
    if event == "socket.connect" and len(args) >= 2:
        address = args[1]
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not host.startswith(_LOCAL) and not host.startswith("/"):
            raise ConnectionRefusedError(f"network access blocked by the offline test: {address!r}")
    elif event == "socket.getaddrinfo" and args and isinstance(args[0], str):
        if not args[0].startswith(_LOCAL):
            raise ConnectionRefusedError(f"network access blocked by the offline test: {args[0]!r}")


sys.addaudithook(_guard)
