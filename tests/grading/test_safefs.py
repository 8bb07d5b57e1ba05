"""The trusted side's clean-up on a scratch folder a hostile kernel wrote: the real attacks.

Each test builds "teacher" files outside the scratch folder, plants what a submission can plant
inside it, runs the clean-up and compares the teacher's files (content and modes) with a
snapshot taken before. The same attacks are shown to hurt with the standard library's clean-up
where that still reproduces (CVE-2023-6597 in ``tempfile`` of Python < 3.12.2 / 3.11.8).
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

import pytest
from support.teacher_files import snapshot, teacher_folder

from defection_course.grading import safefs


def test_a_runtime_folder_swapped_for_a_link_to_teacher_files_is_unlinked_not_followed(tmp_path):
    teacher = teacher_folder(tmp_path)
    before = snapshot(teacher)
    scratch = Path(tempfile.mkdtemp(dir=tmp_path))
    (scratch / "runtime").symlink_to(teacher / "jupyter" / "kernels" / "python3")
    (scratch / "all").symlink_to(teacher)
    (scratch / "file-link").symlink_to(teacher / "notes.txt")
    assert safefs.remove_tree(scratch) == []
    assert not scratch.exists()
    assert snapshot(teacher) == before


def test_a_link_inside_a_read_only_folder_changes_no_teacher_mode(tmp_path):
    teacher = teacher_folder(tmp_path)
    before = snapshot(teacher)
    scratch = Path(tempfile.mkdtemp(dir=tmp_path))
    locked = scratch / "locked"
    locked.mkdir()
    (locked / "notes").symlink_to(teacher / "notes.txt")
    (locked / "dir").symlink_to(teacher / "sub")
    (locked / "inner").mkdir()
    (locked / "inner" / "x").write_text("x", encoding="utf-8")
    (locked / "inner").chmod(0o500)
    (locked / "none").mkdir()
    (locked / "none").chmod(0o000)
    locked.chmod(0o500)
    assert safefs.remove_tree(scratch) == []
    assert not scratch.exists()
    assert snapshot(teacher) == before


def test_a_3000_deep_tree_is_removed_without_recursion_or_running_out_of_descriptors(tmp_path):
    scratch = Path(tempfile.mkdtemp(dir=tmp_path))
    fd = os.open(scratch, os.O_RDONLY | os.O_DIRECTORY)
    for _ in range(3000):  # relative steps: the full path would pass PATH_MAX
        os.mkdir("d", dir_fd=fd)
        nxt = os.open("d", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
        os.close(fd)
        fd = nxt
    os.close(fd)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(200)  # a recursive walk could not get far
    try:
        assert safefs.remove_tree(scratch) == []
    finally:
        sys.setrecursionlimit(limit)
    assert not scratch.exists()


def test_the_scratch_folder_itself_replaced_by_a_link_removes_only_the_link(tmp_path):
    teacher = teacher_folder(tmp_path)
    before = snapshot(teacher)
    link = tmp_path / "scratch"
    link.symlink_to(teacher)
    assert safefs.remove_tree(link) == []
    assert not link.is_symlink() and snapshot(teacher) == before


@pytest.mark.skipif(sys.version_info >= (3, 11, 8), reason="CVE-2023-6597 is fixed in this Python")
@pytest.mark.skipif(os.geteuid() == 0, reason="root is never refused, so the faulty chmod is not reached")
def test_the_standard_library_clean_up_does_change_teacher_modes_here(tmp_path):
    """The attack is real on this Python: TemporaryDirectory chmods the target of a planted link."""
    teacher = teacher_folder(tmp_path)
    with tempfile.TemporaryDirectory(dir=tmp_path) as tmp:
        locked = Path(tmp) / "locked"
        locked.mkdir()
        (locked / "notes").symlink_to(teacher / "notes.txt")
        locked.chmod(0o500)
    assert stat.S_IMODE((teacher / "notes.txt").stat().st_mode) != 0o644


def test_read_no_follow_refuses_links_and_oversized_files_before_reading(tmp_path):
    real = tmp_path / "solution.ipynb"
    real.write_text("{}", encoding="utf-8")
    (tmp_path / "link.ipynb").symlink_to(real)
    with pytest.raises(OSError):
        safefs.read_no_follow(tmp_path / "link.ipynb", 100)
    big = tmp_path / "big.ipynb"
    with big.open("wb") as fh:
        fh.truncate(2**30)  # 1 GiB, sparse: read, it would take 1 GiB of memory
    with pytest.raises(safefs.TooLarge):
        safefs.read_no_follow(big, 20 * 2**20)
    assert safefs.read_no_follow(real, 100) == b"{}"


def test_a_1_gib_submission_is_rejected_by_size_without_being_read(tmp_path):
    big = tmp_path / "big.ipynb"
    with big.open("wb") as fh:
        fh.truncate(2**30)  # sparse: costs no disk, but 1 GiB of memory if read
    code = (
        "import sys\nfrom pathlib import Path\n"
        "from defection_course.grading.submission import Rejected, read\n"
        "try:\n    read(Path(sys.argv[1]))\nexcept Rejected as exc:\n    print(exc)\n"
        # VmHWM, not ru_maxrss: Linux carries the forking pytest worker's peak (hundreds of MB in
        # a full run) across exec into ru_maxrss; VmHWM is this process image's own peak.
        "status = Path('/proc/self/status').read_text().splitlines()\n"
        "print(next(int(line.split()[1]) for line in status if line.startswith('VmHWM:')) // 1024)\n"
    )
    import subprocess

    done = subprocess.run([sys.executable, "-c", code, str(big)], capture_output=True, text=True, timeout=120)
    reason, peak_mb = done.stdout.splitlines()
    assert "1024 MB, larger than the 20 MB limit" in reason
    assert int(peak_mb) < 400, peak_mb  # the process's own peak, not the file's size


def test_a_linked_submission_is_rejected_with_a_reason(tmp_path):
    from defection_course.grading.submission import Rejected, read

    (tmp_path / "alice.ipynb").symlink_to(tmp_path.parent)
    with pytest.raises(Rejected, match="symbolic link"):
        read(tmp_path / "alice.ipynb")
