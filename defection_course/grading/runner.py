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
import tempfile
import time
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

from ..checks.spec import NOT_ANSWERED, Result, evaluate
from ..paths import course_root
from ..questions import questions_for
from . import sandbox
from .assemble import assemble, captured_answers
from .limits import Limits
from .submission import Rejected, ensure_matches, lesson_of, read
from .zygote import ZygoteProvisioner, zygote_for

KERNEL_NAME = "defection-course-sandbox"
KERNEL_FAILED = "the grader could not start a kernel for this notebook"
OS_REFUSED = "refused by the operating system"


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
    """An nbclient that stops storing outputs once a notebook has printed ``cap`` bytes."""

    def __init__(self, *args, cap_bytes: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.cap_bytes = cap_bytes
        self.seen_bytes = 0
        self.capped = False
        self.timeouts = 0

    async def _async_handle_timeout(self, timeout, cell=None):  # type: ignore[override]
        self.timeouts += 1
        return await super()._async_handle_timeout(timeout, cell)

    def output(self, outs, msg, display_id, cell_index):  # type: ignore[override]
        content = msg.get("content", {})
        size = len(json.dumps(content.get("data", content.get("text", "")), default=str))
        is_capture = "application/x.defection-course.answer+json" in content.get("data", {})
        if not is_capture:
            self.seen_bytes += size
            if self.seen_bytes > self.cap_bytes:
                self.capped = True
                return None
        return super().output(outs, msg, display_id, cell_index)


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
ENV_ALLOWED = ("LANG", "LC_ALL", "LC_CTYPE", "TZ")


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
            "PYTHONPATH": str(course_root()),
        }
    )
    return env


def _kernel_manager(root: Path, limits: Limits) -> AsyncKernelManager:
    """A kernel manager on IPC channels in the scratch folder; kernels forked by the zygote in a batch."""
    km = AsyncKernelManager(
        kernel_name=KERNEL_NAME,
        transport="ipc",
        ip=str(root / "runtime" / "k"),
        connection_file=str(root / "runtime" / "kernel.json"),
    )
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
}
SUSPICIOUS = re.compile(
    r"\b(ctypes|_posixsubprocess|cffi|os\.fork|os\.setsid|socket|/proc/|os\.environ|getenv)\b"
)


def isolation_notes(refused: list[str], notebook: nbformat.NotebookNode, isolated: bool) -> list[str]:
    """What the operating system refused (from the supervisor's report), and risky code it ran."""
    notes = []
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


async def _run(client: CappedClient, deadline: float, env: dict[str, str]) -> str | None:
    try:
        # The kernel's own stdout/stderr (not cell outputs) would only spam the teacher's terminal.
        await asyncio.wait_for(
            client.async_execute(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env),
            timeout=deadline,
        )
    except TimeoutError:
        await _shutdown(client)
        return f"the whole notebook took longer than {deadline:.0f} s and was stopped"
    except DeadKernelError:
        await _shutdown(client)
        if client.timeouts:
            return "a cell ran past the time limit and could not be interrupted, so the kernel was stopped"
        return "the kernel stopped while running the notebook (a crash, os._exit() or a memory limit)"
    except RuntimeError as exc:  # e.g. the kernel died before it started
        await _shutdown(client)
        return f"{KERNEL_FAILED} ({exc})"
    await _shutdown(client)
    return None


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


def with_flags(result: Result, flags: list[str]) -> Result:
    """A result with the teacher's flags added (its status, and so the mark, unchanged)."""
    return dataclasses.replace(result, flags=(*result.flags, *flags)) if flags else result


def grade_submission(exercise_path: Path, submission_path: Path, limits: Limits | None = None) -> Graded:
    """Grade one submitted notebook against an exercise notebook."""
    limits = limits or Limits()
    start = time.perf_counter()
    exercise = nbformat.read(exercise_path, as_version=4)
    lesson = lesson_of(exercise)
    questions = questions_for(int(lesson)) if lesson is not None else []
    try:
        sub = read(submission_path)
        ensure_matches(sub, exercise)
    except Rejected as exc:
        from .submission import student_id

        return Graded(
            student_id(submission_path), "rejected", notes=[str(exc)], seconds=time.perf_counter() - start
        )
    built = assemble(
        exercise, sub.notebook, {q.qid: q.variable for q in questions}, {q.qid: q.kind for q in questions}
    )
    notes = list(built.notes)
    with tempfile.TemporaryDirectory(prefix="s", dir=limits.workdir) as tmp:
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
        try:
            env = kernel_env(root, limits, report)
            problem = run_coroutine(lambda: _run(client, limits.notebook_timeout, env))
        finally:
            for k, v in saved.items():
                os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
            # nbclient keeps every client alive until exit for an atexit clean-up; ours is done.
            atexit.unregister(client._cleanup_kernel)
            kc = getattr(client, "kc", None)
            if kc is not None:  # close the kernel channels now, not when they are garbage-collected
                kc.stop_channels()
        executed = client.nb
        refused = report.read_text(encoding="utf-8", errors="replace").split()
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
    notes += isolation_notes(refused, sub.notebook, limits.isolate)
    if client.capped:
        notes.append(
            f"the notebook printed more than {limits.output_mb:g} MB; the rest of its output was discarded"
        )
    captured = captured_answers(executed)
    results: dict[str, Result] = {}
    answers: dict[str, str] = {}
    for q in questions:
        payload = captured.get(q.qid)
        if payload is None:
            results[q.qid] = Result(
                q.qid,
                NOT_ANSWERED,
                "not graded: the notebook stopped before this answer could be read"
                if problem
                else "not answered",
            )
        elif not payload.get("found"):
            results[q.qid] = Result(q.qid, NOT_ANSWERED, f"not answered: `{q.variable}` was never set")
        else:
            desc = payload["description"]
            results[q.qid] = with_flags(evaluate(q, desc), built.question_flags.get(q.qid, []))
            if q.kind == "text" and desc.get("type") == "string":
                answers[q.qid] = desc["value"]
    status = "error" if problem and problem.startswith(KERNEL_FAILED) else "graded"
    return Graded(sub.student, status, results, answers, notes, time.perf_counter() - start)
