"""Operating-system isolation for one grading kernel (Linux): Landlock, seccomp, capabilities, limits.

Everything here is plain system calls through :mod:`ctypes`; nothing needs root or a package.

* **Landlock** (an unprivileged Linux security module, kernel 5.13+): the process may read only
  the paths it is given (the Python environment, the course package, a few system files) and
  read, write, create and delete only below its scratch folder; it may execute nothing; with
  Landlock ABI 4+ it may neither bind nor connect TCP; with ABI 6+ it may not signal processes
  outside its sandbox nor reach abstract Unix sockets outside it.
* **seccomp**: a filter that lets threads be created (up to a limit the supervisor counts) but
  not processes (``fork``, ``vfork``, ``clone`` without ``CLONE_THREAD``) and refuses every
  socket except Unix stream sockets (``socket`` and ``socketpair``: so no datagram reaches a
  Unix socket by path or by abstract name), ``connect``, ``bind`` and ``listen`` once the
  kernel's channels are up, ``execve``, signals to other processes (``kill``, ``tgkill``,
  ``rt_sigqueueinfo``, ``rt_tgsigqueueinfo``, ``F_SETOWN``/``FIOSETOWN``), leaving the process
  group or the parent-death signal (``setsid``, ``setpgid``, ``PR_SET_PDEATHSIG``), ``io_uring``
  (which could bypass the filter), ``ptrace`` and the namespace, mount, module and key system
  calls. Refused calls are handed to a supervisor (``SECCOMP_RET_USER_NOTIF``), which records
  them for the gradebook and answers "EPERM". With Landlock ABI 6+ the kernel's own scopes
  guard signals and abstract sockets too; below it (Ubuntu 24.04 has ABI 4) this filter is the
  guard, and :func:`probe` says which one is active.
* **Capabilities** are dropped (this matters when the grader runs as root, as on CI), and
  ``no_new_privs`` is set, so nothing can regain them.
* **Resource limits**: address space, CPU seconds, size of written files, open files, no core dumps.

``COURSE_SANDBOX_SIMULATE_LANDLOCK_ABI=4`` (or 5) makes the grader act as on a kernel with that
Landlock ABI (it can only lower it), so the older kernels' path is tested on a newer one.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import resource
import struct
from dataclasses import dataclass
from pathlib import Path

# --- Landlock ------------------------------------------------------------------------------
_SYS = {  # syscall numbers (same on x86_64 and aarch64 for the Landlock ones)
    "landlock_create_ruleset": 444,
    "landlock_add_rule": 445,
    "landlock_restrict_self": 446,
}
LANDLOCK_CREATE_RULESET_VERSION = 1
RULE_PATH_BENEATH = 1
FS = {
    "execute": 1 << 0,
    "write_file": 1 << 1,
    "read_file": 1 << 2,
    "read_dir": 1 << 3,
    "remove_dir": 1 << 4,
    "remove_file": 1 << 5,
    "make_char": 1 << 6,
    "make_dir": 1 << 7,
    "make_reg": 1 << 8,
    "make_sock": 1 << 9,
    "make_fifo": 1 << 10,
    "make_block": 1 << 11,
    "make_sym": 1 << 12,
    "refer": 1 << 13,  # ABI 2
    "truncate": 1 << 14,  # ABI 3
    "ioctl_dev": 1 << 15,  # ABI 5
}
NET_BIND_TCP, NET_CONNECT_TCP = 1, 2  # ABI 4
SCOPE_ABSTRACT_UNIX, SCOPE_SIGNAL = 1, 2  # ABI 6
READ = FS["read_file"] | FS["read_dir"]
FILE_RIGHTS = FS["execute"] | FS["write_file"] | FS["read_file"] | FS["truncate"] | FS["ioctl_dev"]

# --- seccomp ---------------------------------------------------------------------------------
PR_SET_NO_NEW_PRIVS, PR_SET_PDEATHSIG, PR_CAPBSET_DROP, PR_CAP_AMBIENT = 38, 1, 24, 47
SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER = 1, 1 << 3
SECCOMP_USER_NOTIF_FLAG_CONTINUE = 1
F_SETOWN, F_SETOWN_EX = 8, 15  #: fcntl: send SIGIO/SIGURG of a file to a process
FIOSETOWN, SIOCSPGRP = 0x8901, 0x8902  #: the same through ioctl
ENV_SIMULATE_ABI = "COURSE_SANDBOX_SIMULATE_LANDLOCK_ABI"
SCOPES_ABI = 6  #: the first Landlock ABI that scopes signals and abstract Unix sockets
RET_ALLOW, RET_USER_NOTIF, RET_KILL_PROCESS = 0x7FFF0000, 0x7FC00000, 0x80000000
RET_ERRNO = 0x00050000
CLONE_THREAD = 0x00010000
AF_UNIX, AF_NETLINK, SOCK_STREAM = 1, 16, 1
SECCOMP_FILTER_FLAG_TSYNC = 1
#: ioctls on the listener: _IOWR('!', 0, struct seccomp_notif) and _IOWR('!', 1, struct seccomp_notif_resp)
NOTIF_RECV, NOTIF_SEND, NOTIF_SIZE = 0xC0502100, 0xC0182101, 80

#: the system calls the filter inspects, by CPU
ARCHES: dict[str, dict[str, int]] = {
    "x86_64": {
        "audit": 0xC000003E,
        "seccomp": 317,
        "clone": 56,
        "clone3": 435,
        "socket": 41,
        "connect": 42,
        "kill": 62,
        "tgkill": 234,
        "rt_sigqueueinfo": 129,
        "rt_tgsigqueueinfo": 297,
        "socketpair": 53,
        "prctl": 157,
        "fcntl": 72,
        "ioctl": 16,
        "bind": 49,
        "listen": 50,
    },
    "aarch64": {
        "audit": 0xC00000B7,
        "seccomp": 277,
        "clone": 220,
        "clone3": 435,
        "socket": 198,
        "connect": 203,
        "kill": 129,
        "tgkill": 131,
        "rt_sigqueueinfo": 138,
        "rt_tgsigqueueinfo": 240,
        "socketpair": 199,
        "prctl": 167,
        "fcntl": 25,
        "ioctl": 29,
        "bind": 200,
        "listen": 201,
    },
}
#: system calls refused outright (handed to the supervisor), by CPU
DENY: dict[str, dict[str, int]] = {
    "x86_64": {
        "fork": 57,
        "vfork": 58,
        "execve": 59,
        "execveat": 322,
        "tkill": 200,
        "ptrace": 101,
        "process_vm_readv": 310,
        "process_vm_writev": 311,
        "pidfd_open": 434,
        "pidfd_send_signal": 424,
        "pidfd_getfd": 438,
        "io_uring_setup": 425,
        "io_uring_enter": 426,
        "io_uring_register": 427,
        "unshare": 272,
        "setns": 308,
        "mount": 165,
        "umount2": 166,
        "pivot_root": 155,
        "chroot": 161,
        "truncate": 76,
        "bpf": 321,
        "perf_event_open": 298,
        "userfaultfd": 323,
        "keyctl": 250,
        "add_key": 248,
        "request_key": 249,
        "init_module": 175,
        "finit_module": 313,
        "delete_module": 176,
        "kexec_load": 246,
        "kexec_file_load": 320,
        "reboot": 169,
        "swapon": 167,
        "swapoff": 168,
        "acct": 163,
        "personality": 135,
        "setsid": 112,
        "setpgid": 109,
    },
    "aarch64": {
        "execve": 221,
        "execveat": 281,
        "tkill": 130,
        "ptrace": 117,
        "process_vm_readv": 270,
        "process_vm_writev": 271,
        "pidfd_open": 434,
        "pidfd_send_signal": 424,
        "pidfd_getfd": 438,
        "io_uring_setup": 425,
        "io_uring_enter": 426,
        "io_uring_register": 427,
        "unshare": 97,
        "setns": 268,
        "mount": 40,
        "umount2": 39,
        "pivot_root": 41,
        "chroot": 51,
        "truncate": 45,
        "bpf": 280,
        "perf_event_open": 241,
        "userfaultfd": 282,
        "keyctl": 219,
        "add_key": 217,
        "request_key": 218,
        "init_module": 105,
        "finit_module": 273,
        "delete_module": 106,
        "kexec_load": 104,
        "kexec_file_load": 294,
        "reboot": 142,
        "swapon": 224,
        "swapoff": 225,
        "acct": 89,
        "personality": 92,
        "setsid": 157,
        "setpgid": 154,
    },
}

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


class IsolationError(OSError):
    """The operating system could not apply the isolation."""


@dataclass(frozen=True)
class Support:
    """What this machine offers, as found by :func:`probe`."""

    available: bool
    landlock_abi: int
    arch: str
    detail: str  #: a sentence for the teacher: what is used, or what is missing and what to do

    def describe(self) -> str:
        return self.detail


def _syscall(nr: int, *args: object) -> int:
    res = _libc.syscall(ctypes.c_long(nr), *args)
    if res < 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    return int(res)


def arch() -> str:
    return platform.machine().lower().replace("amd64", "x86_64").replace("arm64", "aarch64")


def kernel_landlock_abi() -> int:
    """The Landlock ABI version of the running kernel, or 0 when Landlock is missing or disabled."""
    if os.uname().sysname != "Linux":
        return 0
    try:
        return _syscall(
            _SYS["landlock_create_ruleset"], None, ctypes.c_size_t(0), LANDLOCK_CREATE_RULESET_VERSION
        )
    except OSError:
        return 0


def landlock_abi() -> int:
    """The Landlock ABI the grader uses: the kernel's, or a lower one :data:`ENV_SIMULATE_ABI` asks for."""
    abi = kernel_landlock_abi()
    simulated = os.environ.get(ENV_SIMULATE_ABI, "")
    return min(abi, int(simulated)) if simulated.isdigit() and int(simulated) >= 1 else abi


