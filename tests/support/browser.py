"""Helpers for the browser tests: find Chromium, run JupyterLab and Voilà, take screenshots.

The browser tests (``tests/site/test_browser.py``) drive a real Chromium through Playwright
against servers started here. Every server runs on 127.0.0.1 with a free port and a random
token, in its own process group and with throw-away Jupyter config, data, runtime, settings
and workspace folders, so a developer's own Jupyter set-up cannot change the result.
:meth:`Server.stop` shuts the kernels down and ends the whole process group; the fixtures
call it in a finalizer, so it also runs when a test fails.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import OFFLINE, ROOT

SCREENSHOTS = ROOT / "build" / "screenshots"
FAILURES = SCREENSHOTS / "failures"

#: Environment variable naming a Chromium/Chrome binary to use instead of searching.
BROWSER_ENV = "COURSE_CHROMIUM"
#: Set to 1 (CI does, in ``.ci/run``) to fail instead of skip when no browser is found.
REQUIRE_ENV = "COURSE_REQUIRE_BROWSER"
CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HINT = (
    "No Chromium or Chrome browser found, so the browser tests cannot run. Install "
    "one (Debian/Ubuntu: `sudo apt-get install chromium`; macOS: install Google "
    "Chrome) or point COURSE_CHROMIUM at a Chromium-based browser, e.g. "
    "`COURSE_CHROMIUM=/path/to/chrome make test`."
)
#: Flags that keep a headless Chromium quiet and offline (Playwright adds --no-sandbox as root).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

#: Every screenshot the tests saved in this run (printed in the terminal summary).
SAVED: list[Path] = []

# JupyterLab user settings for the test server: no news or update toasts, no autosave
# (the copy is thrown away anyway), and every cell in the DOM so selectors see all outputs.
LAB_SETTINGS: dict[str, dict] = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def browser_required() -> bool:
    """True when a missing browser must fail the run (CI) rather than skip the tests."""
    return os.environ.get(REQUIRE_ENV, "").strip().lower() in ("1", "true", "yes")


def find_chromium() -> str | None:
    """The path of a Chromium-based browser: ``$COURSE_CHROMIUM`` first, then the usual names."""
    override = os.environ.get(BROWSER_ENV, "").strip()
    if override:
        found = shutil.which(override)
        return found if found else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_or_skip() -> str:
    """The browser to drive; skip the calling test (laptop) or fail it (CI) when there is none."""
    import pytest

    found, why = find_chromium(), INSTALL_HINT
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:  # pragma: no cover - installed by requirements-test.txt
        found, why = None, "Playwright is not installed: run `make test`, which installs it."
    if found is None:
        if browser_required():
            pytest.fail(f"{why} ({REQUIRE_ENV} is set, so a missing browser is an error.)", pytrace=False)
        pytest.skip(why)
    return found


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http(method: str, url: str, timeout: float = 10.0) -> tuple[int, bytes]:
    """One HTTP request straight to the local server (never through a proxy)."""
    request = urllib.request.Request(url, method=method)
    try:
        with _NO_PROXY.open(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.read()


@dataclass
class Server:
    """A Jupyter server (JupyterLab or Voilà) running in its own process group."""

    name: str
    process: subprocess.Popen
    base_url: str
    token: str
    root_dir: Path
    log_path: Path
    kernels_api: bool = True
    stopped: bool = field(default=False, init=False)

    def url(self, path: str = "", **query: str) -> str:
        """An address on this server, with the token added."""
        params = "&".join([f"token={self.token}"] + [f"{k}={v}" if v else k for k, v in query.items()])
        return f"{self.base_url}{path.lstrip('/')}?{params}"

    def kernels(self) -> list[dict]:
        """The kernels the server is running (JupyterLab's REST API)."""
        status, body = http("GET", self.url("api/kernels"))
        return json.loads(body) if status == 200 else []

    def shutdown_kernels(self) -> None:
        """Shut every kernel down through the REST API (DELETE /api/kernels/<id>)."""
        for kernel in self.kernels():
            http("DELETE", self.url(f"api/kernels/{kernel['id']}"), timeout=30)

    def log_tail(self, lines: int = 40) -> str:
        """The end of the server's log, for failure messages."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        """Shut kernels down, then end the process group (TERM, then KILL after 10 s)."""
        if self.stopped:
            return
        self.stopped = True
        if self.kernels_api and self.process.poll() is None:
            try:
                self.shutdown_kernels()
            except OSError:
                pass
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.process.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
        try:  # the group may hold children that outlive the server process itself
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=5)


def isolated_env(home: Path) -> dict[str, str]:
    """Environment for a test server: private Jupyter/IPython folders, kernels without network."""
    env = dict(os.environ)
    for var, sub in (
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("IPYTHONDIR", "ipython"),
    ):
        (home / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(home / sub)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(OFFLINE), env.get("PYTHONPATH")]))
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    return env


def start_server(
    name: str,
    command: list[str],
    base_url: str,
    token: str,
    cwd: Path,
    env: dict[str, str],
    log_path: Path,
    ready_path: str = "",
    timeout: float = 90.0,
    kernels_api: bool = True,
) -> Server:
    """Start ``command`` in a new process group and wait until ``base_url`` answers HTTP 200."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as log:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    server = Server(name, process, base_url, token, cwd, log_path, kernels_api)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            server.stop()
            raise RuntimeError(f"{name} exited with code {process.returncode}:\n{server.log_tail()}")
        try:
            status, _ = http("GET", server.url(ready_path), timeout=5)
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    server.stop()
    raise RuntimeError(f"{name} did not answer within {timeout:.0f} s:\n{server.log_tail()}")


def start_lab(home: Path, root_dir: Path) -> Server:
    """JupyterLab serving ``root_dir``, isolated from the user's settings and open tabs."""
    settings = home / "lab-settings"
    for rel, values in LAB_SETTINGS.items():
        path = settings / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    port, token = free_port(), secrets.token_hex(16)
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root_dir}",
        f"--LabApp.user_settings_dir={settings}",
        f"--LabApp.workspaces_dir={home / 'workspaces'}",
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    return start_server(
        "JupyterLab",
        command,
        f"http://127.0.0.1:{port}/",
        token,
        root_dir,
        isolated_env(home),
        home / "jupyterlab.log",
        ready_path="api/status",
    )


