"""One grading run of a hostile class: every attack on the trusted side's files, names and marks.

The class is graded once, from inside its own submissions folder (as a teacher who ``cd``s into
the collected folder would), next to a folder of "teacher" files that the submissions attack:

* clean-up: a kernel swaps its runtime folder for a link to the teacher's Jupyter data; another
  plants links to the teacher's files inside a folder it makes read-only (``0500``); another
  leaves a 3,000-deep tree in its scratch folder;
* names: ``Alice``/``alice`` and ``José`` in NFC and NFD (one student each), a name with a line
  break, a name ending with a space, a 240-byte name, an overlong name, a name that is not UTF-8;
* links in the submissions folder: a file linked to the solution, a student folder linked to
  ``solutions/``;
* a peer's notebook read through ``sys.path``;
* HTML payloads in names, answers and exception texts, for every output format.

Then the signed results: tampered ``graded.json`` refused by merge-marks, report and lms-export;
marks keyed by identity; the new digest printed by merge-marks passes ``verify --sha256``.
"""

from __future__ import annotations

import copy
import csv
import json
import os
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

import nbformat
import pytest
from support import ROOT, cli
from support.teacher_files import snapshot, teacher_folder

EXERCISE = ROOT / "exercises" / "01_defection_history.ipynb"
SOLUTION = ROOT / "solutions" / "01_defection_history.ipynb"
pytestmark = pytest.mark.slow

XSS = ["<img src=x onerror=alert(1)>", "<svg onload=alert(1)>", "<script>alert(1)"]
JOSE_NFC, JOSE_NFD = unicodedata.normalize("NFC", "José"), unicodedata.normalize("NFD", "José")
LONG_OK = "é" * 120  # 240 bytes: a name that broke the feedback file (File name too long)
LONG_BAD = "a" * 240  # longer than any platform's name: refused with a reason
NEWLINE = "zed\nbob"
ANSWER = "answer_q1_7"


def _solution(extra: str = "", answer: str | None = None, cell: str = "") -> str:
    nb = copy.deepcopy(nbformat.read(SOLUTION, as_version=4))
    for c in nb.cells:
        if c.cell_type == "code":
            c.outputs, c.execution_count = [], None
        meta = c.metadata.get("defection_course", {})
        if answer is not None and "answer" in c.metadata.get("tags", []) and meta.get("question") == "q1_7":
            c.source = f"{ANSWER} = {answer}\n"
    if cell:
        nb.cells.insert(1, nbformat.v4.new_code_cell(cell))
    return nbformat.writes(nb)


def _attacks(teacher: Path) -> dict[str, str]:
    """Code cells that plant links for the grader's clean-up. They call libc through ctypes, as the
    red team did: the kernel's Python audit hook refuses ``os.symlink`` to a path outside the
    scratch folder, but the operating system lets a kernel create any link inside it."""
    libc = "import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\n"
    root = 'os.environ["DEFECTION_COURSE_ROOT"]'

    def link(target: Path, name: str) -> str:
        return f"assert libc.symlink({str(target).encode()!r}, ({name}).encode()) == 0, ctypes.get_errno()\n"

    return {
        "swaps_runtime": libc
        + "rt = os.environ['JUPYTER_RUNTIME_DIR']\n"
        + "assert libc.rename(rt.encode(), (rt + '.old').encode()) == 0, ctypes.get_errno()\n"
        + link(teacher / "jupyter", "rt"),
        "locks_a_link": libc
        + f"d = os.path.join({root}, 'locked')\nos.mkdir(d)\n"
        + link(teacher / "notes.txt", "os.path.join(d, 'notes')")
        + link(teacher / "sub", "os.path.join(d, 'dir')")
        + link(teacher, f"os.path.join({root}, 'all')")
        + "assert libc.chmod(d.encode(), 0o500) == 0, ctypes.get_errno()\n",
        "deep_tree": libc
        + f"here = os.getcwd()\nassert libc.chdir({root}.encode()) == 0\n"
        + "for _ in range(3000):\n    assert libc.mkdir(b'd', 0o700) == 0 and libc.chdir(b'd') == 0\n"
        + "os.chdir(here)\n",
    }