def scope_guard(abi: int) -> str:
    """What keeps signals and abstract Unix sockets inside the sandbox at this Landlock ABI."""
    if abi >= SCOPES_ABI:
        return f"signals and abstract sockets: Landlock scopes (ABI {abi}) and seccomp"
    return f"signals and abstract sockets: seccomp (Landlock ABI {abi} has no scopes)"


def probe() -> Support:
    """Can this machine isolate a grading kernel? The answer says what to do when it cannot."""
    system = os.uname().sysname
    container = "run the grader in a Linux container (see docs/teaching.md, 'Grading on macOS or Windows')"
    if system != "Linux":
        return Support(
            False, 0, arch(), f"{system} offers no isolation the grader can use (it needs Linux): {container}"
        )
    if arch() not in ARCHES:
        return Support(
            False, 0, arch(), f"the grader's seccomp filter does not know the {arch()} CPU: {container}"
        )
    abi = landlock_abi()
    if abi < 1:
        return Support(
            False,
            0,
            arch(),
            "this Linux kernel has no Landlock (it needs Linux 5.13 or newer with Landlock enabled in "
            f"its security modules): upgrade or reconfigure the kernel, or {container}",
        )
    simulated = " simulated" if abi != kernel_landlock_abi() else ""
    scopes = ", signals" if abi >= SCOPES_ABI else ""
    parts = [f"Landlock ABI {abi}{simulated} (files{', TCP' if abi >= 4 else ''}{scopes})"]
    parts.append("seccomp (no new processes, Unix stream sockets only)")
    parts.append(scope_guard(abi))
    parts.append("capabilities dropped, resource limits, environment allowlist")
    return Support(True, abi, arch(), "; ".join(parts))