def start_voila(home: Path) -> Server:
    """Voilà serving the dashboard with the same command line as ``make demo`` (plus a token)."""
    from defection_course.demo import voila_command

    port, token = free_port(), secrets.token_hex(16)
    command = voila_command(port, open_browser=False) + [
        f"--Voila.token={token}",
        "--ServerApp.port_retries=0",
    ]
    return start_server(
        "Voila",
        command,
        f"http://127.0.0.1:{port}/",
        token,
        ROOT,
        isolated_env(home),
        home / "voila.log",
        ready_path="voila/static/voila.js",
        kernels_api=False,
    )


#: The height of the tallest scrolling content: Voila and JupyterLab scroll inside a panel,
#: so Playwright's ``full_page`` alone would only capture the window.
CONTENT_HEIGHT = "Math.max(...Array.from(document.querySelectorAll('body *'), e => e.scrollHeight))"


def screenshot(page, name: str, failed: bool = False, whole_content: bool = False) -> Path | None:
    """Save a screenshot of ``page`` as build/screenshots[/failures]/<name>.png; never raises.

    ``whole_content`` grows the window to the content's height first (at most 12,000 px), to
    capture a whole dashboard rather than the part in view.
    """
    folder = FAILURES if failed else SCREENSHOTS
    path = folder / f"{name}.png"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        size = page.viewport_size
        if whole_content and size:
            height = min(int(page.evaluate(CONTENT_HEIGHT)) + 40, 12_000)
            page.set_viewport_size({"width": size["width"], "height": max(height, size["height"])})
        page.screenshot(path=str(path), full_page=True, timeout=15_000)
        if whole_content and size:
            page.set_viewport_size(size)
    except Exception as exc:  # a screenshot must never hide the real failure
        print(f"could not save screenshot {path}: {exc}", file=sys.stderr)
        return None
    SAVED.append(path)
    return path


def cells_never_queued(seen: dict[str, Any] | None) -> list[int]:
    """The code cells a Run All left unrun while the kernel is idle, when none of them is queued,
    running or failed (their prompt ``[ ]:`` or empty); otherwise [] (nothing to run again).

    ``seen`` is what ``PROMPTS`` in tests/site/test_browser.py reads from the page.
    """
    if not seen or seen.get("status") != "idle":
        return []
    prompts = seen.get("prompts") or []
    unrun = [i for i, p in enumerate(prompts) if not re.fullmatch(r"\[\d+\]:", p)]
    return unrun if all(prompts[i] in ("[ ]:", "") for i in unrun) else []


#: seconds the prompts may stay unchanged, with the kernel idle and cells never queued, before a
#: Run All counts as having dropped them (a lesson's cells each take well under a second to start)
STALL_SECONDS = 8.0


def run_all_step(seen: dict[str, Any] | None, unchanged_for: float, retried: bool) -> str:
    """What to do while waiting for Run All, given what the page shows (``PROMPTS``) and for how
    many seconds it has not changed: ``"done"`` (every code cell ran, kernel idle), ``"retry"``
    (cells never queued for :data:`STALL_SECONDS`, once), ``"stalled"`` (the same after the retry)
    or ``"wait"``."""
    prompts = (seen or {}).get("prompts") or []
    ran = all(re.fullmatch(r"\[\d+\]:", p) for p in prompts)
    if seen and seen.get("status") == "idle" and prompts and ran:
        return "done"
    if cells_never_queued(seen) and unchanged_for >= STALL_SECONDS:
        return "stalled" if retried else "retry"
    return "wait"