PEEK = (
    "import os, sys\nseen = []\nfor p in sys.path:\n    try:\n"
    "        seen.append(open(os.path.join(p or '.', 'correct.ipynb')).read()[:40])\n"
    "    except OSError:\n        pass\n"
)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    home = tmp_path_factory.mktemp("hostile")
    teacher = teacher_folder(home)
    before = snapshot(teacher)
    subs = home / "subs"
    subs.mkdir()
    files: dict[str | bytes, str] = {
        "correct": _solution(),
        "carol": _solution(answer=repr("carol's own answer, long enough to be recorded for marking.")),
        "bob ": _solution(answer=repr("bob's own answer, long enough to be recorded for marking here.")),
        NEWLINE: _solution(),
        "Alice": _solution(),
        "alice": _solution(),
        JOSE_NFC: _solution(),
        JOSE_NFD: _solution(),
        LONG_OK: _solution(),
        LONG_BAD: _solution(),
        b"bad\xff": _solution(),
        XSS[0]: _solution(
            answer=repr(f"{XSS[2]}</script> {XSS[1]} " * 3),
            cell=f"raise ValueError({XSS[0]!r})",
        ),
        XSS[1]: _solution(),
        XSS[2]: _solution(),
        "peeks": _solution(answer="repr(seen) + ' ' * 60", cell=PEEK),
        **{name: _solution(cell=code) for name, code in _attacks(teacher).items()},
    }
    for name, text in files.items():
        raw = name if isinstance(name, bytes) else name.encode()
        with open(os.path.join(bytes(subs), raw + b".ipynb"), "w", encoding="utf-8") as fh:
            fh.write(text)
    (subs / "linked.ipynb").symlink_to(SOLUTION)
    (subs / "nbstudent").symlink_to(ROOT / "solutions", target_is_directory=True)
    out = home / "results"
    scratch = Path(tempfile.mkdtemp(prefix="hc-", dir="/tmp"))  # short: the kernels' socket paths
    run = subprocess.run(
        [sys.executable, "-m", "defection_course", "grade", str(EXERCISE), ".", "--out", str(out)]
        + ["--workers", "2", "--quiet", "--cell-timeout", "20", "--notebook-timeout", "60"],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=subs,  # the teacher grades from inside the collected folder
        env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(scratch)},
    )
    left = sorted(os.listdir(scratch))
    os.rmdir(scratch) if not left else None
    with (out / "gradebook.csv").open(encoding="utf-8", newline="") as fh:
        rows = {r["student"]: r for r in csv.DictReader(fh)}
    store = json.loads((out / "graded.json").read_text(encoding="utf-8"))
    return {
        "run": run,
        "rows": rows,
        "store": {s["student"]: s for s in store["students"]},
        "out": out,
        "teacher": teacher,
        "before": before,
        "after": snapshot(teacher),
        "left": left,
    }


def _cli(*args: str) -> subprocess.CompletedProcess:
    return cli.run(*args)  # in this process (tests/support/cli.py); the grading above is a subprocess


def test_the_class_gets_a_gradebook_and_a_manifest(hostile):
    assert hostile["run"].returncode == 0, hostile["run"].stderr[-3000:]
    assert (hostile["out"] / "manifest.json").is_file()
    assert _cli("verify", str(hostile["out"])).returncode == 0


def test_teacher_files_are_untouched_content_and_modes(hostile):
    assert hostile["after"] == hostile["before"]


def test_the_attacking_submissions_are_still_graded_and_their_attacks_ran(hostile):
    for name in ("swaps_runtime", "locks_a_link", "deep_tree"):
        assert hostile["rows"][name]["status"] == "graded", hostile["rows"][name]
        assert hostile["rows"][name]["auto_score"] == "6", hostile["rows"][name]
        assert "raised" not in hostile["rows"][name]["reason"], hostile["rows"][name]  # the links were made


def test_no_scratch_folder_is_left_behind(hostile):
    assert hostile["left"] == []


def test_names_differing_only_in_case_or_unicode_form_are_one_row_naming_both_files(hostile):
    rows = hostile["rows"]
    for a, b in (("Alice", "alice"), (JOSE_NFC, JOSE_NFD)):
        matching = [k for k in rows if unicodedata.normalize("NFC", k).casefold() == a.casefold()]
        assert len(matching) == 1, matching
        row = rows[matching[0]]
        assert row["status"] == "rejected" and "2 files for this student" in row["reason"]
        assert f"{a}.ipynb" in row["reason"] and f"{b}.ipynb" in row["reason"]


@pytest.mark.parametrize(
    "name, fragment",
    [
        ("zed\\u000abob", "line break or control character (U+000A)"),
        ("bad\\xff", "not valid text"),
    ],
)
def test_names_that_are_not_identities_are_their_own_rejected_rows(hostile, name, fragment):
    row = hostile["rows"][name]
    assert row["status"] == "rejected" and fragment in row["reason"]


