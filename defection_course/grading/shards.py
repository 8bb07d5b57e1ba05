"""Grade one class on many machines: ``grade --shard i/N`` and ``merge-shards``.

A shard grades the students whose identity key (:func:`.identity.identity_key`, the same key the
gradebook uses) hashes to it (:func:`.identity.shard_of`), so any batch scheduler can run the N
shards anywhere, in any order, with no coordination. Each shard writes an ordinary results folder
for its students plus ``shard.json`` (:data:`PARTIAL`), which says which shard of how many it is,
the exercise it graded (SHA-256), the whole class it was one part of (every student with their
shard, and a digest of that roster), the isolation and the limits. ``merge-shards`` refuses a set
with a shard missing, twice, from another class or exercise, with other limits, or changed after
grading (its manifest), each with its reason; otherwise it writes the results folder that one run
of the whole folder writes: gradebook, feedback, review files and manifest byte-identical, apart
from the timing fields (:data:`TIMING_FIELDS`), which are kept apart (:func:`timing_free`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import nbformat

from ..errors import CourseError
from ..paths import course_command, course_root
from ..questions import questions_for
from . import manifest, reports
from .identity import identity_key, shard_of
from .layout import Entry, discover
from .limits import Limits
from .runner import Graded
from .submission import lesson_of

PARTIAL = "shard.json"
FORMAT = "defection-course shard/1"
#: What may differ between two runs of the same folder: how long each grading took, and when the
#: manifest was written (so also the manifest's hash of graded.json).
TIMING_FIELDS = ("graded.json: students[].seconds", "manifest.json: written, files['graded.json']")
_SPEC = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` (0-based) of ``count``."""

    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def takes(self, entry: Entry) -> bool:
        """Does this shard grade ``entry``'s student?"""
        return shard_of(student_key(entry), self.count) == self.index


def parse_shard(text: str) -> Shard:
    """``"i/N"`` (0 <= i < N) as a :class:`Shard`; a CourseError says what is wrong otherwise."""
    m = _SPEC.match(text)
    if not m:
        raise CourseError(f"--shard {text!r}: write it as i/N, e.g. 0/3 (shards are numbered 0 to N-1)")
    index, count = int(m.group(1)), int(m.group(2))
    if count < 1 or index >= count:
        raise CourseError(f"--shard {text}: the index must be 0 to {max(count - 1, 0)} and N at least 1")
    return Shard(index, count)


def student_key(entry: Entry) -> str:
    """The stable identity key of an entry's student (what shards are assigned by)."""
    return identity_key(entry.student)


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def roster(folder: Path, exercise: Path) -> dict[str, str]:
    """Every student of the folder (as the gradebook names them) -> their identity key."""
    return {e.student: student_key(e) for e in discover(folder, exercise.name)}


