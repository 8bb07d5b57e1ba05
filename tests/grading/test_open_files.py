"""A notebook that uses up its open files is graded at once, with the reason, and nothing it did
before is lost.

ipykernel opens a ZeroMQ socket for a thread on its first output (its output thread too, on its
first flush). Opened after a notebook had taken every descriptor, that failed: the output thread
stopped in the middle of its queue, each later flush waited 10 s (``OutStream.flush_timeout``) and
in about one run in six the kernel hung until the notebook's time limit. The sandbox now opens
them before any student code runs (``sandbox.open_output_pipes``). The family below takes the
descriptors at different moments (before any output, after one, in a later answer) and then lets
output leave the kernel every way it can (print, figure, a write to file descriptor 1, a warning,
a thread's print, rich display, an error), graded in one real run (forked kernels, isolated). Each must
finish well inside the 10 s a stalled flush took, say why answers are missing, and keep the marks
of the answers read before.
"""

from __future__ import annotations

import json

import pytest
from ipykernel.iostream import OutStream
from support.grader import read_gradebook
from support.submissions import EXERCISE, solution

from defection_course.grading import batch, isolation

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not isolation.probe().available, reason="no OS isolation on this machine"),
]

TAKE_ALL = (
    "import os\nheld = []\ntry:\n    while True:\n"
    "        held.append(os.open('/dev/null', os.O_RDONLY))\nexcept OSError:\n    pass\n"
)
#: where the descriptors are taken (appended to that question's answer cell), and what follows
FAMILY = {
    "first_answer_before_any_output": ("q1_1", TAKE_ALL),
    "after_an_output": ("q1_1", "print('before')\n" + TAKE_ALL),
    "then_a_print": ("q1_1", TAKE_ALL + "print('after')\n"),
    "in_a_later_answer": ("q1_5", TAKE_ALL),
    "before_a_figure": ("q1_3", TAKE_ALL + "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()\n"),
    # every other way output leaves a kernel: below Python, on stderr, from another thread, as
    # rich display, as an error
    "then_a_write_to_fd_1": ("q1_2", TAKE_ALL + "os.write(1, b'low-level output\\n')\n"),
    "then_a_warning": ("q1_2", TAKE_ALL + "import warnings\nwarnings.warn('careful')\n"),
    "then_a_print_from_a_thread": (
        "q1_2",
        TAKE_ALL + "import threading\nt = threading.Thread(target=print, args='a')\nt.start(); t.join()\n",
    ),
    "then_html": ("q1_2", TAKE_ALL + "from IPython.display import HTML, display\ndisplay(HTML('<b>'))\n"),
    "then_an_error": ("q1_2", TAKE_ALL + "raise ValueError('boom')\n"),
}
#: a flush stalled this long before the fix; every submission here must be graded well inside it
FLUSH_TIMEOUT = float(OutStream.flush_timeout)


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp("open-files")
    subs, out = base / "subs", base / "out"
    subs.mkdir()
    for name, (qid, code) in FAMILY.items():
        (subs / f"{name}.ipynb").write_text(solution(after={qid: code}), encoding="utf-8")
    batch.grade_folder(EXERCISE, subs, out, workers=2, quiet=True)
    records = {r["student"]: r for r in json.loads((out / "graded.json").read_text())["students"]}
    return {"rows": read_gradebook(out), "records": records}


@pytest.mark.parametrize("name", sorted(FAMILY))
def test_a_notebook_out_of_files_is_graded_at_once_and_says_why(graded: dict, name: str) -> None:
    row, record = graded["rows"][name], graded["records"][name]
    assert record["seconds"] < FLUSH_TIMEOUT - 2, f"{name}: {record['seconds']:.1f} s (a stalled flush)"
    assert "time limit" not in row["reason"], row["reason"]
    assert "open-file limit" in row["reason"], row["reason"]


def test_answers_read_before_the_files_ran_out_keep_their_marks(graded: dict) -> None:
    row = graded["rows"]["in_a_later_answer"]
    assert [row[q] for q in ("q1_1", "q1_2", "q1_3", "q1_4")] == ["1"] * 4, row
    assert row["q1_5"] == "0", row
