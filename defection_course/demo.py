"""``make demo``: serve the dashboard notebook with Voilà on 127.0.0.1 for projecting in class."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from .paths import course_root

DASHBOARD = "notebooks/demo/dashboard.ipynb"


def voila_command(port: int, open_browser: bool = True) -> list[str]:
    """The Voilà command line: local only, code hidden, every execution with a timeout."""
    cmd = [
        sys.executable,
        "-m",
        "voila",
        DASHBOARD,
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        "--strip_sources=True",
        "--theme=light",
        "--VoilaExecutor.timeout=120",
        "--MappingKernelManager.cull_idle_timeout=3600",
        "--MappingKernelManager.cull_interval=300",
    ]
    if not open_browser:
        cmd.append("--no-browser")
    return cmd


def _stop_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def serve(port: int = 8866, open_browser: bool = True) -> int:
    """Run Voilà until interrupted (Ctrl+C), and stop it with this process.

    Voilà runs as a child process; if this process is ended (Ctrl+C, or SIGTERM from a
    process manager or ``timeout``), Voilà and its kernels are stopped too rather than left
    holding the port.
    """
    print(f"Serving the course dashboard on http://127.0.0.1:{port}/ (Ctrl+C to stop)")
    env = dict(os.environ)
    voila = subprocess.Popen(voila_command(port, open_browser), cwd=course_root(), env=env)
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        return voila.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        if voila.poll() is None:
            voila.terminate()  # Voila shuts its kernels down on SIGTERM
            try:
                voila.wait(timeout=15)
            except subprocess.TimeoutExpired:
                voila.kill()
                voila.wait()
