"""A kernel imports what a submission will import before it runs one; the grader's zygote, once for all.

The rule is read from the notebooks, not from a list: every ``import`` in the exercises and the
solutions (what a submission runs) must find its module, and every ``from X import Y`` its ``Y``,
already loaded once :func:`~defection_course.grading.sandbox.preload` has run (the zygote runs it
before it forks the kernels). Without that, each submission pays the imports again (the cost is
noted at ``sandbox.PRELOAD``); it happened when the package's ``__init__`` stopped importing seaborn
and the zygote went on trusting that it did.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys

import nbformat
import pytest
from support import ROOT

#: run in a fresh interpreter: preload, then say which of the notebooks' imports would still load, and
#: which of the course's files (not code) the imports read
PROBE = """
import json, os, sys
root, read = os.getcwd(), []

def note(event, args):
    path = args[0] if event == "open" and isinstance(args[0], str) else ""
    if path.startswith(root) and not path.startswith(sys.prefix) and not path.endswith((".py", ".pyc")):
        read.append(path)

sys.addaudithook(note)
from defection_course.grading.sandbox import preload
failed = preload()
missing = []
for module, names in json.load(sys.stdin):
    loaded = sys.modules.get(module)
    if loaded is None:
        missing.append(module)
    missing += [f"{module}.{n}" for n in names if loaded is not None and not hasattr(loaded, n)]
print(json.dumps({"failed": failed, "missing": missing, "read": read}))
"""


def notebook_imports() -> dict[tuple[str, tuple[str, ...]], str]:
    """(module, names imported from it) -> the first notebook that imports it, for every code cell."""
    found: dict[tuple[str, tuple[str, ...]], str] = {}
    for path in sorted((ROOT / "exercises").glob("*.ipynb")) + sorted((ROOT / "solutions").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            code = "\n".join(l for l in cell.source.splitlines() if not l.lstrip().startswith(("%", "!")))
            for node in ast.walk(ast.parse(code)):
                if isinstance(node, ast.Import):
                    keys = [(alias.name, ()) for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    keys = [(node.module, tuple(alias.name for alias in node.names if alias.name != "*"))]
                else:
                    continue
                for key in keys:
                    found.setdefault(key, path.relative_to(ROOT).as_posix())
    return found


def probe(imports: list[list]) -> dict[str, list[str]]:
    """Run :data:`PROBE` on ``imports`` ([module, [names]] pairs) in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        input=json.dumps(imports),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "MPLBACKEND": "agg", "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.splitlines()[-1])


def test_the_notebooks_import_something_the_rule_can_see():
    modules = {module for module, _ in notebook_imports()}
    assert {"pandas", "seaborn", "matplotlib.pyplot"} <= modules, modules


@pytest.fixture(scope="module")
def preloaded() -> tuple[dict[tuple[str, tuple[str, ...]], str], dict[str, list[str]]]:
    """The notebooks' imports, and what the probe says of them (one interpreter for the module)."""
    imports = notebook_imports()
    return imports, probe([[module, list(names)] for module, names in imports])


def test_every_module_a_submission_imports_is_loaded_before_the_kernel_forks(preloaded):
    imports, result = preloaded
    assert result["failed"] == [], f"the zygote could not import {result['failed']}"
    where = {f"{m}.{n}" if n else m: nb for (m, names), nb in imports.items() for n in names or ("",)}
    assert result["missing"] == [], "imported again by every kernel (add to sandbox.PRELOAD): " + ", ".join(
        f"{name} ({where.get(name, where.get(name.rpartition('.')[0]))})" for name in result["missing"]
    )


def test_preloading_reads_no_course_file(preloaded):
    """What the zygote loads is shared by every kernel it forks: had an import read a table or a key,
    each kernel would keep the zygote's copy, read from the real course folder, not from its own."""
    assert preloaded[1]["read"] == []
