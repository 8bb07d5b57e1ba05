"""``make demo``: serve the dashboard notebook with Voilà on 127.0.0.1 for projecting in class.

The page works offline: Voilà runs with the course's template (``jupyter_data/voila/templates/
course-offline``: Voilà's lab template without its links to public CDNs), found through
``JUPYTER_PATH``, which ``python -m defection_course.demo`` (the command :func:`voila_command`
builds) sets before it starts Voilà. Jupyter's runtime, configuration and data folders are the
course's ``.venv/jupyter/`` (:func:`jupyter_env`), as for ``make lab``.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path

from .paths import course_root

DASHBOARD = "notebooks/demo/dashboard.ipynb"
#: The Jupyter data folder holding the course's Voilà template.
JUPYTER_DATA = Path(__file__).resolve().parent / "jupyter_data"
TEMPLATE = "course-offline"
TEMPLATE_DIR = JUPYTER_DATA / "voila" / "templates" / TEMPLATE


def jupyter_env(root: Path | None = None) -> dict[str, str]:
    """Jupyter's own folders inside the course's ``.venv/jupyter/``, as ``make lab`` sets them.

    The same variables as ``LAB_ENV`` in the Makefile (``tests/tooling/test_lab_settings.py``
    keeps them equal), so the demo writes nothing to ``~/.local/share/jupyter`` or ``~/.jupyter``.
    """
    home = (root or course_root()) / ".venv" / "jupyter"
    return {
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "IPYTHONDIR": str(home / "ipython"),
        "MPLCONFIGDIR": str(home / "matplotlib"),
    }


def voila_command(port: int, open_browser: bool = True) -> list[str]:
    """The Voilà command line: local only, code hidden, every execution with a timeout."""
    cmd = [
        sys.executable,
        "-m",
        "defection_course.demo",
        DASHBOARD,
        f"--template={TEMPLATE}",
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


def run_voila(argv: list[str]) -> None:
    """Start Voilà with the course's template folder on ``JUPYTER_PATH`` (first)."""
    paths = [str(JUPYTER_DATA)] + [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    os.environ["JUPYTER_PATH"] = os.pathsep.join(paths)
    from voila.app import Voila

    Voila.launch_instance(argv)


def _stop_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def serve(port: int = 8866, open_browser: bool = True) -> int:
    """Run Voilà until interrupted (Ctrl+C), and stop it with this process.

    Voilà runs as a child process; if this process is ended (Ctrl+C, or SIGTERM from a
    process manager or ``timeout``), Voilà and its kernels are stopped too rather than left
    holding the port.
    """
    print(f"Serving the course dashboard on http://127.0.0.1:{port}/ (Ctrl+C to stop)")
    env = dict(os.environ, **jupyter_env())
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


def configure(parser: argparse.ArgumentParser) -> None:
    """The ``demo`` job's arguments (see :mod:`defection_course.cli`)."""
    parser.add_argument("--port", type=int, default=8866, help="port on 127.0.0.1 (default %(default)s)")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    parser.set_defaults(run=lambda args: serve(port=args.port, open_browser=not args.no_browser))


if __name__ == "__main__":  # pragma: no cover - the Voilà process itself
    run_voila(sys.argv[1:])