def test_a_240_byte_name_is_graded_and_an_overlong_one_is_a_row_with_a_reason(hostile):
    rows = hostile["rows"]
    assert rows[LONG_OK]["status"] == "graded" and rows[LONG_OK]["auto_score"] == "6"
    (bad,) = [k for k in rows if k.startswith("a" * 60)]
    assert rows[bad]["status"] == "rejected" and "240 characters long" in rows[bad]["reason"]
    names = [p.name for p in (hostile["out"] / "feedback").iterdir()]
    assert all(len(n.encode()) <= 70 for n in names) and len(names) == 2 * len(rows)  # .md and .html
    assert {n.rsplit(".", 1)[0] for n in names if n.endswith(".md")} == {
        n.rsplit(".", 1)[0] for n in names if n.endswith(".html")
    }


def test_links_in_the_submissions_folder_are_refused_with_a_reason(hostile):
    for name in ("linked", "nbstudent"):
        row = hostile["rows"][name]
        assert row["status"] == "rejected" and "symbolic link" in row["reason"], row


def test_a_submission_cannot_read_a_peer_through_sys_path(hostile):
    answer = hostile["store"]["peeks"]["answers"]["q1_7"]
    assert answer.startswith("[]"), answer


def test_marks_follow_the_identity_not_the_line_or_the_spelling(hostile, tmp_path):
    import shutil

    out = tmp_path / "results"
    shutil.copytree(hostile["out"], out)
    review = out / "review" / "q1_7.md"
    text = review.read_text(encoding="utf-8")
    assert "## Student: bob\n" in text and "## Student: carol\n" in text
    for student, mark in (("bob", "4"), ("carol", "2.5")):
        head, _, rest = text.partition(f"## Student: {student}\n")
        marked = rest.replace("Mark:  / 4", f"Mark: {mark} / 4", 1)
        text = head + f"## Student: {student.upper()}  \n" + marked  # another case, trailing spaces
    review.write_text(text, encoding="utf-8")
    merged = _cli("merge-marks", str(out))
    assert merged.returncode == 0, merged.stderr
    with (out / "gradebook.csv").open(encoding="utf-8", newline="") as fh:
        rows = {r["student"]: r for r in csv.DictReader(fh)}
    assert rows["bob"]["q1_7"] == "4" and rows["carol"]["q1_7"] == "2.5"
    assert rows["zed\\u000abob"]["q1_7"] == ""
    digest = merged.stdout.split("SHA-256 ")[1].split(")")[0]
    assert _cli("verify", str(out), "--sha256", digest).returncode == 0


def test_tampered_results_are_refused_by_merge_report_and_lms_export(hostile, tmp_path):
    import shutil

    out = tmp_path / "results"
    shutil.copytree(hostile["out"], out)
    store = out / "graded.json"
    data = json.loads(store.read_text(encoding="utf-8"))
    data["students"][0]["status"] = "graded"  # a rejected file made to look graded
    store.write_text(json.dumps(data), encoding="utf-8")
    book = (out / "gradebook.csv").read_text(encoding="utf-8")
    manifest_before = (out / "manifest.json").read_text(encoding="utf-8")
    for args in (
        ["merge-marks", str(out)],
        ["report", str(out)],
        ["lms-export", str(out), "--lms", "canvas", "--out", str(tmp_path / "c.csv")],
    ):
        done = _cli(*args)
        assert done.returncode == 2 and "graded.json was changed after grading" in done.stderr, done
    assert (out / "gradebook.csv").read_text(encoding="utf-8") == book
    assert (out / "manifest.json").read_text(encoding="utf-8") == manifest_before  # not re-signed
    assert not (tmp_path / "c.csv").exists() and not (out / "report.html").exists()


def _md_and_html(hostile, tmp_path) -> dict[str, str]:
    out = hostile["out"]
    done = _cli("report", str(out), "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    texts = {p.name: p.read_text(encoding="utf-8") for p in (out / "feedback").iterdir()}
    texts |= {p.name: p.read_text(encoding="utf-8") for p in (out / "review").iterdir()}
    nb = nbformat.read(tmp_path / "report.ipynb", as_version=4)
    texts["report.ipynb"] = "\n".join(c.source for c in nb.cells)
    texts["report.html"] = (tmp_path / "report.html").read_text(encoding="utf-8")
    return texts


def test_student_html_is_inert_in_every_output(hostile, tmp_path):
    texts = _md_and_html(hostile, tmp_path)
    for tag in ("<img src=x", "<svg", "<script", "</script"):  # the report's own figures are <img src="
        for name, text in texts.items():
            assert tag not in text, (name, tag)
    joined = "\n".join(texts.values())
    assert "&lt;img src=x onerror=alert(1)&gt;" in joined  # shown, as text
