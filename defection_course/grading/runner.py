"""Grade one submission: copy the course to a temporary folder, run, capture, evaluate."""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextlib
import dataclasses
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import nbformat
import zmq
import zmq.asyncio
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

from .. import cells
from ..checks.spec import NOT_ANSWERED, Question, Result, evaluate
from ..paths import course_root
from ..questions import questions_for
from . import isolation, safefs, sandbox, zygote
from .assemble import CAPTURE_MIME, Assembly, assemble, captured_answers
from .limits import Limits
from .submission import Rejected, Submission, ensure_matches, lesson_of, read
from .zygote import ZygoteProvisioner, zygote_for

KERNEL_NAME = "defection-course-sandbox"
KERNEL_FAILED = "the grader could not start a kernel for this notebook"
OS_REFUSED = "refused by the operating system"
TIME_LIMIT = "the whole notebook took longer than {seconds:g} s (time limit) and was stopped"
RECEIVE_QUEUE_BYTES = 32 * 2**20  #: at most this much (in whole messages) waits unread from a kernel


@dataclass
class Graded:
    """The outcome for one student."""

    student: str
    status: str  #: graded | rejected | error
    results: dict[str, Result] = field(default_factory=dict)
    answers: dict[str, str] = field(default_factory=dict)  #: written answers, by question
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    source: str = ""  #: the submitted file(s), relative to the submissions folder

    @property
    def reason(self) -> str:
        return "; ".join(self.notes)


class CappedClient(NotebookClient):
    """An nbclient that stops storing outputs once a notebook has printed ``cap`` bytes.

    Outputs are counted as they arrive. Only the grader's own capture cells may emit the
    answer capture type; those are counted apart, against the same cap, so that a huge
    answer cannot fill the grader's memory either (the answer is then "not graded", with why).
    """

    def __init__(self, *args, cap_bytes: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.cap_bytes = cap_bytes
        self.seen_bytes = 0
        self.capture_bytes = 0
        self.capped = False
        self.capture_capped: list[str] = []  #: questions whose captured answer was too large to keep
        self.timeouts = 0
        self.report: Path | None = None  #: the supervisor's report file (it names the kernel's pid)
        self.open_files = 0  #: files the kernel held open when it finished
        self.dropped_messages = 0  #: messages larger than the message limit (each cut the channel)
        self._monitor: Any = None

    async def _watch_iopub(self) -> None:
        """Reconnect the output channel if the last cell cut it.

        ZeroMQ drops a connection whose peer announces a message above ``MAXMSGSIZE`` and, as
        for any protocol error, does not reconnect; the next cell's outputs would be lost.
        """
        from zmq.utils.monitor import parse_monitor_message

        if self.kc is None:
            return
        channel = self.kc.iopub_channel
        if self._monitor is None:
            self._monitor = channel.socket.get_monitor_socket(zmq.EVENT_DISCONNECTED)
            return
        cut = False
        while await self._monitor.poll(0):
            parse_monitor_message(await self._monitor.recv_multipart())
            cut = True
        if not cut:
            return
        self.dropped_messages += 1
        with contextlib.suppress(zmq.ZMQError):
            channel.socket.disable_monitor()
        self._monitor.close(linger=0)
        channel.socket.close(linger=0)
        channel.socket = self.kc.connect_iopub()
        self._monitor = channel.socket.get_monitor_socket(zmq.EVENT_DISCONNECTED)
        await asyncio.sleep(0.2)  # let the subscription reach the kernel before the next cell runs

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        await self._watch_iopub()
        return await super().async_execute_cell(cell, cell_index, execution_count, store_history)

    async def _async_handle_timeout(self, timeout, cell=None):
        self.timeouts += 1
        return await super()._async_handle_timeout(timeout, cell)

    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        data = content.get("data")
        size = len(json.dumps(data if data is not None else content.get("text", ""), default=str))
        cell = self.nb.cells[cell_index] if 0 <= cell_index < len(self.nb.cells) else {}
        qid = cells.course_meta(cell).get(cells.CAPTURE) if cell else None
        if qid and isinstance(data, dict) and CAPTURE_MIME in data:
            self.capture_bytes += size
            if self.capture_bytes > self.cap_bytes:
                self.capture_capped.append(str(qid))
                return None
        else:
            self.seen_bytes += size
            if self.seen_bytes > self.cap_bytes:
                self.capped = True
                return None
        return super().output(outs, msg, display_id, cell_index)


class LimitedKernelManager(AsyncKernelManager):
    """A kernel manager whose clients refuse any message above ``message_bytes`` before holding it.

    ZeroMQ's ``MAXMSGSIZE`` drops the connection to a peer that announces a larger message, so
    the grader never allocates it; ``RCVHWM`` bounds how many messages wait unread.
    """

    message_bytes = 8 * 2**20

    def client(self, **kwargs: Any) -> Any:
        context = zmq.asyncio.Context()
        context.setsockopt(zmq.MAXMSGSIZE, self.message_bytes)
        context.setsockopt(zmq.RCVHWM, max(4, RECEIVE_QUEUE_BYTES // self.message_bytes))
        kc = super().client(context=context, **kwargs)
        kc._created_context = True  # stop_channels() destroys it
        return kc


def _kernel_spec(root: Path) -> Path:
    """Write a kernelspec that starts the sandboxed kernel; return the JUPYTER_PATH to use."""
    spec_dir = root / ".jupyter" / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [
                    sys.executable,
                    "-m",
                    "defection_course.grading.sandbox",
                    "-f",
                    "{connection_file}",
                    "--HistoryManager.enabled=False",
                ],
                "display_name": "course sandbox",
                "language": "python",
            }
        ),
        encoding="utf-8",
    )
    return root / ".jupyter"


