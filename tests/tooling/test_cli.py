"""One command line for every job, with the same exit codes: 0 done, 1 check failed, 2 usage or input error.

Every job in the registry is driven through ``main`` (in this process, so it is quick) with its
``--help``, with an option it does not have, and where it reads files, with missing and damaged
ones; the "out of date" code is checked on copies of the course with a real change in them.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT

from defection_course import cli
from defection_course.grading import limits

JOBS = sorted(cli.JOBS)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out + out.err


def test_the_entry_point_lists_every_job_and_the_exit_codes():
    result = subprocess.run(
        [sys.executable, "-m", "defection_course", "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    for job in JOBS:
        assert f"\n    {job}" in result.stdout
    assert " ".join(cli.EXIT_CODES.split()) in " ".join(result.stdout.split())


def test_the_registry_names_importable_configure_functions():
    """Each job's parser is built next to its code, from the function the registry names."""
    for job in JOBS:
        module, function = cli.JOBS[job].configure.split(":")
        assert module.startswith("defection_course.") and function, job
    parser = cli.parser()  # every job configured: a wrong name fails here
    assert parser.prog == "python -m defection_course"


@pytest.mark.parametrize("job", JOBS)
def test_every_job_documents_the_exit_codes_in_its_help(capsys, job):
    code, text = _run(capsys, job, "--help")
    assert code == cli.OK
    assert " ".join(cli.EXIT_CODES.split()) in " ".join(text.split())
    assert "Traceback" not in text


@pytest.mark.parametrize("job", JOBS)
def test_an_unknown_option_is_a_usage_error(capsys, job):
    code, text = _run(capsys, job, "--no-such-option")
    assert code == cli.USAGE_ERROR
    assert "unrecognized arguments" in text or "required" in text


@pytest.mark.parametrize(
    "argv", [[], ["no-such-job"], ["--timeout", "3"]], ids=["nothing", "unknown", "option"]
)
def test_no_job_or_an_unknown_job_is_a_usage_error(capsys, argv):
    code, text = _run(capsys, *argv)
    assert code == cli.USAGE_ERROR and "usage:" in text


# ----------------------------------------------------------------------------- the grader's limits
@pytest.mark.parametrize("field", [f.name for f in limits.declared()])
@pytest.mark.parametrize("value", ["0", "-5", "abc", "1e99x"])
def test_every_limit_flag_refuses_a_value_that_is_not_above_zero(capsys, tmp_path, field, value):
    code, text = _run(capsys, "grade", "ex.ipynb", str(tmp_path), limits.flag(field), value)
    assert code == cli.USAGE_ERROR
    assert limits.flag(field) in text


def test_the_grade_flags_and_their_help_come_from_the_declaration():
    grade = argparse.ArgumentParser()
    cli.configure("grade", grade)
    by_dest = {a.dest: a for a in grade._actions}
    for f in limits.declared():
        action = by_dest[f.name]
        assert action.option_strings == [limits.flag(f.name)]
        assert action.default == f.default
        assert f.metadata["help"] in action.help and limits.describe(f.name) in action.help
    args = grade.parse_args(["e.ipynb", "subs", "--cell-timeout", "7", "--memory-mb", "512"])
    chosen = limits.from_arguments(args)
    unchanged = limits.Limits.notebook_timeout
    assert (chosen.cell_timeout, chosen.memory_mb, chosen.notebook_timeout) == (7, 512, unchanged)


# ----------------------------------------------------------------------------- input errors: 2
def _damaged(tmp_path: Path) -> Path:
    path = tmp_path / "damaged.ipynb"
    path.write_text('{"cells": [', encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "argv",
    [
        ["execute", "{missing}"],
        ["execute", "{damaged}"],
        ["sync", "{missing}"],
        ["grade", "{missing}", "{tmp}"],
        ["grade", str(ROOT / "exercises" / "01_defection_history.ipynb"), "{missing}"],
        ["verify", "{missing}"],
        ["merge-marks", "{tmp}"],
        ["report", "{tmp}"],
        ["lms-export", "{tmp}", "--lms", "canvas", "--out", "{tmp}/marks.csv"],
        ["build-exercises", "--no-execute", "--only", "99"],
    ],
    ids=lambda argv: " ".join(a.rsplit("/", 1)[-1].strip("{}") for a in argv),
)
def test_a_missing_or_damaged_input_is_an_input_error_with_a_message(capsys, tmp_path, argv):
    names = {
        "missing": str(tmp_path / "no-such-file"),
        "damaged": str(_damaged(tmp_path)),
        "tmp": str(tmp_path),
    }
    code, text = _run(capsys, *(a.format(**names) for a in argv))
    assert code == cli.USAGE_ERROR, text
    assert text.startswith(("error:", "Cannot grade:")) or "graded.json not found" in text
    assert "Traceback" not in text


