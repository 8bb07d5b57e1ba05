"""Grade a folder of submissions in parallel, with a progress bar, and write every report."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

import nbformat

from ..checks.spec import Result
from ..errors import CourseError
from ..paths import socket_temp_base
from ..questions import questions_for
from . import feedback, isolation, manifest, reports, safefs, zygote
from .identity import key_of
from .layout import Entry, describe, discover, resolve
from .runner import Graded, Limits, grade_submission, start_kernel_factory
from .submission import lesson_of

NO_ISOLATION = (
    "OFF (--no-isolation): submissions ran with the teacher's rights, guarded only by a Python hook"
)

STORE = "graded.json"
SUBMISSION_SUFFIXES = {".ipynb", ".json", ".txt", ".pdf", ".zip", ""}


def submissions_in(folder: Path) -> list[Path]:
    """Every file of the folder that could be a submission (hidden files skipped), sorted."""
    if not folder.is_dir():
        raise CourseError(f"{folder} is not a folder of submissions.")
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def _progress(done: int, total: int, failed: int, start: float, quiet: bool) -> None:
    if quiet:
        return
    width = 30
    filled = int(width * done / max(total, 1))
    rate = (time.perf_counter() - start) / max(done, 1)
    sys.stderr.write(
        f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} graded"
        f"{f', {failed} not gradable' if failed else ''}  ({rate:.1f} s each)"
    )
    sys.stderr.flush()
    if done == total:
        sys.stderr.write("\n")


def _safe_grade(args: tuple[str, str, Limits]) -> Graded:
    exercise, submission, limits = args
    try:
        return grade_submission(Path(exercise), Path(submission), limits)
    except Exception as exc:  # the grader itself failed on this file: record it, go on
        from .submission import student_id

        return Graded(
            student_id(Path(submission)),
            "error",
            notes=[
                f"the grader failed on this file ({type(exc).__name__}: {exc}); "
                "grade it by hand or report the problem"
            ],
        )


def _duplicate(entry: Entry, folder: Path) -> Graded:
    names = ", ".join(source_of(p, folder) for p in entry.paths)
    return Graded(
        entry.student,
        "rejected",
        notes=[
            f"{len(entry.paths)} files for this student ({names}): not graded, so that neither is "
            "silently chosen (names that differ only in case, accents' encoding or spaces are one "
            "student); keep the one to grade and run the grader again, or grade again with "
            "--keep latest"
        ],
        source=names,
    )


def _refused(entry: Entry, folder: Path) -> Graded:
    """The row of an entry that cannot be graded (a bad name, a link), with its reason."""
    return Graded(
        entry.student,
        "rejected",
        notes=[entry.problem],
        source=", ".join(source_of(p, folder) for p in entry.paths),
    )


def not_graded(entry: Entry, folder: Path) -> Graded | None:
    """The row of an entry that is never run (a bad name or a link; several files), else ``None``.

    The batch and the submit queue both decide with this, so a class gets the same rows either way.
    """
    if entry.problem:
        return _refused(entry, folder)
    if entry.duplicate:
        return _duplicate(entry, folder)
    return None


def source_of(path: Path, folder: Path) -> str:
    """A submission's path for the gradebook (relative to the class folder), printable even
    when its name is not valid text."""
    text = path.relative_to(folder).as_posix()
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace").replace("\n", "\\n")


def _processes_in(workdir: Path) -> list[int]:
    """Processes whose command line or working folder lies in the run's scratch folder."""
    found = []
    mark = str(workdir)
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else []:
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            cwd = os.readlink(entry / "cwd")
        except OSError:
            continue
        if mark in cmdline or cwd == mark or cwd.startswith(mark + "/"):
            found.append(int(entry.name))
    return found


def end_every_kernel(workdir: Path, wait: float = 5.0) -> int:
    """Kill whatever of the run is still alive (nothing should be); return how many were found."""
    found = _processes_in(workdir)
    for pid in found:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + wait
    while found and _processes_in(workdir) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = _processes_in(workdir)
    if left:
        raise CourseError(f"processes {left} of this grading run could not be stopped; results not written")
    return len(found)


