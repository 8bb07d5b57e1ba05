"""A manifest of a results folder (SHA-256 of the gradebook, the store and every feedback file).

The grader writes ``manifest.json`` last, after every kernel of the run is gone, and prints the
manifest's own SHA-256 so the teacher can note it. ``python -m defection_course verify RESULTS``
recomputes every hash and lists what changed, disappeared or was added. Review files are not
listed: the teacher edits them (marks) on purpose; ``merge-marks`` rewrites the manifest together
with the gradebook.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

from ..errors import CourseError
from . import reports

MANIFEST = "manifest.json"
COVERED = ("gradebook.csv", "graded.json")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def covered_files(out: Path) -> list[Path]:
    """The files a manifest lists: gradebook, store and every feedback file."""
    files = [out / name for name in COVERED if (out / name).exists()]
    feedback = out / "feedback"
    if feedback.is_dir():
        files += sorted(p for p in feedback.iterdir() if p.is_file() and not p.name.startswith("."))
    return files


def write(out: Path, info: dict) -> str:
    """Write ``out/manifest.json`` (hashes plus ``info``); return the manifest's own SHA-256."""
    files = {p.relative_to(out).as_posix(): sha256(p) for p in covered_files(out)}
    data = {
        "algorithm": "sha256",
        "written": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        **info,
        "files": files,
    }
    text = json.dumps(data, indent=1, ensure_ascii=False, sort_keys=False) + "\n"
    reports.atomic_write(out / MANIFEST, text)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load(out: Path) -> dict:
    path = out / MANIFEST
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def verify(out: Path, expected_sha: str | None = None) -> list[str]:
    """Problems found in a results folder (an empty list means it is exactly as the grader wrote it)."""
    path = out / MANIFEST
    if not path.exists():
        return [f"{path} is missing: this folder was not written by the grader, or was changed"]
    problems = []
    if expected_sha and sha256(path) != expected_sha.lower():
        problems.append("manifest.json itself is not the one the grader printed (its SHA-256 differs)")
    listed: dict[str, str] = load(out).get("files", {})
    for name, digest in listed.items():
        p = out / name
        if not p.exists():
            problems.append(f"{name} is missing")
        elif sha256(p) != digest:
            problems.append(f"{name} was changed after grading")
    for p in covered_files(out):
        name = p.relative_to(out).as_posix()
        if name not in listed:
            problems.append(f"{name} was added after grading")
    return problems


def require_intact(out: Path, expected_sha: str | None = None, doing: str = "use these results") -> None:
    """Refuse (:class:`CourseError` with every reason) to ``doing`` on a results folder that no
    longer matches its manifest: results are treated as signed, and nothing re-signs them unseen."""
    if not (out / "graded.json").exists():
        raise CourseError(f"{out / 'graded.json'} not found: run the grade command with --out {out} first.")
    problems = verify(out, expected_sha)
    if problems:
        raise CourseError(
            f"will not {doing}: {out} does not match its manifest (graded.json, gradebook.csv and the "
            "feedback are signed by it when the grader writes them):\n  "
            + "\n  ".join(problems)
            + "\nGrade the submissions again, or restore the files the grader wrote."
        )
