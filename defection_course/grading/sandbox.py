"""The restricted kernel submissions run in.

``python -m defection_course.grading.sandbox -f CONNECTION_FILE`` starts an ipykernel after:

* capping memory (address space) and the size of any file written;
* installing an audit hook that refuses to write, delete or rename files outside the
  submission's own temporary folder, to start other programs, or to open network
  connections other than to this machine.

This contains ordinary student mistakes and simple mischief (an infinite loop, a memory bomb,
``shutil.rmtree`` on the course). It is not a security boundary against a determined attacker:
for untrusted code from strangers, run the grader inside a container, as nbgrader and
otter-grader recommend.
"""

from __future__ import annotations

import os
import sys

ENV_ROOT = "COURSE_SANDBOX_ROOT"
ENV_MEMORY = "COURSE_SANDBOX_MEMORY_MB"
BLOCKED = "blocked by the grader's sandbox"

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def _inside(path: object, root: str) -> bool:
    if isinstance(path, int):  # file descriptors: already-open files
        return True
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


def limit_resources(memory_mb: int) -> None:
    """Cap the address space and the size of files the process may write."""
    import resource

    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_FSIZE, (50 * 1024 * 1024, 50 * 1024 * 1024))


def main() -> None:  # pragma: no cover - runs as the kernel process
    root = os.environ[ENV_ROOT]
    memory = int(os.environ.get(ENV_MEMORY, "2048"))
    os.chdir(os.path.join(root, "exercises"))
    # Import what the kernel needs before the hook, so start-up is not slowed or blocked.
    import matplotlib
    from ipykernel.kernelapp import IPKernelApp

    import defection_course  # noqa: F401

    matplotlib.use("agg")
    limit_resources(memory)
    sys.addaudithook(make_hook(root))
    app = IPKernelApp.instance()
    app.initialize(sys.argv[1:])
    app.start()


if __name__ == "__main__":  # pragma: no cover
    main()
