"""Shards (issue 22): N partial runs merged equal one run of the whole class; broken sets refused.

The class is lesson 2's synthetic class (right, wrong and blank answers, plus files the grader
rejects) with a student in nbgrader's folder layout and one whose name needs Unicode
normalisation, so the shard assignment goes through the same identity as the gradebook.
"""

from __future__ import annotations

import json
import shutil
import unicodedata
from pathlib import Path

import nbformat
import pytest
from support.classes import EXERCISE2, fill, solution_answers, write_class

from defection_course.errors import CourseError
from defection_course.grading import shards
from defection_course.grading.batch import grade_folder
from defection_course.grading.identity import identity_key, shard_of
from defection_course.grading.limits import Limits


def _write(folder: Path) -> None:
    write_class(folder, 1)
    exercise = nbformat.read(EXERCISE2, as_version=4)
    nested = folder / "Zoë" / "ps2"
    nested.mkdir(parents=True)
    nbformat.write(fill(exercise, solution_answers()), nested / EXERCISE2.name)
    name = unicodedata.normalize("NFD", "José")  # decomposed, as macOS file names arrive
    nbformat.write(fill(exercise, {}), folder / f"{name}.ipynb")


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("shards")
    folder = base / "class"
    _write(folder)
    single = base / "single"
    grade_folder(EXERCISE2, folder, single, Limits(), workers=2, quiet=True)
    return {"base": base, "class": folder, "single": single}


def _shard_runs(graded_class: dict[str, Path], n: int) -> list[Path]:
    outs = []
    for i in range(n):
        out = graded_class["base"] / f"n{n}" / f"shard{i}"
        if not (out / shards.PARTIAL).exists():
            shards.grade_shard(
                EXERCISE2, graded_class["class"], out, shards.Shard(i, n), workers=2, quiet=True
            )
        outs.append(out)
    return outs


def test_shard_spec_is_parsed_and_wrong_specs_refused() -> None:
    assert shards.parse_shard("2/7") == shards.Shard(2, 7)
    assert shards.parse_shard(" 0 / 1 ") == shards.Shard(0, 1)
    for bad in ("7/7", "1/0", "-1/3", "a/3", "3", "1/3/4"):
        with pytest.raises(CourseError, match="shard"):
            shards.parse_shard(bad)


def test_spellings_of_one_student_land_in_one_shard() -> None:
    spellings = ["José", unicodedata.normalize("NFD", "José"), "JOSÉ", " josé  "]
    for n in (2, 3, 7, 64):
        assert len({shard_of(identity_key(s), n) for s in spellings}) == 1
    # and the hash spreads a class: 200 names over 7 shards, none empty or with more than twice its share
    counts = [0] * 7
    for i in range(200):
        counts[shard_of(identity_key(f"student{i:03d}"), 7)] += 1
    assert min(counts) > 0 and max(counts) < 2 * 200 / 7, counts


@pytest.mark.slow
@pytest.mark.parametrize("n", [1, 3, 7])
def test_merged_shards_equal_one_run(graded_class: dict[str, Path], n: int) -> None:
    parts = _shard_runs(graded_class, n)
    described = [json.loads((p / shards.PARTIAL).read_text()) for p in parts]
    assert sorted(s for d in described for s in d["students"]) == sorted(
        s["student"] for s in json.loads((graded_class["single"] / "graded.json").read_text())["students"]
    )
    merged = graded_class["base"] / f"merged{n}"
    summary = shards.merge_shards(list(reversed(parts)), merged, EXERCISE2)  # order does not matter
    single = graded_class["single"]
    # gradebook, feedback and review files: byte for byte, with no normalising at all
    names = sorted(p.relative_to(single).as_posix() for p in single.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(merged).as_posix() for p in merged.rglob("*") if p.is_file())
    for name in names:
        if name not in ("graded.json", "manifest.json"):
            assert (merged / name).read_bytes() == (single / name).read_bytes(), name
    # the store and the manifest: equal once the timing fields are set aside
    assert shards.timing_free(merged) == shards.timing_free(single)
    raw = json.loads((merged / "graded.json").read_text())
    assert all(s["status"] in ("graded", "rejected", "error") for s in raw["students"])
    assert summary["submissions"] == len(raw["students"])
    assert "Zoë" in (merged / "gradebook.csv").read_text(encoding="utf-8")


def _refused(parts: list[Path], out: Path, match: str, exercise: Path = EXERCISE2) -> None:
    with pytest.raises(CourseError, match=match):
        shards.merge_shards(parts, out, exercise)
    assert not (out / "gradebook.csv").exists()


@pytest.mark.slow
def test_broken_shard_sets_are_refused_with_their_reason(
    graded_class: dict[str, Path], tmp_path: Path
) -> None:
    three = _shard_runs(graded_class, 3)
    out = tmp_path / "merged"
    _refused(three[:2], out, r"shard\(s\) 2/3 missing")
    _refused([three[0], three[1], three[1], three[2]], out, "given twice")
    seven = _shard_runs(graded_class, 7)
    _refused([three[0], three[1], seven[2]], out, "another number of shards")
    # a shard of another class (another folder of submissions): foreign
    other_class = tmp_path / "other"
    other_class.mkdir()
    (other_class / "late_empty.ipynb").write_text("", encoding="utf-8")
    foreign = tmp_path / "foreign"
    shards.grade_shard(EXERCISE2, other_class, foreign, shards.Shard(0, 3), workers=1, quiet=True)
    _refused([foreign, three[1], three[2]], out, "another class")
    # a shard changed after grading: its manifest says so
    tampered = tmp_path / "tampered"
    shutil.copytree(three[1], tampered)
    feedback = sorted((tampered / "feedback").glob("*.md"))[0]
    feedback.write_text(feedback.read_text() + "\nAll marks doubled.\n")
    _refused([three[0], tampered, three[2]], out, "changed after grading")
    # a shard whose description was edited to claim students it did not grade
    claimed = tmp_path / "claimed"
    shutil.copytree(three[2], claimed)
    data = json.loads((claimed / shards.PARTIAL).read_text())
    data["students"] = data["students"][1:]
    (claimed / shards.PARTIAL).write_text(json.dumps(data))
    _refused([three[0], three[1], claimed], out, "do not match shard 2/3")
    # a folder that is not a shard at all
    _refused([graded_class["single"], three[1], three[2]], out, "not the output of grade --shard")
    # another exercise
    other_ex = tmp_path / EXERCISE2.name
    nb = nbformat.read(EXERCISE2, as_version=4)
    nb.cells[0].source += "\n(edited)"
    nbformat.write(nb, other_ex)
    _refused(three, out, "another exercise", other_ex)
    # and the complete set still merges
    shards.merge_shards(three, out, EXERCISE2)
    assert (out / "gradebook.csv").exists()
