"""The browser tests' own plumbing: finding a browser, and skipping or failing without one."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from support import browser as bs


@pytest.fixture
def no_browser_anywhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A machine without any Chromium: empty PATH, no absolute candidates, no override."""
    monkeypatch.delenv(bs.BROWSER_ENV, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(bs, "CANDIDATES", ("chromium", "chromium-browser", "google-chrome"))


def test_course_chromium_names_the_browser_to_use(monkeypatch, tmp_path):
    fake = tmp_path / "my-chrome"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv(bs.BROWSER_ENV, str(fake))
    assert bs.find_chromium() == str(fake)
    monkeypatch.setenv(bs.BROWSER_ENV, str(tmp_path / "missing"))
    assert bs.find_chromium() is None, "a wrong COURSE_CHROMIUM must not fall back silently"


def test_a_browser_on_the_path_is_found(no_browser_anywhere, monkeypatch, tmp_path):
    assert bs.find_chromium() is None
    chrome = tmp_path / "google-chrome"
    chrome.write_text("#!/bin/sh\n")
    chrome.chmod(chrome.stat().st_mode | stat.S_IXUSR)
    assert bs.find_chromium() == str(chrome)


def test_without_a_browser_a_laptop_skips_with_install_instructions(no_browser_anywhere, monkeypatch):
    monkeypatch.delenv(bs.REQUIRE_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception) as info:
        bs.chromium_or_skip()
    assert "apt-get install chromium" in str(info.value)
    assert bs.BROWSER_ENV in str(info.value)


@pytest.mark.parametrize("value", ["1", "true", "yes"])
def test_without_a_browser_ci_fails_instead_of_skipping(no_browser_anywhere, monkeypatch, value):
    monkeypatch.setenv(bs.REQUIRE_ENV, value)
    with pytest.raises(pytest.fail.Exception) as info:
        bs.chromium_or_skip()
    assert "apt-get install chromium" in str(info.value)


@pytest.mark.parametrize("value", ["", "0", "no"])
def test_require_flag_is_off_unless_set_to_a_true_value(monkeypatch, value):
    monkeypatch.setenv(bs.REQUIRE_ENV, value)
    assert not bs.browser_required()


def test_run_all_is_given_again_only_for_cells_never_queued_with_the_kernel_idle():
    """Every mix of prompts (ran, never queued, queued, running) under each kernel status."""
    import itertools

    kinds = {"ran": "[3]:", "never": "[ ]:", "queued": "[*]:", "empty": ""}
    for status in ("idle", "busy", None):
        for mix in itertools.product(kinds, repeat=3):
            seen = {"status": status, "prompts": [kinds[k] for k in mix]}
            want = [i for i, k in enumerate(mix) if k != "ran"]
            retry = status == "idle" and want and all(mix[i] in ("never", "empty") for i in want)
            assert bs.cells_never_queued(seen) == (want if retry else []), seen
    assert bs.cells_never_queued(None) == []
    assert bs.cells_never_queued({"status": "idle", "prompts": []}) == []


def test_run_all_is_retried_once_only_after_the_page_stalls():
    """Each mix of prompts and kernel status, unchanged for less or more than STALL_SECONDS, before
    and after the retry: done only when every cell ran with the kernel idle; a retry only for cells
    never queued, and only once the page has stalled."""
    import itertools

    kinds = {"ran": "[3]:", "never": "[ ]:", "queued": "[*]:", "empty": ""}
    for status in ("idle", "busy", None):
        for mix in itertools.product(kinds, repeat=3):
            seen = {"status": status, "prompts": [kinds[k] for k in mix]}
            done = status == "idle" and all(k == "ran" for k in mix)
            for unchanged_for in (0.0, bs.STALL_SECONDS - 0.1, bs.STALL_SECONDS, 100.0):
                for retried in (False, True):
                    stalled = bool(bs.cells_never_queued(seen)) and unchanged_for >= bs.STALL_SECONDS
                    want = "done" if done else ("stalled" if retried else "retry") if stalled else "wait"
                    assert bs.run_all_step(seen, unchanged_for, retried) == want, (seen, unchanged_for)
    assert bs.run_all_step(None, 100.0, False) == "wait"