# ----------------------------------------------------------------------------- out of date: 1, in step: 0
@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of what the authoring jobs read (data, pins, notebooks, lesson lists), in place of the real."""
    for folder in ("data", "notebooks", "solutions"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    for name in ("requirements.txt", "requirements-test.txt", "environment.yml", "course.yml", "README.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "docs").mkdir()
    shutil.copy(ROOT / "docs" / "teaching.md", tmp_path / "docs" / "teaching.md")
    monkeypatch.setenv("DEFECTION_COURSE_ROOT", str(tmp_path))
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    "job, edit",
    [
        ("build-data", ("data/arrivals_annual.csv", "\n2016,", "\n2016 ,")),
        ("build-data", ("data/schemas/purges.yaml", "description: ", "description: (edited) ")),
        ("sync-environment", ("requirements-test.txt", "\n", "\nnbval==0.11.0\n")),
        ("sync", ("notebooks/01_defection_history.md", "\n# ", "\n# Edited: ")),
        ("sync", ("course.yml", "title: The purge shift", "title: Purges")),  # the lesson lists
        (
            "sync",
            (
                "solutions/03_purge_shift.md",
                "```{code-cell} ipython3\n",
                "```{code-cell} ipython3\n# edited\n",
            ),
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else v[0],
)
def test_check_exits_0_when_in_step_and_1_after_a_change(capsys, course, job, edit):
    code, text = _run(capsys, job, "--check")
    assert code == cli.OK, text
    name, old, new = edit
    _edit(course / name, old, new)
    code, text = _run(capsys, job, "--check")
    assert code == cli.CHECK_FAILED, text
    assert "out of date" in text


def test_a_notebook_whose_cell_fails_is_a_failed_check_and_is_left_as_it_was(capsys, tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 / 0")])
    path = tmp_path / "fails.ipynb"
    nbformat.write(nb, path)
    before = path.read_bytes()
    code, text = _run(capsys, "execute", str(path), "--timeout", "60")
    assert code == cli.CHECK_FAILED
    assert "ZeroDivisionError" in text and path.read_bytes() == before


def test_the_maintainer_tools_talk_to_kernels_over_private_unix_sockets(capfd, tmp_path):
    """``execute`` (sync, outputs, build-questions): IPC sockets in a folder only this account can
    open, not TCP ports on localhost, so ipykernel has no unencrypted-TCP warning to print."""
    import nbformat

    from defection_course.authoring.execute import execute

    code = (
        "import json, os, stat\nfrom ipykernel.connect import get_connection_file\n"
        "info = json.load(open(get_connection_file()))\n"
        "mode = os.stat(os.path.dirname(get_connection_file())).st_mode\n"
        "print(info['transport'], oct(mode & 0o077))  # what the group and others may do there"
    )
    out = execute(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)]), cwd=tmp_path)
    assert out.cells[0].outputs[0]["text"].split() == ["ipc", "0o0"]
    assert "without encryption" not in capfd.readouterr().err


def test_a_long_temp_folder_path_does_not_stop_the_tools_running_notebooks(monkeypatch, tmp_path):
    """A socket's path has at most 104-108 bytes; a temp folder such as macOS's, or a longer one,
    must not make the kernel's channels unreachable (the sockets then go to /tmp)."""
    import tempfile

    import nbformat

    from defection_course.authoring.execute import execute

    long = tmp_path / ("t" * 100)
    long.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(long))
    code = "from ipykernel.connect import get_connection_file\nprint(get_connection_file())"
    out = execute(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)]), cwd=tmp_path)
    assert len(out.cells[0].outputs[0]["text"].strip()) < 90


def test_every_temp_folder_length_leaves_room_for_a_kernels_sockets(monkeypatch):
    """Whatever the temp folder's length, the folder chosen for sockets leaves a kernel's longest
    socket path (its folder, ``kernel-ipc-NNNNN``) within macOS's 104 bytes."""
    import tempfile

    from defection_course.authoring.execute import CONNECTION_FILE, KERNEL_FOLDER_PREFIX
    from defection_course.paths import socket_temp_base

    longest = len(f"/{KERNEL_FOLDER_PREFIX}{'x' * 8}/{Path(CONNECTION_FILE).stem}-ipc-65535")
    for length in range(1, 300):
        monkeypatch.setattr(tempfile, "tempdir", "/" + "d" * (length - 1))
        base = socket_temp_base()
        assert base is not None and len(base) + longest < 104, length
        assert base == tempfile.tempdir or base == "/tmp", length  # the user's choice, unless too long
