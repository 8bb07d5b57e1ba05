"""The hand-out for graded work: ``python -m defection_course handout OUT`` (``make handout``).

It writes what students should get when the exercises are marked, and nothing that holds an
answer: the lessons, the exercises, the data, the helper package (with the question keys only as
salted hashes) and what ``make lab`` needs. Left out: ``solutions/`` (worked answers, model
answers, rubrics), ``tests/`` (``tests/generated/qN.answer_cases.json`` hold every expected value),
the instructor guide, the teaching guide, the site sources, the benchmarks, and the package's
``authoring`` and ``grading`` parts (teachers' tools, not needed to run a notebook or a check).

The course is open: its start page says, in one paragraph ("Worked solutions."), when and where a
learner sees the solutions (after handing in; in the course's repository for self-learners). In
the hand-out that paragraph and the lines naming the teachers' guides are removed
(:data:`SOLUTION_LINES`), and a course-map column that links solutions would be dropped. The test
``tests/tooling/test_handout.py`` searches the output for every expected value's text, every
model-answer sentence and every link to a solution.
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

import nbformat

from .errors import CourseError
from .paths import course_root

#: top-level files copied as they are
FILES = (
    "LICENSE",
    "LICENSE-CONTENT.md",
    "CITATION.cff",
    "Makefile",
    "requirements.txt",
    "environment.yml",
    "pyproject.toml",
    "course.yml",  # the list of lessons (the demo dashboard reads it)
)
#: folders copied whole (hidden files and caches skipped)
FOLDERS = ("data", "exercises", "jupyter-settings")
#: parts of the package a student does not need and that are built from the solutions
PACKAGE_LEFT_OUT = ("authoring", "grading")
#: lesson files left out: the instructor guide discusses the answers
LESSONS_LEFT_OUT = ("instructor_guide.md",)
#: sentences of the open course that point to the solutions (removed from the hand-out's copies)
SOLUTION_LINES = (
    re.compile(r"^\*\*Worked solutions\.\*\*[^\n]*\n?", re.M),  # the start page's one paragraph on them
    re.compile(r"^[^\n]*(?:instructor_guide\.md|docs/teaching\.md)[^\n]*\n?", re.M),  # not handed out
)
README = """# Leaving North Korea: exercises

This folder holds the lessons (`notebooks/`), the exercises to hand in (`exercises/`), the data
(`data/`) and the course's helper package (`defection_course/`).

Open the course with `make lab` (it installs the pinned packages into `.venv` on the first run),
start with `notebooks/00_start_here.ipynb`, then work through the exercise your teacher set.
Each check cell tells you whether an answer is right without showing it. Restart the kernel and
run all cells before you hand in the notebook.
"""


def _ignore(_folder: str, names: list[str]) -> set[str]:
    return {n for n in names if n.startswith(".") or n in ("__pycache__", ".ipynb_checkpoints")}


def scrub(text: str) -> str:
    """Text of a lesson or exercise without the sentences and links that lead to the solutions."""
    for pattern in SOLUTION_LINES:
        text = pattern.sub("", text)
    return _TABLE.sub(_drop_solution_column, text)


_TABLE = re.compile(r"(?:^\|[^\n]*(?:\n|$))+", re.M)


def _drop_solution_column(table: re.Match) -> str:
    """A Markdown table without the column that links the solutions (the course map)."""
    rows = [line.split("|") for line in table.group(0).rstrip("\n").split("\n")]
    width = min(len(r) for r in rows)
    gone = [i for i in range(width) if any("solutions/" in r[i] or r[i].strip() == "Solutions" for r in rows)]
    if not gone:
        return table.group(0)
    kept = ["|".join(c for i, c in enumerate(r) if i not in gone) for r in rows]
    return "\n".join(kept) + ("\n" if table.group(0).endswith("\n") else "")


def _scrub_notebook(src: Path, dest: Path) -> None:
    nb = nbformat.read(src, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = scrub(cell.source)
    nbformat.write(nb, dest)


def write_handout(out: Path, root: Path | None = None) -> list[str]:
    """Write the hand-out into ``out`` (which must not exist or be empty); return its file list."""
    root = root or course_root()
    if out.exists() and any(out.iterdir()):
        raise CourseError(f"{out} is not empty: give a new folder for the hand-out.")
    if out.resolve() == root.resolve() or root.resolve() in out.resolve().parents:
        raise CourseError(f"{out} is inside the course: give a folder outside it.")
    out.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        if (root / name).is_file():
            shutil.copy2(root / name, out / name)
    (out / "README.md").write_text(README, encoding="utf-8")
    for name in FOLDERS:
        shutil.copytree(root / name, out / name, ignore=_ignore)
    package = root / "defection_course"
    shutil.copytree(
        package,
        out / "defection_course",
        ignore=lambda folder, names: (
            _ignore(folder, names)
            | ({n for n in names if n in PACKAGE_LEFT_OUT} if Path(folder) == package else set())
        ),
    )
    (out / "notebooks").mkdir()
    for src in sorted((root / "notebooks").iterdir()):
        if src.name in LESSONS_LEFT_OUT or src.name.startswith("."):
            continue
        if src.is_dir():
            shutil.copytree(src, out / "notebooks" / src.name, ignore=_ignore)
        elif src.suffix == ".ipynb":
            _scrub_notebook(src, out / "notebooks" / src.name)
        else:
            (out / "notebooks" / src.name).write_text(
                scrub(src.read_text(encoding="utf-8")), encoding="utf-8"
            )
    for src in sorted((out / "exercises").glob("*.ipynb")):
        _scrub_notebook(src, src)
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())


def configure(parser: argparse.ArgumentParser) -> None:
    """The ``handout`` job's arguments."""
    parser.add_argument("out", help="a new folder to write the hand-out into, e.g. build/handout")
    parser.add_argument("--list", action="store_true", help="print every file written")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Write the hand-out and say what is in it and what was left out."""
    files = write_handout(Path(args.out))
    if args.list:
        print("\n".join(files))
    print(
        f"wrote {len(files)} files to {args.out}: lessons, exercises, data and the package. Left out: "
        "solutions/, tests/ (answer cases), the instructor and teaching guides, rubrics and model "
        "answers, the package's authoring/ and grading/ tools. Zip the folder (or push it to a "
        "repository of its own) and hand that out."
    )
    return 0
