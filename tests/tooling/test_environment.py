"""Pins agree across pip and conda; CI runs exactly the README's test command."""

from __future__ import annotations

import re
import subprocess
import sys

import yaml
from support import ROOT, cli


def _pins(path):
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            out.update(_pins(path.parent / line[3:].strip()))
        elif "==" in line:
            name, version = line.split("==")
            out[name.lower().replace("_", "-")] = version
    return out


def test_environment_yml_pins_equal_the_requirements_pins():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    conda_pins = {}
    for item in pip_section:
        if "==" in item:
            name, version = item.split("==")
            conda_pins[name.lower().replace("_", "-")] = version
    pip_pins = _pins(ROOT / "requirements-test.txt")
    assert conda_pins == pip_pins


def test_environment_yml_is_regenerated_from_requirements():
    result = cli.run("sync-environment", "--check")  # in this process (tests/support/cli.py)
    assert result.returncode == 0, result.stdout


def test_key_packages_are_pinned_exactly():
    pins = _pins(ROOT / "requirements.txt")
    for pkg in ["pandas", "matplotlib", "seaborn", "ipywidgets", "jupyterlab", "numpy", "voila"]:
        assert re.fullmatch(r"\d+(\.\d+)+", pins[pkg]), pkg
    assert "nbval" in _pins(ROOT / "requirements-test.txt")


def test_installed_versions_match_the_pins():
    from importlib.metadata import version

    for pkg, pinned in _pins(ROOT / "requirements-test.txt").items():
        assert version(pkg) == pinned, pkg


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in readme and "make lab" in readme
    commands = [l.strip() for l in ci.splitlines() if l.strip() and not l.lstrip().startswith("#")]
    assert commands[-1] == "make test"


def test_reading_a_notebook_builds_no_iri_parsers():
    """Why jsonschema is held below 4.25 (requirements.txt): nbformat must not import rfc3987_syntax.

    That package builds its Earley parsers when imported (~2 s of CPU), and every course command,
    grader run, nbgrader process, notebook check and site build reads notebooks with nbformat.
    """
    code = "import sys, nbformat; print('rfc3987_syntax' in sys.modules, 'lark' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"], out.stdout + out.stderr
