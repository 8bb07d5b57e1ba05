"""One kernel factory (zygote) a grading run, shared by its workers, and the same marks without it.

A batch run starts one zygote in its main process and every pool worker asks it for kernels
(``defection_course.grading.zygote``): the imports a kernel needs are paid once a run, not once
a worker. Three runs of the same class are compared: the zygote shared; the shared zygote dead
before any worker uses it (each worker then starts its own); and no zygote at all (each kernel
a fresh interpreter, the path of a system without pidfds). Who started a zygote is read from a
spy on its constructor, which the forked workers inherit; whether it is gone afterwards, from
``/proc``.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest
from support.grader import read_gradebook
from support.submissions import EXERCISE, solution

from defection_course.grading import batch, isolation, zygote

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not zygote.supported(), reason="no pidfds: kernels are never forked here"),
    pytest.mark.skipif(not isolation.probe().available, reason="no OS isolation on this machine"),
]

SUBMISSIONS = {
    "right": solution(),
    "crashes": solution(extra="1 / 0"),
    "writes": solution(q17="answer_q1_7 = 'The flow through China began in the late 1990s.'"),
    "wrong": solution(after_q1_1="arrived_by_2016 = -1"),
}
CASES = ("shared", "gone", "none")


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return False


def _grade(case: str, base: Path) -> dict:
    """Grade the class with 2 workers; the gradebook, the zygotes started (by whom) and the summary."""
    subs, out, log = base / case / "subs", base / case / "out", base / case / "started.jsonl"
    subs.mkdir(parents=True)
    for name, text in SUBMISSIONS.items():
        (subs / f"{name}.ipynb").write_text(text, encoding="utf-8")
    constructor, start = zygote.Zygote.__init__, zygote.start

    def spy(self: zygote.Zygote, workdir: Path, env: dict[str, str]) -> None:
        constructor(self, workdir, env)
        with log.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps({"by": os.getpid(), "zygote": self.pid}) + "\n")

    def start_then_die(workdir: Path, env: dict[str, str]) -> zygote.Zygote | None:
        factory = start(workdir, env)
        if factory is not None and os.getpid() == main:  # the run's zygote dies before any worker asks
            os.kill(factory.pid, signal.SIGKILL)
            deadline = time.monotonic() + 30
            while Path(f"/proc/{factory.pid}").exists() and not _zombie(factory.pid):
                assert time.monotonic() < deadline, "the killed zygote did not exit"
                time.sleep(0.01)
        return factory

    main = os.getpid()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(zygote.Zygote, "__init__", spy)
        if case == "gone":
            mp.setattr(zygote, "start", start_then_die)
        if case == "none":
            mp.setattr(zygote, "supported", lambda: False)
        summary = batch.grade_folder(EXERCISE, subs, out, workers=2, quiet=True)
    started = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    return {"rows": read_gradebook(out), "started": started, "summary": summary, "main": main}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    base = tmp_path_factory.mktemp("zygote")
    return {case: _grade(case, base) for case in CASES}


def test_one_zygote_started_by_the_run_serves_both_workers(runs: dict[str, dict]) -> None:
    run = runs["shared"]
    assert [s["by"] for s in run["started"]] == [run["main"]], run["started"]
    assert run["summary"]["graded"] == len(SUBMISSIONS) and run["summary"]["stragglers"] == 0, run["summary"]
    pid = run["started"][0]["zygote"]
    assert not Path(f"/proc/{pid}").exists(), "the run's zygote was not ended and reaped"


def test_a_worker_whose_zygote_died_starts_its_own(runs: dict[str, dict]) -> None:
    run = runs["gone"]
    by = [s["by"] for s in run["started"]]
    assert by[0] == run["main"] and len(by) >= 2 and run["main"] not in by[1:], run["started"]
    # (a worker's own zygote dies with the worker, a moment later: the sweep may still meet it)
    assert run["summary"]["graded"] == len(SUBMISSIONS), run["summary"]


def test_without_pidfds_no_zygote_is_started(runs: dict[str, dict]) -> None:
    assert runs["none"]["started"] == []
    assert runs["none"]["summary"]["stragglers"] == 0


def test_every_way_of_starting_kernels_gives_the_same_gradebook(runs: dict[str, dict]) -> None:
    shared = runs["shared"]["rows"]
    assert set(shared) == set(SUBMISSIONS)
    right = shared["right"]
    assert right["status"] == "graded" and right["auto_score"] == right["auto_max"]
    assert shared["wrong"]["q1_1"] == "0" and "ZeroDivisionError" in json.dumps(shared["crashes"])
    for case in CASES[1:]:
        assert runs[case]["rows"] == shared, case
