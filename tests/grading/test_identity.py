"""Student identity and escaping: generated families of spellings, names and payloads."""

from __future__ import annotations

import itertools
import unicodedata
from pathlib import Path

import pytest

from defection_course.grading.identity import JOINERS, BadName, identity, safe_filename, shard_of
from defection_course.grading.textsafe import html_text, md_block, md_inline, md_text

BASE_NAMES = ["José", "Alice", "Kim Min-jun", "김민준", "Zoë Ångström", "o'brien", "=1+1", "Ægir"]


def spellings(name: str) -> list[str]:
    """Spellings of one name that a platform, a keyboard or a file system can produce."""
    forms = {unicodedata.normalize(f, name) for f in ("NFC", "NFD")}
    cases = {c for f in forms for c in (f, f.upper(), f.lower(), f.title())}
    spaced = {s for c in cases for s in (c, f" {c}", f"{c} ", f"{c}\t", c.replace(" ", "  "))}
    return sorted(spaced)


@pytest.mark.parametrize("name", BASE_NAMES)
def test_every_spelling_of_a_name_is_one_student(name: str) -> None:
    ids = {identity(s) for s in spellings(name)}
    assert len({i.key for i in ids}) == 1
    assert len({i.filename for i in ids}) == 1


def test_different_students_never_share_a_key_or_a_file_name() -> None:
    ids = [identity(n) for n in BASE_NAMES + ["Jose", "Alicia", "Kim Minjun"]]
    assert len({i.key for i in ids}) == len(ids)
    assert len({i.filename for i in ids}) == len(ids)


@pytest.mark.parametrize(
    "bad", ["zed\nbob", "a\rb", "a\x00b", "tab\x0bname", "rtl\u202eevil", "x\u2028y", ""]
)
def test_names_with_line_breaks_or_control_characters_are_refused_with_a_reason(bad: str) -> None:
    with pytest.raises(BadName, match="name"):
        identity(bad)


@pytest.mark.parametrize(
    "raw",
    ["a" * 200, "é" * 150, "../../etc/passwd", "con", "a/b\\c", ".hidden", "-rf", "名前" * 40, "   x   "],
)
def test_file_names_are_short_safe_and_never_a_path(raw: str) -> None:
    name = identity(raw).filename
    assert 0 < len(name.encode()) <= 64
    assert set(name) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
    assert not name.startswith(("-", "."))


def _format_and_control_characters() -> list[str]:
    """Every line break, control and format character, and one in 500 private-use ones."""
    wanted = {"Cc", "Cf", "Zl", "Zp"}
    chars = [chr(i) for i in range(0x110000) if unicodedata.category(chr(i)) in wanted]
    return chars + [chr(i) for i in range(0xE000, 0x110000, 500) if unicodedata.category(chr(i)) == "Co"]


def test_every_control_or_format_character_is_refused_and_a_joiner_only_outside_a_word() -> None:
    """The rule over every such character, at the start, inside a word, beside a space, at the end."""
    refused_inside = []
    for c in _format_and_control_characters():
        if c == "\t":
            continue  # a tab counts as a space
        for name in (f"{c}Ali", f"Al{c}i", f"Ali {c}x", f"Ali{c}"):
            try:
                identity(name)
            except BadName as exc:
                assert f"U+{ord(c):04X}" in str(exc), (name, exc)
                if name == f"Al{c}i":
                    refused_inside.append(c)
            else:
                assert c in JOINERS and name == f"Al{c}i", f"{name!r} was accepted"
    assert set(JOINERS).isdisjoint(refused_inside) and len(refused_inside) > 200


@pytest.mark.parametrize("name", ["می\u200cخواهم", "पत्\u200dनी", "ശ്\u200dരീ", "Ḿ\u200cx"])
def test_a_joiner_inside_a_word_is_part_of_the_name_and_not_of_its_key(name: str) -> None:
    """Persian, Hindi and Malayalam names use these joiners; typed without them, the name is the same."""
    with_joiner, without = identity(name), identity(name.translate({ord(j): None for j in JOINERS}))
    assert with_joiner.display == unicodedata.normalize("NFC", name)
    assert with_joiner.key == without.key and with_joiner.filename == without.filename


def test_an_overlong_name_is_refused_not_truncated_into_another_student() -> None:
    with pytest.raises(BadName, match="characters long"):
        identity("a" * 241)


def test_shards_partition_every_key_stably() -> None:
    keys = [identity(f"student {i}").key for i in range(300)]
    for n in (1, 3, 7):
        parts = [shard_of(k, n) for k in keys]
        assert set(parts) <= set(range(n))
        assert parts == [shard_of(k, n) for k in keys]
    assert safe_filename("x") == safe_filename("x")


PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<script>alert(1)</script>",
    "[a](javascript:x)",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_student_text_is_inert_in_markdown_and_html(payload: str) -> None:
    for text in (md_inline(payload), html_text(payload)):
        assert "<" not in text and ">" not in text
    assert "](" not in md_inline(payload)
    block = md_block(payload + "\n```\n<b>x</b>")
    fence = block.splitlines()[0].removesuffix("text")
    assert block.endswith(fence) and len(fence) > 3


@pytest.mark.parametrize("a,b", list(itertools.combinations(["x\ny", "# heading", "| cell |", "> quote"], 2)))
def test_inline_markdown_stays_on_one_line(a: str, b: str) -> None:
    assert "\n" not in md_inline(a + b)


def test_a_plain_name_keeps_its_file_name_and_no_name_can_take_another_students_file() -> None:
    assert identity("partly_wrong").filename == "partly_wrong"
    assert identity("Alice").filename == "alice"
    jose = identity("José").filename
    assert jose != "jose" and identity(jose).filename != jose  # a name made to look like José's file
    assert identity("con").filename != "con"


@pytest.mark.parametrize("payload", PAYLOADS + ["![x](http://example.invalid/t.png)", "`<b>`"])
def test_prose_from_a_submission_is_inert_but_readable(payload: str) -> None:
    text = md_text(payload + " also called check()")
    assert "<" not in text and ">" not in text and "](" not in text.replace("\\](", "")
    assert "also called check()" in text


def test_the_commands_the_grader_prints_run_from_any_folder_without_path(tmp_path: Path) -> None:
    """The review files and the grader's hints name the Python that has the course, not ``python``."""
    import shlex
    import subprocess

    from defection_course.grading.reports import review_markdown
    from defection_course.grading.runner import Graded
    from defection_course.paths import course_command
    from defection_course.questions import QUESTIONS

    review = review_markdown(QUESTIONS["q2_6"], "rubric", 5, [Graded("alice", "graded")])
    (line,) = [x for x in review.splitlines() if "merge-marks" in x]
    command = line.split("`")[1].replace("<results folder>", "--help")
    assert command == f"{course_command('merge-marks')} --help"
    done = subprocess.run(
        shlex.split(command),
        cwd=tmp_path,
        env={"PATH": "", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0 and "merge-marks" in done.stdout, done.stderr
