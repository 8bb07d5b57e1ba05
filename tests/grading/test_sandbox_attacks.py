"""Hostile submissions against the sandbox's process, signal, socket and resource limits (issue 20).

Each case is a submission notebook doing the real attack, graded by the real command in one run
per Landlock ABI: the machine's own, and simulated ABI 4 and 5 (``COURSE_SANDBOX_SIMULATE_LANDLOCK_ABI``,
Ubuntu 24.04 has ABI 4), where Landlock cannot scope signals or abstract sockets and seccomp
must. Every outcome is checked from outside the grader: a victim process of this test that
records any signal it gets, Unix datagram sockets of this test (by path and by abstract name)
that record any message, ``/proc`` for a process of the run that outlived it, and the
gradebook's reasons. Run with the grader before this change, the signal, datagram, outlive and
thread cases fail (the attacks succeed or are not explained).
"""

from __future__ import annotations

import csv
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from support.submissions import EXERCISE, solution
from support.traps import SocketTrap

from defection_course.grading import isolation, reports

NATIVE_ABI = isolation.kernel_landlock_abi()
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not isolation.probe().available, reason="no OS isolation on this machine"),
]
RENAMED = "innocent-sbx"  #: the name the outliving kernel gives itself
VAR = "answer_q1_7"


LIBC = "import ctypes, os, struct\nlibc = ctypes.CDLL(None, use_errno=True)\n"


def attacks(victim: int, path: str, abstract: str) -> dict[str, tuple[str, str]]:
    """name -> (where the code goes: extra | q17 | after_q1_1, code)."""
    nrs = isolation.ARCHES[isolation.arch()]
    return {
        "outlive": (
            "extra",
            LIBC
            + "libc.prctl(1, 0, 0, 0, 0)\n"  # PR_SET_PDEATHSIG = 0: do not die with the parent
            + "libc.setsid()\nlibc.setpgid(0, 0)\n"
            + f"libc.prctl(15, b'{RENAMED}', 0, 0, 0)\n",  # PR_SET_NAME
        ),
        "signals": (
            "extra",
            LIBC
            + "import fcntl\n"
            + f"libc.kill({victim}, 10)\n"
            + "info = ctypes.create_string_buffer(struct.pack('iii', 10, 0, -1) + bytes(116), 128)\n"
            + f"libc.syscall({nrs['rt_sigqueueinfo']}, {victim}, 10, info)\n"
            + f"libc.syscall({nrs['rt_tgsigqueueinfo']}, {victim}, {victim}, 10, info)\n"
            + "r, w = os.pipe()\n"
            + f"libc.fcntl(r, 8, {victim})\n"  # F_SETOWN: SIGIO of this pipe goes to the victim
            + "fcntl.fcntl(r, fcntl.F_SETFL, fcntl.fcntl(r, fcntl.F_GETFL) | os.O_ASYNC)\n"
            + "os.write(w, b'x')\n"
            + "s = __import__('socket').socketpair()\n"
            + f"libc.ioctl(s[0].fileno(), 0x8901, ctypes.byref(ctypes.c_int({victim})))\n"  # FIOSETOWN
            + "libc.fcntl(s[0].fileno(), 4, os.O_ASYNC)\ns[1].send(b'x')\n",
        ),
        "datagrams": (
            "extra",
            "import socket\n"
            + "for target in ("
            + repr(path)
            + ", "
            + repr("\0" + abstract)
            + "):\n"
            + "    for make in (lambda: socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)[0],\n"
            + "                 lambda: socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM),\n"
            + "                 lambda: socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)[0]):\n"
            + "        try:\n"
            + "            make().sendto(b'reached', target)\n"
            + "        except OSError:\n"
            + "            pass\n"
            + LIBC
            + "fds = (ctypes.c_int * 2)()\n"
            + "libc.socketpair(1, 2, 0, fds)\n"
            + f"addr = struct.pack('H', 1) + {path.encode()!r}\n"
            + "libc.sendto(fds[0], b'reached', 7, 0, addr, len(addr))\n"
            + f"addr = struct.pack('H', 1) + b'\\0' + {abstract.encode()!r}\n"
            + "libc.sendto(fds[0], b'reached', 7, 0, addr, len(addr))\n"
            + "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\n"
            + "try:\n"
            + f"    s.bind('\\0' + {abstract!r} + '-squat')\n"
            + "except OSError:\n"
            + "    pass\n",
        ),
        "threads": (
            "q17",
            "import threading\n"
            + "gate, started = threading.Event(), 0\n"
            + "for _ in range(1500):\n"
            + "    try:\n"
            + "        threading.Thread(target=gate.wait, daemon=True).start()\n"
            + "    except RuntimeError:\n"
            + "        break\n"
            + "    started += 1\n"
            + "gate.set()\n"
            + f"{VAR} = f'threads started: {{started}}'\n",
        ),
        "open_files": (
            "after_q1_1",
            "import os\nheld = []\n"
            + "try:\n"
            + "    while True:\n"
            + "        held.append(os.open('/dev/null', os.O_RDONLY))\n"
            + "except OSError:\n"
            + "    pass\n",
        ),
    }


