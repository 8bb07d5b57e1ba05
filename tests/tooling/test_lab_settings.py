"""``make lab`` and ``make demo`` as learners get them, after ``make test`` installed nbgrader.

The command line is the one ``make -n lab`` prints (the Makefile is the source, not a copy
here); JupyterLab and Voilà run for real. nbgrader's lab extension and server extensions are in
the environment (``requirements-test.txt``), so without the course's settings they would load.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import ROOT
from support import browser as bs

from defection_course import demo

ENV_ASSIGNMENT = re.compile(r"^[A-Z_]+=")


def make_lab_command() -> tuple[dict[str, str], list[str]]:
    """The environment and the ``jupyter lab`` command ``make lab`` runs (from ``make -n``)."""
    out = subprocess.run(["make", "-n", "-s", "lab"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    line = next(line for line in out.stdout.splitlines() if " lab " in line and "jupyter" in line)
    words = shlex.split(line)
    env = dict(w.split("=", 1) for w in words if ENV_ASSIGNMENT.match(w))
    return env, [w for w in words if not ENV_ASSIGNMENT.match(w)]


def test_the_demo_keeps_jupyter_s_files_where_make_lab_does() -> None:
    env, _ = make_lab_command()
    assert env, "make -n lab printed no Jupyter folders"
    assert demo.jupyter_env(ROOT) == env


def _nbgrader_installed() -> None:
    if not (Path(sys.prefix) / "share/jupyter/labextensions/@jupyter/nbgrader").is_dir():
        pytest.skip("nbgrader is not installed here (make test installs it)")


def test_make_lab_keeps_every_jupyter_folder_inside_the_course() -> None:
    env, command = make_lab_command()
    flags = dict(re.findall(r"^--(LabApp\.\w+)=(\S+)$", "\n".join(command), re.M))
    paths = [Path(v) for v in env.values()] + [
        Path(flags[f"LabApp.{k}"]) for k in ("app_settings_dir", "user_settings_dir", "workspaces_dir")
    ]
    assert {"JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"} <= set(env)
    for path in paths:
        assert ROOT.resolve() in path.resolve().parents, f"{path} is outside the course folder"


@pytest.fixture(scope="module")
def make_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[bs.Server, Path]]:
    """JupyterLab started with ``make lab``'s own flags; its folders moved into a temporary home.

    One server answers every test below (its start-up log, where extensions load, is read by them).
    """
    tmp_path = tmp_path_factory.mktemp("make_lab")
    make_env, command = make_lab_command()
    env = bs.isolated_env(tmp_path)  # the make line's folders, moved into the temporary home
    env.update({k: str(tmp_path / Path(v).name) for k, v in make_env.items()})
    port, token = bs.free_port(), secrets.token_hex(16)
    command = [sys.executable, "-m", "jupyter", *command[1:-1]]  # the venv's jupyter; no notebook to open
    command += ["--no-browser", f"--ServerApp.port={port}", "--ServerApp.port_retries=0"]
    command += [f"--IdentityProvider.token={token}", "--ServerApp.ip=127.0.0.1"]
    # the user's settings and workspaces in the temporary home too, so nothing is written into .venv
    command += [f"--LabApp.user_settings_dir={tmp_path / 'user-settings'}"]
    command += [f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}"]
    server = bs.start_server(
        "JupyterLab",
        command,
        f"http://127.0.0.1:{port}/",
        token,
        ROOT,
        env,
        tmp_path / "lab.log",
        "api/status",
    )
    try:
        yield server, tmp_path / "lab.log"
    finally:
        server.stop()


@pytest.mark.slow
def test_make_lab_shows_no_nbgrader_to_learners(make_lab: tuple[bs.Server, Path]) -> None:
    _nbgrader_installed()
    server, log_path = make_lab
    status, body = bs.http("GET", server.url("lab"), timeout=60)
    assert status == 200
    match = re.search(rb'<script id="jupyter-config-data" type="application/json">(.*?)</script>', body, re.S)
    assert match, "no page config in JupyterLab's page"
    config = json.loads(match.group(1))
    federated = {e["name"] for e in config["federated_extensions"]}
    assert "@jupyter/nbgrader" in federated  # installed, so the setting below is what hides it
    assert "@jupyter/nbgrader" in config["disabledExtensions"], config["disabledExtensions"]
    assert bs.http("GET", server.url("formgrader"))[0] == 404
    assert bs.http("GET", server.url("assignments"))[0] == 404
    log = log_path.read_text(errors="replace")
    assert "nbgrader" not in log.lower(), log[-3000:]


@pytest.mark.slow
def test_make_lab_jupyterlab_has_the_news_prompt_turned_off(make_lab: tuple[bs.Server, Path]) -> None:
    """JupyterLab's settings API, asked on make lab's server: no news, no update check."""
    server, _ = make_lab
    status, body = bs.http("GET", server.url("lab/api/settings/@jupyterlab/apputils-extension:notification"))
    assert status == 200, body[:500]
    served = json.loads(body)
    props = served["schema"]["properties"]  # JupyterLab applies overrides.json to the defaults
    user = served.get("settings", {})
    assert props["fetchNews"]["default"] == "false" and props["checkForUpdates"]["default"] is False
    assert "fetchNews" not in user  # the course's default, not a user setting
    # The schema JupyterLab ships asks by default ("none"): the override is what turns it off.
    shipped = next(
        Path(sys.prefix, "share/jupyter/lab/schemas").rglob("apputils-extension/notification.json")
    )
    assert json.loads(shipped.read_text(encoding="utf-8"))["properties"]["fetchNews"]["default"] == "none"


@pytest.mark.slow
def test_the_demo_writes_nothing_into_the_home_folder(tmp_path: Path) -> None:
    """With HOME empty and no JUPYTER_* variables, serve the dashboard, execute it, stop."""
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER_", "IPYTHON", "MPLCONFIG"))}
    env.update(HOME=str(home), XDG_DATA_HOME="", XDG_CONFIG_HOME="", XDG_RUNTIME_DIR="")
    env = {k: v for k, v in env.items() if v}
    port = bs.free_port()
    cmd = [sys.executable, "-m", "defection_course", "demo", "--no-browser", f"--port={port}"]
    with open(tmp_path / "demo.log", "wb") as log:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline, status = time.monotonic() + 120, 0
        while time.monotonic() < deadline and status != 200:
            try:
                status, body = bs.http("GET", f"http://127.0.0.1:{port}/", timeout=120)
            except OSError:
                time.sleep(0.5)
        assert status == 200, (tmp_path / "demo.log").read_text(errors="replace")[-3000:]
        assert b"jupyter-widgets" in body or b"widget" in body  # the dashboard ran in a kernel
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    written = sorted(p.relative_to(home).as_posix() for p in home.rglob("*"))
    # (run directly, the parent process imports matplotlib before it can move its cache; `make demo`
    # sets the same folders in the Makefile, so there nothing goes to ~/.cache either)
    jupyter = [
        p for p in written if re.match(r"\.(local/share/jupyter|jupyter|ipython|config/matplotlib/)", p)
    ]
    assert not jupyter, f"the demo wrote Jupyter's files into the home folder: {jupyter[:10]}"
