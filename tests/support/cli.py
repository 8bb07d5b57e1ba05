"""The course's command line run in the test's own process: ``main(argv)`` as ``python -m`` runs it.

``python -m defection_course`` spends ~2 s importing the package (pandas, matplotlib, seaborn)
before it does anything; the report, merge, verify and export jobs the grading tests call a dozen
times each take a fraction of that. :func:`run` calls the same :func:`defection_course.cli.main`
with the same arguments and returns what a subprocess would: the exit code and the text printed
on stdout and stderr. Gradings stay real subprocesses (tests/support/grader.py), and
tests/tooling/test_cli.py runs the ``python -m`` entry point itself.

What a job changes in the process is put back afterwards: the report applies the course style
(matplotlib's settings and the style module's annotation scale), which a separate process would
have dropped on exit, and which must not reach the tests that run after it in this worker.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m defection_course *args``, in this process: exit code, stdout and stderr."""
    import matplotlib

    from defection_course import style
    from defection_course.cli import main

    out, err = io.StringIO(), io.StringIO()
    scale = dict(style._ANNOTATION_SCALE)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), matplotlib.rc_context():
        try:
            code = main(list(args))
        except SystemExit as exc:  # what ``sys.exit(main())`` would have exited with
            code = exc.code if isinstance(exc.code, int) else 1
        finally:
            style._ANNOTATION_SCALE.clear()
            style._ANNOTATION_SCALE.update(scale)
    argv = [sys.executable, "-m", "defection_course", *args]
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())
