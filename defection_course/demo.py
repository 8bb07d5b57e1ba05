"""``make demo``: serve the dashboard notebook with Voilà on 127.0.0.1 for projecting in class."""
from __future__ import annotations

import os
import subprocess
import sys

from .paths import course_root

DASHBOARD = "notebooks/demo/dashboard.ipynb"


def voila_command(port: int, open_browser: bool = True) -> list[str]:
    """The Voilà command line: local only, code hidden, every execution with a timeout."""
    cmd = [sys.executable, "-m", "voila", DASHBOARD, "--Voila.ip=127.0.0.1", f"--port={port}",
           "--strip_sources=True", "--theme=light", "--VoilaExecutor.timeout=120",
           "--MappingKernelManager.cull_idle_timeout=3600",
           "--MappingKernelManager.cull_interval=300"]
    if not open_browser:
        cmd.append("--no-browser")
    return cmd


def serve(port: int = 8866, open_browser: bool = True) -> int:
    """Run Voilà until interrupted (Ctrl+C)."""
    print(f"Serving the course dashboard on http://127.0.0.1:{port}/ (Ctrl+C to stop)")
    env = dict(os.environ)
    try:
        return subprocess.call(voila_command(port, open_browser), cwd=course_root(), env=env)
    except KeyboardInterrupt:
        return 0