def isolation_status(isolate: bool, workdir: Path | None = None) -> str:
    """What protects the teacher in this run, or a CourseError saying what to do when nothing can.

    With a ``workdir``, the isolation is also tried for real in a throw-away process first.
    """
    if not isolate:
        return NO_ISOLATION
    support = isolation.probe()
    problem = "" if not support.available else (isolation.self_test(workdir) if workdir else "")
    if not support.available or problem:
        raise CourseError(
            "this machine cannot isolate the submissions from your files and accounts: "
            f"{problem or support.detail}. To grade anyway (only submissions you trust, e.g. your own), "
            "add --no-isolation; or run the grader in a Linux container (docs/teaching.md)."
        )
    return support.detail


def grade_folder(
    exercise: Path,
    folder: Path,
    out: Path,
    limits: Limits | None = None,
    workers: int = 0,
    solution: Path | None = None,
    quiet: bool = False,
    select: Callable[[Entry], bool] | None = None,
    keep: str = "reject",
    due: datetime | None = None,
) -> dict:
    """Grade every submission in ``folder``; write the gradebook, feedback and review files to ``out``.

    With ``select``, only the students it accepts are graded (one shard, see :mod:`.shards`).
    ``keep`` is the policy for two files of one student (:func:`.layout.resolve`); ``due`` the
    deadline that nbgrader's ``timestamp.txt`` is compared with for the ``late`` column.
    """
    limits = limits or Limits()
    ex_nb = nbformat.read(exercise, as_version=4)
    lesson = lesson_of(ex_nb)
    if lesson is None:
        raise CourseError(f"{exercise} is not one of the course's exercise notebooks.")
    questions = questions_for(lesson)
    entries = [resolve(e, keep) for e in discover(folder, exercise.name)]
    if select is not None:
        entries = [e for e in entries if select(e)]
    about = {key_of(e.student): describe(e, folder, due) for e in entries}
    workers = workers or os.cpu_count() or 1
    start = time.perf_counter()
    rows = {e.identity_key: not_graded(e, folder) for e in entries}
    graded: list[Graded] = [row for row in rows.values() if row is not None]
    single = [e for e in entries if rows[e.identity_key] is None]
    failed = len(graded)
    total = len(entries)
    workdir = Path(tempfile.mkdtemp(prefix="dgrade-", dir=socket_temp_base())).resolve()  # 0700: the grader's
    try:
        protection = isolation_status(limits.isolate, workdir)
        _progress(len(graded), total, failed, start, quiet)
        run_limits = dataclasses.replace(limits, workdir=str(workdir))
        with contextlib.ExitStack() as stack:
            factory = start_kernel_factory(workdir) if single else None  # one zygote for every worker
            if factory is not None:
                stack.callback(factory.stop)  # once the pool's workers have gone, before the sweep
            shared = (str(factory.dir), factory.pid) if factory else (None, 0)
            pool = stack.enter_context(
                ProcessPoolExecutor(
                    max_workers=max(1, min(workers, len(single) or 1)),
                    initializer=zygote.attach,
                    initargs=shared,
                )
            )
            futures = {
                pool.submit(_safe_grade, (str(exercise), str(e.paths[0]), run_limits)): e for e in single
            }
            for fut in as_completed(futures):
                entry, g = futures[fut], fut.result()
                g.student, g.source = entry.student, source_of(entry.paths[0], folder)
                if entry.set_aside:  # --keep latest: say which files were not graded
                    g.notes.append(
                        f"graded the latest of {len(entry.set_aside) + 1} files ({g.source}); set aside: "
                        + ", ".join(about[key_of(entry.student)]["set_aside"])
                    )
                graded.append(g)
                failed += g.status != "graded"
                _progress(len(graded), total, failed, start, quiet)
        stragglers = end_every_kernel(workdir)  # results are written only when nothing of the run is left
    finally:
        safefs.remove_tree(workdir)  # never shutil.rmtree: recursive, and the kernels wrote in it
    elapsed = time.perf_counter() - start
    info = {"exercise": exercise.name, "isolation": protection, "submissions": total}
    digest = write_reports(graded, questions, out, exercise, solution, info, about)
    summary = {
        "submissions": total,
        "graded": sum(g.status == "graded" for g in graded),
        "rejected": sum(g.status == "rejected" for g in graded),
        "errors": sum(g.status == "error" for g in graded),
        "seconds": round(elapsed, 1),
        "workers": workers,
        "isolation": protection,
        "stragglers": stragglers,
        "manifest_sha256": digest,
    }
    return summary