def self_test(scratch: Path) -> str:
    """Apply the whole isolation in a throw-away process and try to break out; "" if it held.

    :func:`probe` only asks the kernel what it supports; this proves it (a container's seccomp
    profile, for one, may refuse the calls), so the grader fails closed before grading anything.
    """
    import subprocess
    import sys

    code = (
        "import os, sys, socket, importlib.util\n"
        "spec = importlib.util.spec_from_file_location('isolation', sys.argv[3])\n"
        "i = sys.modules['isolation'] = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(i)\n"
        "from pathlib import Path\n"
        "scratch = sys.argv[1]\n"
        "i.set_rlimits(512, 30, 50, 64)\n"
        "i.no_new_privs()\n"
        "i.drop_capabilities()\n"
        "i.landlock(i.read_paths(Path(sys.argv[3]).resolve().parent.parent), [scratch], "
        "i.landlock_abi(), rw_files=['/dev/null'])\n"
        "os.close(i.seccomp(i.arch()))\n"
        "open(os.path.join(scratch, 'ok'), 'w').write('ok')\n"
        "for attempt in (lambda: open(os.path.join(sys.argv[2], 'escaped'), 'w'), os.fork,\n"
        "                lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM),\n"
        "                lambda: socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM),\n"
        "                lambda: os.kill(os.getppid(), 0), os.setsid):\n"
        "    try:\n"
        "        attempt()\n"
        "    except OSError:\n"
        "        continue\n"
        "    os._exit(3)\n"
        "print('held')\n"
    )
    outside = scratch.parent
    inside = scratch / "inside"
    inside.mkdir(exist_ok=True)
    try:
        run = subprocess.run(
            [sys.executable, "-c", code, str(inside), str(outside), str(Path(__file__).resolve())],
            capture_output=True,
            text=True,
            timeout=60,
            env={
                "PATH": "/usr/bin:/bin",
                "HOME": str(inside),
                **{k: v for k, v in os.environ.items() if k == ENV_SIMULATE_ABI},
            },
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"the isolation self-test could not run ({exc})"
    if run.returncode != 0 or "held" not in run.stdout or (outside / "escaped").exists():
        detail = (run.stderr.strip().splitlines() or [f"exit status {run.returncode}"])[-1]
        return f"the isolation could not be applied or did not hold here ({detail[:200]})"
    return ""


# --- building blocks ---------------------------------------------------------------------------


def set_rlimits(memory_mb: int, cpu_seconds: int, file_mb: int, open_files: int = 1024) -> None:
    """Cap address space, CPU time, written file size and open files; no core dumps."""
    limits = {
        resource.RLIMIT_AS: memory_mb * 2**20,
        resource.RLIMIT_FSIZE: file_mb * 2**20,
        resource.RLIMIT_CPU: cpu_seconds,
        resource.RLIMIT_CORE: 0,
        resource.RLIMIT_NOFILE: open_files,
    }
    for which, value in limits.items():
        _soft, hard = resource.getrlimit(which)
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(which, (value, value))


def no_new_privs() -> None:
    if _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise IsolationError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")


def die_with_parent(signum: int) -> None:
    """Ask the kernel to send ``signum`` to this process when its parent dies."""
    _libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0)