class DatagramTrap(SocketTrap[bytes]):
    """Unix datagram sockets of this test (a path outside the sandbox, an abstract name) that
    record whatever reaches them."""

    def __init__(self, folder: Path) -> None:
        self.path = str(folder / "teacher.sock")
        self.abstract = f"course-teacher-{uuid.uuid4().hex[:12]}"
        socks = []
        for address in (self.path, "\0" + self.abstract):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            s.bind(address)
            socks.append(s)
        super().__init__(socks)

    def read(self, sock: socket.socket) -> bytes:
        return sock.recv(100)


VICTIM = """
import signal, sys, time
out = sys.argv[1]
def record(signum, frame):
    with open(out, "a") as fh:
        fh.write(f"{signum}\\n")
for s in (signal.SIGUSR1, signal.SIGIO, signal.SIGURG):
    signal.signal(s, record)
open(out + ".ready", "w").close()
while True:
    time.sleep(1)
"""


def _processes_named(name: str, settle: float = 5.0) -> list[str]:
    """Live processes called ``name`` (a killed one not yet reaped, a zombie, runs nothing), after
    giving a kill that was just sent up to ``settle`` seconds to take effect."""
    deadline = time.monotonic() + settle
    while True:
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    zombie = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
                    if (entry / "comm").read_text().strip() == name and not zombie:
                        found.append(entry.name)
                except (OSError, IndexError):
                    continue
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def grade_attacks(base: Path, abi: int | None, names: list[str]) -> dict:
    subs, out = base / "subs", base / "results"
    subs.mkdir()
    signals = base / "signals.log"
    victim = subprocess.Popen([sys.executable, "-c", VICTIM, str(signals)])
    trap = DatagramTrap(base)
    try:
        deadline = time.monotonic() + 30
        while not Path(str(signals) + ".ready").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        (subs / "correct.ipynb").write_text(solution(), encoding="utf-8")
        for name, (where, code) in attacks(victim.pid, trap.path, trap.abstract).items():
            if name in names:
                text = solution(**{where: code})
                (subs / f"{name}.ipynb").write_text(text, encoding="utf-8")
        env = {**os.environ, "TMPDIR": str(base)}
        if abi is not None:
            env[isolation.ENV_SIMULATE_ABI] = str(abi)
        cmd = [sys.executable, "-m", "defection_course", "grade", str(EXERCISE), str(subs), "--out", str(out)]
        proc = subprocess.run(
            [*cmd, "--workers", "2", "--cell-timeout", "20", "--notebook-timeout", "90"],
            capture_output=True,
            text=True,
            timeout=900,
            env=env,
        )
        time.sleep(1)
    finally:
        trap.close()
        victim.terminate()
        victim.wait(timeout=10)
    rows = {}
    if (out / "gradebook.csv").exists():
        with (out / "gradebook.csv").open(encoding="utf-8", newline="") as fh:
            rows = {reports.unneutralise(r["student"]): r for r in csv.DictReader(fh)}
    review = out / "review" / "q1_7.md"
    return {
        "proc": proc,
        "rows": rows,
        "signals": signals.read_text() if signals.exists() else "",
        "datagrams": trap.received,
        "renamed": _processes_named(RENAMED),
        "review": review.read_text(encoding="utf-8") if review.exists() else "",
    }