def write_reports(
    graded: list[Graded],
    questions,
    out: Path,
    exercise: Path,
    solution: Path | None,
    info: dict | None = None,
    submissions: dict[str, dict] | None = None,
) -> str:
    """Write graded.json, review files (keeping marks already entered), feedback, the gradebook, then
    the manifest; return the manifest's SHA-256. ``submissions`` (by identity key) is what the
    layout told about each student (:func:`.layout.describe`: LMS id, late, files set aside), kept
    in graded.json for the LMS export and the reports."""
    out.mkdir(parents=True, exist_ok=True)
    solution = solution or exercise.resolve().parent.parent / "solutions" / exercise.name
    rubric = reports.rubrics(solution)
    info = info or {"exercise": exercise.name}
    store = {
        "exercise": exercise.name,
        "isolation": info.get("isolation", ""),
        "solution": str(solution),
        "submissions": dict(sorted((submissions or {}).items())),  # the same for shards merged
        "students": [
            {**asdict(g), "results": {k: asdict(v) for k, v in g.results.items()}}
            for g in sorted(graded, key=lambda g: g.student)
        ],
    }
    reports.atomic_write(out / STORE, json.dumps(store, indent=1, ensure_ascii=False, default=str) + "\n")
    marks: dict[str, dict[str, str]] = {}
    maxima: dict[str, float] = {}
    for q in questions:
        if q.kind != "text":
            continue
        text, max_mark = rubric.get(q.qid, ("(No rubric found in the solution notebook.)", 1.0))
        maxima[q.qid] = max_mark
        path = out / "review" / f"{q.qid}.md"
        before = path.read_text(encoding="utf-8") if path.exists() else ""
        entered = reports.parse_review(before)
        kept = {
            key_of(student): reports.decimal_point(mark) for student, mark in entered.items()
        }  # by identity
        said = {key_of(student): text for student, text in reports.parse_comments(before).items()}
        reports.atomic_write(path, reports.review_markdown(q, text, max_mark, graded, kept, said))
        marks[q.qid] = {  # re-grading never loses a mark; one merge-marks would refuse is not counted
            k: valid for k, v in kept.items() if (valid := feedback.valid_mark(v, max_mark))
        }
    about = submissions or {}
    rows = [
        reports.row_for(g, questions, marks, maxima, about.get(key_of(g.student), {}).get("late", ""))
        for g in graded
    ]
    feedback.write_feedback(out, graded, questions, exercise.name, rows)
    reports.atomic_write(out / reports.GRADEBOOK, reports.render_gradebook(rows, questions))
    return manifest.write(out, info)


def load_store(out: Path) -> tuple[list[Graded], dict]:
    """The graded results saved by a previous run."""
    path = out / STORE
    if not path.exists():
        raise CourseError(f"{path} not found: run the grade command with --out {out} first.")
    data = json.loads(path.read_text(encoding="utf-8"))
    graded = []
    for s in data["students"]:
        results = {k: Result(**{**v, "flags": tuple(v.get("flags", ()))}) for k, v in s["results"].items()}
        graded.append(
            Graded(
                s["student"],
                s["status"],
                results,
                s["answers"],
                s["notes"],
                s["seconds"],
                s.get("source", ""),
            )
        )
    return graded, data