def drop_capabilities() -> None:
    """Drop every capability (bounding, ambient, effective, permitted, inheritable)."""
    for cap in range(64):
        if _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 and ctypes.get_errno() not in (
            errno.EINVAL,
            errno.EPERM,
        ):
            break
    _libc.prctl(PR_CAP_AMBIENT, 4, 0, 0, 0)  # PR_CAP_AMBIENT_CLEAR_ALL
    header = struct.pack("Ii", 0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    data = ctypes.create_string_buffer(24)  # two zeroed __user_cap_data_struct
    if _libc.capset(ctypes.c_char_p(header), data) != 0:
        raise IsolationError(ctypes.get_errno(), "capset() failed")


def _open_path(path: str) -> int | None:
    try:
        return os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return None


def landlock(read: list[str], write: list[str], abi: int, rw_files: list[str] = ()) -> None:  # type: ignore[assignment]
    """Restrict this process (and all it starts) to reading ``read`` and writing below ``write``."""
    handled = 0
    for name, bit in FS.items():
        if (
            (name == "refer" and abi < 2)
            or (name == "truncate" and abi < 3)
            or (name == "ioctl_dev" and abi < 5)
        ):
            continue
        handled |= bit
    net = NET_BIND_TCP | NET_CONNECT_TCP if abi >= 4 else 0
    scoped = SCOPE_ABSTRACT_UNIX | SCOPE_SIGNAL if abi >= 6 else 0
    attr = struct.pack("QQQ", handled, net, scoped)
    size = 24 if abi >= 6 else 16 if abi >= 4 else 8
    buf = ctypes.create_string_buffer(attr, len(attr))
    ruleset = _syscall(_SYS["landlock_create_ruleset"], buf, ctypes.c_size_t(size), 0)
    try:
        everything = handled & ~FS["execute"]
        grants = [(p, READ) for p in read] + [(p, everything) for p in write]
        grants += [(p, FS["read_file"] | FS["write_file"]) for p in rw_files]
        for path, access in grants:
            fd = _open_path(path)
            if fd is None:
                continue
            if not os.path.isdir(path):
                access &= FILE_RIGHTS
            access &= handled
            if not access:
                os.close(fd)
                continue
            rule = ctypes.create_string_buffer(struct.pack("=Qi", access, fd), 12)
            try:
                _syscall(_SYS["landlock_add_rule"], ruleset, RULE_PATH_BENEATH, rule, 0)
            finally:
                os.close(fd)
        _syscall(_SYS["landlock_restrict_self"], ruleset, 0)
    finally:
        os.close(ruleset)


def _bpf(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k & 0xFFFFFFFF)


_LD_ABS, _JEQ, _JGE, _JSET, _RET, _AND = 0x20, 0x15, 0x35, 0x45, 0x06, 0x54
_NR, _ARCH = 0, 4


def _arg(i: int) -> int:
    return 16 + 8 * i  # low 32 bits of args[i] (little-endian)


def _refuse_arg(nr: int, arg: int, values: tuple[int, ...]) -> list[bytes]:
    """Hand system call ``nr`` to the supervisor when its argument ``arg`` is one of ``values``."""
    prog = [_bpf(_LD_ABS, _NR), _bpf(_JEQ, nr, 0, 3 + len(values)), _bpf(_LD_ABS, _arg(arg))]
    for i, value in enumerate(values):
        prog.append(_bpf(_JEQ, value, len(values) - i, 0))
    prog += [_bpf(_RET, RET_ALLOW), _bpf(_RET, RET_USER_NOTIF)]
    return prog


def _unix_stream_only(notify: int) -> list[bytes]:
    """With the address family (argument 0) loaded: allow Unix stream sockets, notify for the rest.

    Six instructions, ending with the allow and the notify returns (the socket block's netlink
    test jumps straight to them).
    """
    return [
        _bpf(_JEQ, AF_UNIX, 0, 4),
        _bpf(_LD_ABS, _arg(1)),
        _bpf(_AND, 0xF),  # the type without SOCK_NONBLOCK / SOCK_CLOEXEC
        _bpf(_JEQ, SOCK_STREAM, 0, 1),
        _bpf(_RET, RET_ALLOW),
        _bpf(_RET, notify),
    ]


def seccomp_program(machine: str, own_pid: int, count_threads: bool = True) -> bytes:
    """The BPF filter: allow everything except what would leave the sandbox (see module docstring).

    With ``count_threads``, new threads are handed to the supervisor too, which lets them start
    (``SECCOMP_USER_NOTIF_FLAG_CONTINUE``) while the process has fewer than its thread limit.
    """
    a = ARCHES[machine]
    notify = RET_USER_NOTIF
    prog = [_bpf(_LD_ABS, _ARCH), _bpf(_JEQ, a["audit"], 1, 0), _bpf(_RET, RET_KILL_PROCESS)]
    if machine == "x86_64":  # x32 system calls: not used by CPython, refuse
        prog += [_bpf(_LD_ABS, _NR), _bpf(_JGE, 0x40000000, 0, 1), _bpf(_RET, RET_ERRNO | errno.EPERM)]
    # clone: threads yes (counted by the supervisor), processes no
    prog += [
        _bpf(_LD_ABS, _NR),
        _bpf(_JEQ, a["clone"], 0, 4),
        _bpf(_LD_ABS, _arg(0)),
        _bpf(_JSET, CLONE_THREAD, 0, 1),
        _bpf(_RET, notify if count_threads else RET_ALLOW),
        _bpf(_RET, notify),
    ]
    # clone3 cannot be inspected (its flags are in memory): ENOSYS makes glibc fall back to clone
    prog += [_bpf(_LD_ABS, _NR), _bpf(_JEQ, a["clone3"], 0, 1), _bpf(_RET, RET_ERRNO | errno.ENOSYS)]
    # socket: Unix stream sockets (the kernel's own channels) and route netlink (libzmq lists interfaces)
    prog += [
        _bpf(_LD_ABS, _NR),
        _bpf(_JEQ, a["socket"], 0, 10),
        _bpf(_LD_ABS, _arg(0)),
        _bpf(_JEQ, AF_NETLINK, 0, 2),
        _bpf(_LD_ABS, _arg(2)),
        _bpf(_JEQ, 0, 4, 5),  # NETLINK_ROUTE: allow, anything else: refuse
        *_unix_stream_only(notify),
    ]
    # socketpair: Unix stream pairs only (a datagram pair could send to any Unix socket by path)
    prog += [
        _bpf(_LD_ABS, _NR),
        _bpf(_JEQ, a["socketpair"], 0, 7),
        _bpf(_LD_ABS, _arg(0)),
        *_unix_stream_only(notify),
    ]
    # the parent-death signal stays; no file sends its signals to another process
    prog += _refuse_arg(a["prctl"], 0, (PR_SET_PDEATHSIG,))
    prog += _refuse_arg(a["fcntl"], 1, (F_SETOWN, F_SETOWN_EX))
    prog += _refuse_arg(a["ioctl"], 1, (FIOSETOWN, SIOCSPGRP))
    # signals: only this process itself (0 = own process group, which is the supervisor's too)
    for name in ("kill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo"):
        prog += [
            _bpf(_LD_ABS, _NR),
            _bpf(_JEQ, a[name], 0, 4),
            _bpf(_LD_ABS, _arg(0)),
            _bpf(_JEQ, own_pid, 0, 1),
            _bpf(_RET, RET_ALLOW),
            _bpf(_RET, notify),
        ]
    prog.append(_bpf(_LD_ABS, _NR))
    for nr in DENY[machine].values():
        prog += [_bpf(_JEQ, nr, 0, 1), _bpf(_RET, notify)]
    prog.append(_bpf(_RET, RET_ALLOW))
    return b"".join(prog)


def no_connect_program(machine: str) -> bytes:
    """A second filter, for once the kernel has connected its own channels: no ``connect``,
    ``bind`` or ``listen`` at all.

    Landlock does not govern ``connect`` on Unix sockets named by a path (a desktop session bus or
    a container daemon could start programs outside the sandbox), so after start-up none is allowed;
    nor may the kernel take an abstract socket's name another program would connect to.
    """
    a = ARCHES[machine]
    prog = [
        _bpf(_LD_ABS, _ARCH),
        _bpf(_JEQ, a["audit"], 1, 0),
        _bpf(_RET, RET_KILL_PROCESS),
        _bpf(_LD_ABS, _NR),
    ]
    for name in ("connect", "bind", "listen"):
        prog += [_bpf(_JEQ, a[name], 0, 1), _bpf(_RET, RET_ERRNO | errno.EACCES)]
    prog.append(_bpf(_RET, RET_ALLOW))
    return b"".join(prog)


def _install(machine: str, program: bytes, flags: int) -> int:
    filt = ctypes.create_string_buffer(program, len(program))
    fprog = struct.pack("HxxxxxxP", len(program) // 8, ctypes.addressof(filt))
    fbuf = ctypes.create_string_buffer(fprog, len(fprog))
    return _syscall(ARCHES[machine]["seccomp"], SECCOMP_SET_MODE_FILTER, flags, fbuf)


def seccomp(machine: str, count_threads: bool = False) -> int:
    """Install the main filter on this process; return the listener fd for the supervisor."""
    program = seccomp_program(machine, os.getpid(), count_threads)
    return _install(machine, program, SECCOMP_FILTER_FLAG_NEW_LISTENER)


def seccomp_no_connect(machine: str) -> None:
    """Install :func:`no_connect_program` on every thread of this process."""
    if _install(machine, no_connect_program(machine), SECCOMP_FILTER_FLAG_TSYNC) != 0:
        raise IsolationError(errno.EPERM, "a thread of the kernel could not take the seccomp filter")


def syscall_name(machine: str, nr: int, args: tuple[int, ...]) -> str:
    """A readable name for a refused system call (with the socket family for ``socket``)."""
    a = ARCHES.get(machine, {})
    if nr == a.get("clone"):
        return "fork"
    if nr == a.get("socket"):
        family = {2: "AF_INET", 10: "AF_INET6", 17: "AF_PACKET", 16: "AF_NETLINK", 1: "AF_UNIX"}
        return f"socket({family.get(args[0] & 0xFFFFFFFF, args[0])})"
    if nr == a.get("socketpair"):
        return "socketpair(datagram)"  # one word: the report is read word by word
    if nr in (a.get("kill"), a.get("tgkill"), a.get("rt_sigqueueinfo"), a.get("rt_tgsigqueueinfo")):
        return "kill"
    if nr in (a.get("fcntl"), a.get("ioctl")):
        return "F_SETOWN"
    if nr == a.get("prctl"):
        return "PR_SET_PDEATHSIG"
    names = {v: k for k, v in DENY.get(machine, {}).items()}
    return names.get(nr, f"syscall {nr}")


def read_paths(package_dir: Path) -> list[str]:
    """What a grading kernel may read: the Python environment, the course package, system libraries
    and fonts (paths that do not exist are dropped by the caller)."""
    import sys
    import sysconfig

    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    paths |= {v for k, v in sysconfig.get_paths().items() if k != "scripts"}
    paths |= {p for p in sys.path if p and os.path.isdir(p)}
    paths.add(str(package_dir))
    paths |= {
        "/lib",
        "/lib64",
        "/usr/lib",
        "/usr/lib64",
        "/usr/local/lib",
        "/usr/share/zoneinfo",
        "/usr/share/fonts",  # the course style falls back to a Hangul font for Korean labels
        "/etc/fonts",
        "/etc/ld.so.cache",
        "/etc/localtime",
        "/dev/urandom",
        "/dev/zero",
        "/sys/devices/system/cpu",
        f"/proc/{os.getpid()}",
    }
    course = str(package_dir.resolve().parent)
    # Never the course folder or a folder above it (it holds solutions/), only the package below it.
    real = {os.path.realpath(p) for p in paths}
    return sorted(p for p in real if not (course == p or course.startswith(p.rstrip("/") + "/")))