ALL = ["outlive", "signals", "datagrams", "threads", "open_files"]
SCOPES = ["outlive", "signals", "datagrams"]  #: what Landlock ABI 6 would also guard


@pytest.fixture(scope="module", params=[None, 4, 5], ids=["abi-native", "abi-4", "abi-5"])
def run(request, tmp_path_factory):
    abi = request.param
    base = Path(tmp_path_factory.mktemp("attacks"))
    names = ALL if abi is None else SCOPES
    yield {"abi": abi, **grade_attacks(base, abi, names)}


def _scores(row):
    return [row[f"q1_{i}"] for i in range(1, 7)]


def test_the_run_says_which_guard_keeps_signals_and_abstract_sockets_in(run):
    proc = run["proc"]
    assert proc.returncode == 0, proc.stderr[-3000:]
    abi = run["abi"] or NATIVE_ABI
    if abi >= isolation.SCOPES_ABI:
        assert f"Landlock scopes (ABI {abi})" in proc.stdout
    else:
        assert f"Landlock ABI {abi} simulated" in proc.stdout
        assert f"signals and abstract sockets: seccomp (Landlock ABI {abi} has no scopes)" in proc.stdout
    assert _scores(run["rows"]["correct"]) == ["1"] * 6


def test_no_signal_reaches_a_process_outside_the_sandbox(run):
    assert run["signals"] == ""
    row = run["rows"]["signals"]
    assert _scores(row) == ["1"] * 6, row
    assert "signal another process (kill)" in row["reason"]
    assert "signal another process (F_SETOWN)" in row["reason"]


def test_no_datagram_reaches_a_unix_socket_by_path_or_abstract_name(run):
    assert run["datagrams"] == []
    row = run["rows"]["datagrams"]
    assert _scores(row) == ["1"] * 6, row
    assert "socketpair(datagram)" in row["reason"]


def test_a_kernel_cannot_detach_or_outlive_grading(run):
    assert run["renamed"] == [], "a renamed process of the run is still alive"
    row = run["rows"]["outlive"]
    assert _scores(row) == ["1"] * 6, row
    assert "leave the kernel's process group (setsid)" in row["reason"]
    assert "outlive the grader (parent-death signal)" in row["reason"]


def test_threads_are_limited_with_a_reason(run):
    if run["abi"] is not None:
        pytest.skip("graded in the native run")
    row = run["rows"]["threads"]
    assert _scores(row) == ["1"] * 6, row
    assert "more than 64 threads at once (thread limit" in row["reason"]
    mine = run["review"].split("## Student: threads")[1].split("## Student:")[0]
    started = int(mine.split("threads started: ")[1].split()[0].strip("`'\""))
    assert 40 <= started < 64, started  # the kernel's own threads count too


def test_fd_exhaustion_says_why_an_answer_was_not_graded(run):
    if run["abi"] is not None:
        pytest.skip("graded in the native run")
    row = run["rows"]["open_files"]
    assert row["q1_1"] == "0", row
    assert "open-file limit" in row["reason"] or "Too many open files" in row["reason"], row["reason"]


def test_a_kernel_that_left_its_process_group_is_found_by_pid_and_start_time(tmp_path):
    """The grader's own check, when the kernel got out anyway: it is stopped, whatever its name."""
    from defection_course.grading import runner, sandbox

    code = (
        "import ctypes, os, time\nos.setsid()\n"
        f"ctypes.CDLL(None).prctl(15, b'{RENAMED}2', 0, 0, 0)\ntime.sleep(60)\n"
    )
    survivor = subprocess.Popen([sys.executable, "-c", code])
    try:
        time.sleep(0.5)
        line = f"{sandbox.KERNEL_PID}{survivor.pid}:{sandbox.start_time(survivor.pid)}\nfork\n"
        assert runner._leftover(line.replace(sandbox.start_time(survivor.pid), "1")) is None  # not ours
        assert survivor.poll() is None
        note = runner._leftover(line)
        assert note and "still running after grading" in note
        assert survivor.wait(timeout=5) == -signal.SIGKILL
        assert runner._leftover(line) is None
    finally:
        survivor.kill()
        survivor.wait()