def roster_digest(students: dict[str, str]) -> str:
    """A digest of the whole class (names and keys), the same on every machine."""
    text = json.dumps(sorted(students.items()), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _limits_record(limits: Limits) -> dict[str, Any]:
    return {k: v for k, v in asdict(limits).items() if k != "workdir"}


def grade_shard(
    exercise: Path,
    folder: Path,
    out: Path,
    shard: Shard,
    limits: Limits | None = None,
    workers: int = 0,
    quiet: bool = False,
    keep: str = "reject",
    due: datetime | None = None,
) -> dict:
    """Grade shard ``shard`` of ``folder`` into ``out`` and describe it in ``out/shard.json``
    (``keep`` and ``due`` as for :func:`.batch.grade_folder`)."""
    from .batch import grade_folder

    limits = limits or Limits()
    students = roster(folder, exercise)
    summary = grade_folder(
        exercise, folder, out, limits, workers=workers, quiet=quiet, select=shard.takes, keep=keep, due=due
    )
    mine = sorted(s for s, key in students.items() if shard_of(key, shard.count) == shard.index)
    partial = {
        "format": FORMAT,
        "shard": shard.index,
        "shards": shard.count,
        "exercise": exercise.name,
        "exercise_sha256": file_sha256(exercise),
        "class_sha256": roster_digest(students),
        "class_size": len(students),
        "students": mine,
        "isolation": summary["isolation"],
        "limits": _limits_record(limits),
        "manifest_sha256": summary["manifest_sha256"],
        "timing": {"seconds": summary["seconds"], "workers": summary["workers"]},
    }
    reports.atomic_write(out / PARTIAL, json.dumps(partial, indent=1, ensure_ascii=False) + "\n")
    return {**summary, "shard": str(shard), "students_in_shard": len(mine)}


def _load_partial(folder: Path) -> dict:
    path = folder / PARTIAL
    if not path.is_file():
        raise CourseError(f"{folder}: no {PARTIAL}; it is not the output of grade --shard")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CourseError(f"{path}: unreadable ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CourseError(f"{path}: not a shard description of this grader ({FORMAT})")
    return data


def check_set(folders: list[Path], exercise: Path) -> list[dict]:
    """The partial results of ``folders``, in shard order, or a CourseError naming what is wrong.

    Refused: a folder that is not a shard, or was changed after grading; shards of different
    counts, exercises, classes, isolation or limits; a shard given twice; a shard missing; a shard
    whose students are not the ones its class assigns it.
    """
    if not folders:
        raise CourseError("no shard folders given")
    parts = []
    for folder in folders:
        data = _load_partial(folder)
        problems = manifest.verify(folder, data.get("manifest_sha256"))
        if problems:
            raise CourseError(f"{folder}: changed after grading ({'; '.join(problems)})")
        parts.append((folder, data))
    first_folder, first = parts[0]
    ex_digest = file_sha256(exercise)
    for folder, data in parts:
        if data["exercise"] != exercise.name or data["exercise_sha256"] != ex_digest:
            raise CourseError(
                f"{folder}: graded another exercise ({data['exercise']}, SHA-256 "
                f"{data['exercise_sha256'][:12]}) than {exercise} ({ex_digest[:12]}); foreign shard"
            )
        for field, what in (
            ("shards", "number of shards"),
            ("class_sha256", "class (another folder of submissions, or it changed between shards)"),
            ("isolation", "isolation"),
            ("limits", "limits"),
        ):
            if data[field] != first[field]:
                raise CourseError(
                    f"{folder}: another {what} than {first_folder} "
                    f"({data[field]!r} vs {first[field]!r}); foreign shard"
                )
    count = first["shards"]
    seen: dict[int, Path] = {}
    for folder, data in parts:
        index = data["shard"]
        if not isinstance(index, int) or not 0 <= index < count:
            raise CourseError(f"{folder}: shard index {index!r} is not in 0..{count - 1}")
        if index in seen:
            raise CourseError(f"shard {index}/{count} given twice: {seen[index]} and {folder}")
        seen[index] = folder
    missing = sorted(set(range(count)) - set(seen))
    if missing:
        raise CourseError(
            f"shard(s) {', '.join(f'{i}/{count}' for i in missing)} missing: grade them with "
            f"--shard i/{count} and merge again"
        )
    for folder, data in parts:
        stored = sorted(s["student"] for s in _store(folder)["students"])
        wrong = [s for s in data["students"] if shard_of(identity_key(s), count) != data["shard"]]
        if wrong or stored != sorted(data["students"]):
            raise CourseError(
                f"{folder}: its students do not match shard {data['shard']}/{count} of the class"
            )
    if sum(len(d["students"]) for _, d in parts) != first["class_size"]:
        raise CourseError("the shards together do not hold the whole class; foreign or damaged shard")
    return [d for _, d in sorted(parts, key=lambda p: p[1]["shard"])]


def _store(folder: Path) -> dict:
    return json.loads((folder / "graded.json").read_text(encoding="utf-8"))


def merge_shards(
    folders: list[Path], out: Path, exercise: Path | None = None, solution: Path | None = None
) -> dict:
    """Merge a complete set of shards into ``out``, as one run of the whole folder would write it."""
    from .batch import load_store, write_reports

    if exercise is None:
        exercise = course_root() / "exercises" / _load_partial(folders[0])["exercise"] if folders else Path()
    if not exercise.is_file():
        raise CourseError(f"{exercise}: no such exercise notebook (give it with --exercise)")
    parts = check_set(folders, exercise)
    lesson = lesson_of(nbformat.read(exercise, as_version=4))
    if lesson is None:
        raise CourseError(f"{exercise} is not one of the course's exercise notebooks.")
    graded: list[Graded] = []
    about: dict[str, dict] = {}
    for folder in folders:
        shard_graded, shard_store = load_store(folder)
        graded += shard_graded
        about.update(shard_store.get("submissions", {}))
    info = {"exercise": exercise.name, "isolation": parts[0]["isolation"], "submissions": len(graded)}
    digest = write_reports(graded, questions_for(lesson), out, exercise, solution, info, about)
    return {
        "shards": len(parts),
        "submissions": len(graded),
        "graded": sum(g.status == "graded" for g in graded),
        "manifest_sha256": digest,
        "shard_seconds": [p["timing"]["seconds"] for p in parts],
    }


def timing_free(out: Path) -> dict[str, bytes]:
    """Every file of a results folder with the timing fields (:data:`TIMING_FIELDS`) zeroed.

    Two runs of the same folder, sharded or not, give equal dictionaries; everything else in the
    folder (gradebook, feedback, review files) is compared byte for byte.
    """
    files = {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(out).parts)
        and p.name != PARTIAL
    }
    if "graded.json" in files:
        store = json.loads(files["graded.json"])
        for s in store["students"]:
            s["seconds"] = 0
        files["graded.json"] = json.dumps(store, indent=1, ensure_ascii=False).encode()
    if manifest.MANIFEST in files:
        data = json.loads(files[manifest.MANIFEST])
        data.pop("written", None)
        data.get("files", {}).pop("graded.json", None)
        files[manifest.MANIFEST] = json.dumps(data, indent=1, ensure_ascii=False).encode()
    return files


def shard_command(args: Any, limits: Limits) -> int:
    """``grade EXERCISE FOLDER --shard i/N``: grade one shard and say how to merge."""
    shard = parse_shard(args.shard)
    summary = grade_shard(
        Path(args.exercise),
        Path(args.submissions),
        Path(args.out),
        shard,
        limits,
        args.workers,
        args.quiet,
        getattr(args, "keep", "reject"),
        getattr(args, "due_time", None),
    )
    print(
        f"Shard {summary['shard']}: graded {summary['graded']} of {summary['students_in_shard']} students "
        f"in {summary['seconds']} s; partial result in {args.out} ({PARTIAL})."
    )
    print(
        f"When every shard 0..{shard.count - 1} is done: {course_command('merge-shards')} "
        f"SHARD_FOLDERS... --exercise {args.exercise} --out results"
    )
    return 0


def configure_merge_shards(parser: argparse.ArgumentParser) -> None:
    """The ``merge-shards`` job's arguments."""
    parser.add_argument("shards", nargs="+", help="the --out folders of grade --shard i/N, one per i")
    parser.add_argument("--out", default="results", help="the merged results folder (default: results)")
    parser.add_argument(
        "--exercise", help="the exercise notebook (default: exercises/<the name the shards graded>)"
    )
    parser.set_defaults(run=merge_shards_command)


def merge_shards_command(args: argparse.Namespace) -> int:
    """``merge-shards SHARD...``: refuse a broken set with its reason, or write one results folder."""
    exercise = Path(args.exercise) if args.exercise else None
    summary = merge_shards([Path(s) for s in args.shards], Path(args.out), exercise)
    print(
        f"Merged {summary['shards']} shards: {summary['graded']} of {summary['submissions']} submissions "
        f"graded. Results in {args.out}; manifest SHA-256 {summary['manifest_sha256']}."
    )
    return 0