#: variables the kernel may inherit from the teacher's environment (everything else is dropped)
ENV_ALLOWED = ("LANG", "LC_ALL", "LC_CTYPE", "TZ", isolation.ENV_SIMULATE_ABI)


def kernel_env(root: Path, limits: Limits, report: Path) -> dict[str, str]:
    """The whole environment of a kernel: an allowlist, never a copy of the grader's."""
    env = {k: os.environ[k] for k in ENV_ALLOWED if k in os.environ}
    env.update(_course_env(root))
    env.update(
        {
            "PATH": "/usr/bin:/bin",
            "HOME": str(root),
            sandbox.ENV_MEMORY: str(limits.memory_mb),
            sandbox.ENV_FILE: str(limits.file_mb),
            sandbox.ENV_ISOLATE: "1" if limits.isolate else "0",
            sandbox.ENV_REPORT: str(report),
            sandbox.ENV_CPU: str(limits.notebook_timeout + 30),
            sandbox.ENV_THREADS: str(limits.threads),
            sandbox.ENV_FILES: str(limits.open_files),
        }
    )
    return env


FONT_CACHE = "mpl-cache"  #: in a run's workdir: matplotlib's font list, built once for every kernel


def warm_font_cache(workdir: Path) -> None:
    """Build matplotlib's font list once, so that each kernel copies it instead of scanning fonts (~1 s)."""
    cache = workdir / FONT_CACHE
    cache.mkdir(exist_ok=True)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(workdir), "MPLCONFIGDIR": str(cache)}
    subprocess.run(
        [sys.executable, "-c", "import matplotlib.font_manager"],
        env=env,
        timeout=300,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def start_kernel_factory(workdir: Path) -> zygote.Zygote | None:
    """The run's zygote (:mod:`.zygote`), for its workers to share; None where none can run.

    The zygote builds the run's font list (:data:`FONT_CACHE`) as it imports matplotlib; without
    one, a throw-away process builds it (:func:`warm_font_cache`) for the kernels to copy.
    """
    (workdir / FONT_CACHE).mkdir(exist_ok=True)
    factory = zygote.start(workdir, zygote_env(workdir))
    if factory is None:
        warm_font_cache(workdir)
    return factory


def _prepare(root: Path, workdir: str | None = None) -> dict[str, str]:
    """A private copy of the course data and folders; the variables the grader needs to find the kernel."""
    src = course_root()
    shutil.copytree(src / "data", root / "data")
    (root / "exercises").mkdir()
    for sub in ("tmp", "ipython", "mpl", "runtime"):
        (root / sub).mkdir()
    if workdir:
        for cached in (Path(workdir) / FONT_CACHE).glob("fontlist-*.json"):
            shutil.copyfile(cached, root / "mpl" / cached.name)
    return {"JUPYTER_PATH": str(_kernel_spec(root)), "JUPYTER_RUNTIME_DIR": str(root / "runtime")}


def _course_env(root: Path) -> dict[str, str]:
    src = course_root()
    jupyter_path = root / ".jupyter"
    return {
        sandbox.ENV_ROOT: str(root),
        "DEFECTION_COURSE_ROOT": str(root),
        "JUPYTER_PATH": str(jupyter_path),
        "JUPYTER_RUNTIME_DIR": str(root / "runtime"),
        "TMPDIR": str(root / "tmp"),
        "IPYTHONDIR": str(root / "ipython"),
        "MPLCONFIGDIR": str(root / "mpl"),
        "MPLBACKEND": "agg",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "PYTHONHASHSEED": "0",
        "PYTHONSAFEPATH": "1",  # never the folder the grader was started in on sys.path (peers' files)
        "IPYKERNEL_CELL_NAME": "<cell>",
        "PYTHONPATH": str(src),
    }


def zygote_env(workdir: Path) -> dict[str, str]:
    """The zygote's environment (an allowlist too): what its imports need, nothing of the teacher's."""
    env = {k: os.environ[k] for k in ENV_ALLOWED if k in os.environ}
    env.update(
        {
            "PATH": "/usr/bin:/bin",
            "HOME": str(workdir),
            "MPLCONFIGDIR": str(workdir / FONT_CACHE),
            "MPLBACKEND": "agg",
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "PYTHONHASHSEED": "0",
            # ``python -m`` puts the current folder first on sys.path, and the kernels inherit the
            # zygote's sys.path (readable to them): a teacher grading inside the submissions folder
            # would expose every peer's notebook. Python 3.11's safe-path mode leaves it out.
            "PYTHONSAFEPATH": "1",
            "PYTHONPATH": str(course_root()),
        }
    )
    return env


class ScratchKernelManager(LimitedKernelManager):
    """A message-limited kernel manager whose clean-up leaves the scratch folder alone.

    jupyter_client removes the connection file and the IPC sockets by path
    (``runtime/kernel.json``, ``runtime/k-1`` ...); a kernel that swapped ``runtime`` for a link to
    the teacher's folder would make it delete the teacher's files there. The whole scratch folder
    is removed afterwards by :func:`.safefs.remove_tree`, which follows no link.
    """

    def cleanup_connection_file(self) -> None:
        """Nothing: the connection file goes with the scratch folder."""

    def cleanup_ipc_files(self) -> None:
        """Nothing: the IPC sockets go with the scratch folder."""


def _kernel_manager(root: Path, limits: Limits) -> AsyncKernelManager:
    """A kernel manager on IPC channels in the scratch folder; kernels forked by the zygote in a batch."""
    km = ScratchKernelManager(
        kernel_name=KERNEL_NAME,
        transport="ipc",
        ip=str(root / "runtime" / "k"),
        connection_file=str(root / "runtime" / "kernel.json"),
    )
    km.message_bytes = int(limits.message_mb * 2**20)
    factory = zygote_for(Path(limits.workdir), zygote_env(Path(limits.workdir))) if limits.workdir else None
    if factory is not None:
        km.kernel_id = str(uuid.uuid4())
        provisioner = ZygoteProvisioner(kernel_id=km.kernel_id, kernel_spec=km.kernel_spec, parent=km)
        provisioner.zygote = factory
        km.provisioner = provisioner
    return km


def _error_notes(executed: nbformat.NotebookNode, built) -> list[str]:
    notes, blocked = [], []
    for i, cell in enumerate(executed.cells):
        where = built.describe_cell(i)
        for out in cell.get("outputs", []):
            if out.get("output_type") != "error":
                continue
            evalue = str(out.get("evalue", ""))
            if sandbox.BLOCKED in evalue:
                blocked.append(evalue.split(" is ")[0][:80])
            elif out.get("ename") == "MemoryError":
                notes.append(f"{where} ran out of memory (limit reached)")
            elif out.get("ename") in ("KeyboardInterrupt", "CellTimeoutError"):
                notes.append(f"{where} took too long and was stopped (per-cell time limit)")
            else:
                notes.append(f"{where} raised {out.get('ename')}: {evalue[:100]}")
    if blocked:
        notes.append(
            "the notebook tried to change files outside its sandbox, start a program or use "
            f"the network; this was blocked ({blocked[0]})"
        )
    return notes


#: what a refused system call meant, for the gradebook
REFUSED_MEANING = {
    "fork": "start a process",
    "vfork": "start a process",
    "execve": "run a program",
    "execveat": "run a program",
    "connect": "connect a socket",
    "kill": "signal another process",
    "tkill": "signal another process",
    "ptrace": "inspect another process",
    "setsid": "leave the kernel's process group",
    "setpgid": "leave the kernel's process group",
    "PR_SET_PDEATHSIG": "outlive the grader (parent-death signal)",
    "F_SETOWN": "signal another process",
}
SUSPICIOUS = re.compile(
    r"\b(ctypes|_posixsubprocess|cffi|os\.fork|os\.setsid|socket|/proc/|os\.environ|getenv)\b"
)


def _capture_failures(executed: nbformat.NotebookNode) -> dict[str, str]:
    """Why a capture cell gave no answer, by question: its error (e.g. no file descriptor left)."""
    found: dict[str, str] = {}
    for cell in executed.cells:
        qid = cells.course_meta(cell).get(cells.CAPTURE)
        for out in cell.get("outputs", []) if qid else []:
            if out.get("output_type") == "error":
                evalue = str(out.get("evalue", ""))[:120]
                why = f"{out.get('ename')}: {evalue}"
                if "Too many open files" in evalue or "EMFILE" in evalue:
                    why += "; the notebook had used up its open-file limit"
                found[str(qid)] = why
    return found


def isolation_notes(
    refused: list[str], notebook: nbformat.NotebookNode, isolated: bool, limits: Limits | None = None
) -> list[str]:
    """What the operating system refused (from the supervisor's report), and risky code it ran."""
    limits = limits or Limits()
    notes = []
    if sandbox.THREAD_LIMIT in refused:
        n = refused.count(sandbox.THREAD_LIMIT)
        refused = [r for r in refused if r != sandbox.THREAD_LIMIT]
        notes.append(
            f"{OS_REFUSED}: the notebook tried to run more than {limits.threads} threads at once "
            f"(thread limit; {n}{'+' if n >= sandbox.MAX_REPORT_LINES else ''} refused)"
        )
    if refused:
        counts: dict[str, int] = {}
        for name in refused:
            what = REFUSED_MEANING.get(name, "open a network socket" if name.startswith("socket") else name)
            counts[f"{what} ({name})"] = counts.get(f"{what} ({name})", 0) + 1
        listed = ", ".join(f"{k}{f' x{n}' if n > 1 else ''}" for k, n in counts.items())
        notes.append(f"{OS_REFUSED}: the notebook tried to {listed}")
    found = sorted(
        {
            m.group(1)
            for c in notebook.cells
            if c.get("cell_type") == "code"
            for m in SUSPICIOUS.finditer(c.source)
        }
    )
    if found:
        how = (
            "it ran isolated by the operating system, so files outside its own folder, other programs, "
            "the network and the teacher's environment were out of its reach"
            if isolated
            else "it ran WITHOUT operating-system isolation (--no-isolation): check it by hand"
        )
        notes.append(f"the notebook uses {', '.join(found)}; {how}")
    return notes


async def _shutdown(client: CappedClient) -> None:
    km = getattr(client, "km", None)
    if km is None:
        return
    provisioner = getattr(km, "provisioner", None)
    pgid = getattr(provisioner, "pgid", None)
    try:
        if await km.is_alive():
            await km.shutdown_kernel(now=True)
    except Exception:
        pass
    if pgid:  # the kernel's process group (supervisor and kernel): make sure nothing of it is left
        with contextlib.suppress(OSError):
            os.killpg(pgid, signal.SIGKILL)


async def _run(client: CappedClient, deadline: float, env: dict[str, str], limit: float) -> str | None:
    """Run the notebook for at most ``deadline`` s (what is left of the ``limit``); the problem, if any."""
    if deadline <= 0:
        return TIME_LIMIT.format(seconds=limit)
    started = time.monotonic()
    try:
        # The kernel's own stdout/stderr (not cell outputs) would only spam the teacher's terminal.
        await asyncio.wait_for(
            client.async_execute(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env),
            timeout=deadline,
        )
    except TimeoutError:
        await _stop(client)
        return TIME_LIMIT.format(seconds=limit)
    except DeadKernelError:
        await _stop(client)
        if time.monotonic() >= started + deadline - 0.5:  # stopped by the deadline, while stopping
            return TIME_LIMIT.format(seconds=limit)
        if client.timeouts:
            return "a cell ran past the time limit and could not be interrupted, so the kernel was stopped"
        return "the kernel stopped while running the notebook (a crash, os._exit() or a memory limit)"
    except RuntimeError as exc:  # e.g. the kernel died before it started
        await _stop(client)
        if time.monotonic() >= started + deadline - 0.5:
            return TIME_LIMIT.format(seconds=limit)
        return f"{KERNEL_FAILED} ({exc})"
    await _stop(client)
    return None


async def _stop(client: CappedClient) -> None:
    """Shut the kernel down, noting first how many files it holds open (why answers may be missing).

    Counted however the run ended: a kernel that used up its open-file limit may also hang until the
    time limit (ZeroMQ can no longer work), and the teacher should read both reasons.
    """
    client.open_files = _open_files(client.report)
    await _shutdown(client)


T = TypeVar("T")


def run_coroutine(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to completion, also when this thread already runs an event loop.

    ``asyncio.run`` refuses inside a running loop (Jupyter, or a test session that drives a
    browser); then the coroutine runs in a fresh loop on a thread of its own.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()


class OutOfTime(Exception):
    """Reading and assembling the submission used up the whole notebook time limit."""


def within(seconds: float, work: Callable[[], T]) -> T:
    """``work()`` in a forked child, stopped after ``seconds`` of wall-clock time (:class:`OutOfTime`).

    Reading and assembling a notebook is the grader's own code, but its cost is set by the
    submission (150,000 cells take minutes): in a child it can be stopped on time, whatever it
    is doing. Its result (or exception) comes back pickled.
    """
    import pickle
    import select

    if seconds <= 0:
        raise OutOfTime
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(r)
        try:
            try:
                outcome: tuple[bool, Any] = (True, work())
            except BaseException as exc:  # the parent re-raises it
                outcome = (False, exc)
            data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
            view = memoryview(data)
            while view:
                view = view[os.write(w, view) :]
        finally:
            os._exit(0)
    os.close(w)
    chunks: list[bytes] = []
    end = time.monotonic() + seconds
    try:
        while True:
            left = end - time.monotonic()
            if left <= 0 or not select.select([r], [], [], left)[0]:
                os.kill(pid, signal.SIGKILL)
                raise OutOfTime
            chunk = os.read(r, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(r)
        os.waitpid(pid, 0)
    if not chunks:
        raise OutOfTime  # the child died without an answer (it was killed)
    ok, value = pickle.loads(b"".join(chunks))
    if not ok:
        raise value
    return value


def _read_and_assemble(
    exercise: nbformat.NotebookNode, path: Path, questions: list[Question], max_bytes: int
) -> tuple[Submission, Assembly]:
    sub = read(path, max_bytes)
    ensure_matches(sub, exercise)
    variables = {q.qid: q.variable for q in questions}
    return sub, assemble(exercise, sub.notebook, variables, {q.qid: q.kind for q in questions})


def _kernel_of(report_text: str) -> tuple[int, str] | None:
    """The kernel's pid and start time, as its supervisor recorded them first in its report."""
    for line in report_text.splitlines():
        if line.startswith(sandbox.KERNEL_PID):
            _, pid_text, started = line.split(":", 2)
            return int(pid_text), started.strip()
    return None


def _open_files(report: Path | None) -> int:
    """How many files the kernel holds open now (0 if unknown)."""
    try:
        found = _kernel_of(report.read_text(encoding="utf-8", errors="replace")) if report else None
        if found is None or sandbox.start_time(found[0]) != found[1]:
            return 0
        return len(os.listdir(f"/proc/{found[0]}/fd"))
    except OSError:
        return 0


def _leftover(report_text: str) -> str | None:
    """Stop the kernel if it outlived its shutdown (found by the pid and start time its supervisor
    recorded, whatever it renamed itself to); a note for the gradebook if it had to be stopped."""
    found = _kernel_of(report_text)
    if found is None:
        return None
    pid, started = found
    try:
        pidfd = os.pidfd_open(pid)
    except OSError:
        return None  # gone, as it should be
    import select

    try:
        if not started or sandbox.start_time(pid) != started:
            return None  # the pid now belongs to another process
        if select.select([pidfd], [], [], 2.0)[0]:
            return None  # it was ending (the shutdown's SIGKILL takes a moment)
        signal.pidfd_send_signal(pidfd, signal.SIGKILL)
        select.select([pidfd], [], [], 5.0)
    except OSError:
        return None
    finally:
        os.close(pidfd)
    return (
        "a process of this notebook was still running after grading (it had left the kernel's "
        "process group); the grader stopped it"
    )


def with_flags(result: Result, flags: list[str]) -> Result:
    """A result with the teacher's flags added (its status, and so the mark, unchanged)."""
    return dataclasses.replace(result, flags=(*result.flags, *flags)) if flags else result


def grade_submission(exercise_path: Path, submission_path: Path, limits: Limits | None = None) -> Graded:
    """Grade one submitted notebook against an exercise notebook.

    The notebook time limit is wall-clock time for everything a submission's size or code
    decides: reading and assembling it, starting its kernel and running it.
    """
    limits = limits or Limits()
    start = time.perf_counter()
    exercise = nbformat.read(exercise_path, as_version=4)
    lesson = lesson_of(exercise)
    questions = questions_for(int(lesson)) if lesson is not None else []
    try:
        sub, built = within(
            limits.notebook_timeout,
            lambda: _read_and_assemble(
                exercise, submission_path, questions, int(limits.submission_mb * 2**20)
            ),
        )
    except (Rejected, OutOfTime) as exc:
        from .submission import student_id

        why = str(exc) if isinstance(exc, Rejected) else TIME_LIMIT.format(seconds=limits.notebook_timeout)
        status = "rejected" if isinstance(exc, Rejected) else "graded"
        stopped = "not graded: the notebook stopped before this answer could be read"
        results = {q.qid: Result(q.qid, NOT_ANSWERED, stopped) for q in questions}
        if isinstance(exc, Rejected):
            results = {}
        return Graded(
            student_id(submission_path), status, results, notes=[why], seconds=time.perf_counter() - start
        )
    notes = list(built.notes)
    # not tempfile.TemporaryDirectory: its clean-up follows links the kernel planted (CVE-2023-6597)
    with safefs.scratch_folder("s", limits.workdir) as tmp:
        root = Path(tmp).resolve() / "s"  # the kernel's scratch folder: all it may write
        root.mkdir()
        report = Path(tmp).resolve() / "refused.log"  # outside the scratch folder: the supervisor's
        report.touch()
        env = _prepare(root, limits.workdir)
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        km = _kernel_manager(root, limits)
        client = CappedClient(
            built.notebook,
            timeout=limits.cell_timeout,
            kernel_name=KERNEL_NAME,
            allow_errors=True,
            interrupt_on_timeout=True,
            record_timing=False,
            error_on_timeout={
                "ename": "CellTimeoutError",
                "traceback": [],
                "evalue": "the cell took too long and was interrupted",
            },
            cap_bytes=int(limits.output_mb * 2**20),
            resources={"metadata": {"path": str(root / "exercises")}},
            startup_timeout=60,
            km=km,
        )
        client.report = report
        try:
            env = kernel_env(root, limits, report)
            left = limits.notebook_timeout - (time.perf_counter() - start)
            problem = run_coroutine(lambda: _run(client, left, env, limits.notebook_timeout))
        finally:
            for k, v in saved.items():
                os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
            # nbclient keeps every client alive until exit for an atexit clean-up; ours is done.
            atexit.unregister(client._cleanup_kernel)
            kc = getattr(client, "kc", None)
            if kc is not None:  # close the kernel channels now, not when they are garbage-collected
                kc.stop_channels()
        executed = client.nb
        report_text = report.read_text(encoding="utf-8", errors="replace")
        outlived = _leftover(report_text)
        refused = [w for w in report_text.split() if not w.startswith(sandbox.KERNEL_PID)]
    if sandbox.ISOLATION_FAILED_MARK in refused:
        refused.remove(sandbox.ISOLATION_FAILED_MARK)
        problem = f"{KERNEL_FAILED} (it could not be isolated by the operating system, so nothing was run)"
    if problem:
        if problem.startswith("the kernel stopped"):
            started = [
                i
                for i, c in enumerate(executed.cells)
                if c.get("cell_type") == "code" and c.get("execution_count") is not None
            ]
            if started:
                problem += f"; it stopped in {built.describe_cell(started[-1])}"
        notes.append(problem)
    notes += _error_notes(executed, built)
    notes += isolation_notes(refused, sub.notebook, limits.isolate, limits)
    if outlived:
        notes.append(outlived)
    if client.capped:
        notes.append(
            f"the notebook printed more than {limits.output_mb:g} MB; the rest of its output was discarded"
        )
    if client.dropped_messages:
        notes.append(
            f"the notebook sent outputs larger than the {limits.message_mb:g} MB message limit; "
            "they were dropped unread"
        )
    if client.capture_capped:
        notes.append(
            f"the answers to {', '.join(client.capture_capped)} were larger than the {limits.output_mb:g} MB "
            "output limit and could not be graded"
        )
    captured = captured_answers(executed)
    failures = _capture_failures(executed)
    results = {}
    answers: dict[str, str] = {}
    for q in questions:
        payload = captured.get(q.qid)
        if payload is None:
            if q.qid in client.capture_capped:
                why = f"not graded: the answer was larger than the {limits.output_mb:g} MB output limit"
            elif q.qid in failures:
                why = f"not graded: the grader could not read this answer ({failures[q.qid]})"
            elif client.open_files >= limits.open_files - 1:
                why = (
                    f"not graded: the notebook had used up its open-file limit ({limits.open_files} files "
                    "open), so the grader could not read this answer back from the kernel"
                )
            elif problem:
                why = "not graded: the notebook stopped before this answer could be read"
            else:
                why = "not answered"
            results[q.qid] = Result(q.qid, NOT_ANSWERED, why)
        elif not payload.get("found"):
            results[q.qid] = Result(q.qid, NOT_ANSWERED, f"not answered: `{q.variable}` was never set")
        else:
            desc = payload["description"]
            results[q.qid] = with_flags(evaluate(q, desc), built.question_flags.get(q.qid, []))
            if q.kind == "text" and desc.get("type") == "string":
                answers[q.qid] = desc["value"]
    if any("open-file limit" in r.message for r in results.values()):
        notes.append(
            f"the notebook used up its open-file limit ({limits.open_files} files); the answers the "
            "grader could not read back are marked 'not graded'"
        )
    status = "error" if problem and problem.startswith(KERNEL_FAILED) else "graded"
    return Graded(sub.student, status, results, answers, notes, time.perf_counter() - start)
