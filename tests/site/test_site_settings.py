"""Placeholder launch links (``site/site.toml``): ``make site`` warns, ``site --publish`` refuses.

The addresses checked are written here (real hubs and repositories, and placeholders of the
kinds documentation uses), and the shipped ``site/site.toml`` is read with ``tomllib`` directly.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib

import pytest
from support import ROOT

from defection_course.authoring import site_build

REAL = [
    "https://github.com/jupyter/nbgrader",
    "https://gitlab.com/some-university/defection-course",
    "https://mybinder.org",
    "https://hub.2i2c.cloud",
    "https://jupyter.exampleuniversity.edu",  # "example" inside a word is not a placeholder
    "https://github.com/examples-team/course",
]
PLACEHOLDER = [
    "https://github.com/example-org/defection-course",
    "https://jupyterhub.example.edu",
    "https://example.com",
    "https://hub.example.org/",
    "https://github.com/example/course",
    "",
]


@pytest.mark.parametrize("url", REAL)
def test_a_real_address_is_not_a_placeholder(url: str) -> None:
    assert not site_build.is_placeholder(url)


@pytest.mark.parametrize("url", PLACEHOLDER)
def test_a_placeholder_address_is_recognised(url: str) -> None:
    assert site_build.is_placeholder(url)


def _settings(**values: str) -> site_build.SiteSettings:
    base = {
        "title": "t",
        "repository_url": REAL[0],
        "branch": "main",
        "binderhub_url": REAL[2],
        "jupyterhub_url": REAL[3],
    }
    return site_build.SiteSettings(**(base | values))


def test_the_message_names_each_placeholder_and_where_to_set_it() -> None:
    assert site_build.placeholder_message(_settings()) == ""
    message = site_build.placeholder_message(_settings(jupyterhub_url=PLACEHOLDER[1]))
    assert "jupyterhub_url" in message and "COURSE_SITE_JUPYTERHUB_URL" in message
    assert "repository_url" not in message and "site/site.toml" in message


@pytest.mark.slow  # starts the command line
def test_the_shipped_settings_are_placeholders_that_the_build_reports() -> None:
    shipped = tomllib.loads((ROOT / "site" / "site.toml").read_text(encoding="utf-8"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("COURSE_SITE_")}
    settings = site_build.SiteSettings.load(ROOT / "site" / "site.toml")
    assert set(settings.placeholders()) >= {"repository_url", "jupyterhub_url"}
    proc = subprocess.run(
        [sys.executable, "-m", "defection_course", "site", "--publish", "--out", "/nonexistent/never"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    for name in ("repository_url", "jupyterhub_url"):
        assert f"{name} = {shipped[name]!r}" in proc.stderr, proc.stderr
    assert "built" not in proc.stdout  # refused before building


def test_publish_builds_once_every_address_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    """With real addresses from the environment there is nothing to warn about."""
    monkeypatch.setenv("COURSE_SITE_REPOSITORY_URL", REAL[0])
    monkeypatch.setenv("COURSE_SITE_JUPYTERHUB_URL", REAL[3])
    assert site_build.SiteSettings.load(ROOT / "site" / "site.toml").placeholders() == []
