"""The package's shape: no import cycle, no lazy re-exports, no module defined twice.

The import graph is read with ``ast`` from the source (``support.imports``), so the test sees
imports hidden inside functions too. The cycle finder itself is checked on generated packages
with and without a cycle, written in every import form the package uses.
"""

from __future__ import annotations

import ast
import random
from pathlib import Path

import pytest
from support import ROOT
from support.imports import cycles, import_graph

PACKAGE = ROOT / "defection_course"


def test_the_package_has_no_import_cycle():
    graph = import_graph(PACKAGE)
    assert "defection_course.lessons.history" in graph  # the graph covers subpackages
    assert "defection_course.interactives" in graph["defection_course.lessons.history"]
    assert cycles(graph) == []


def test_no_module_resolves_names_lazily():
    """A module-level ``__getattr__`` (lazy re-exports of moved names) hides where a name lives."""
    lazy = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name == "__getattr__":
                lazy.append(str(path.relative_to(ROOT)))
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "__getattr__" for t in node.targets
            ):
                lazy.append(str(path.relative_to(ROOT)))
    assert lazy == []


def test_each_lesson_module_exists_once():
    """No alias module at the top level shadows a lesson module (``defection_course.purges`` ...)."""
    lessons = {p.stem for p in (PACKAGE / "lessons").glob("*.py") if p.stem != "__init__"}
    top = {p.stem for p in PACKAGE.glob("*.py")}
    assert lessons and not lessons & top


# ----------------------------------------------------------------------------- the finder itself
IMPORT_FORMS = (
    "from . import {name}",
    "from .{name} import thing",
    "import pkg.{name}",
    "import pkg.{name} as alias",
    "from pkg.{name} import thing",
    "from pkg import {name}",
    "def later():\n    from .{name} import thing\n",
)


def _write_package(root: Path, edges: dict[str, list[str]], rng: random.Random) -> None:
    (root / "pkg").mkdir()
    (root / "pkg" / "__init__.py").write_text('"""A generated package."""\n')
    for module, targets in edges.items():
        lines = [rng.choice(IMPORT_FORMS).format(name=t) for t in targets]
        (root / "pkg" / f"{module}.py").write_text("\n".join(lines) + "\nthing = 1\n")


@pytest.mark.parametrize("seed", range(12))
def test_the_cycle_finder_finds_exactly_the_generated_cycles(tmp_path, seed):
    rng = random.Random(seed)
    names = [f"m{i}" for i in range(rng.randint(3, 9))]
    # a layered graph (imports only go to later modules) has no cycle ...
    edges = {
        n: sorted(rng.sample(names[i + 1 :], rng.randint(0, len(names) - i - 1))) for i, n in enumerate(names)
    }
    acyclic = tmp_path / "acyclic"
    acyclic.mkdir()
    _write_package(acyclic, edges, rng)
    assert cycles(import_graph(acyclic / "pkg")) == []
    # ... until one later module imports an earlier one along a chain
    first, last = sorted(rng.sample(range(len(names)), 2))
    for a, b in zip(names[first:last], names[first + 1 : last + 1]):
        edges[a] = sorted({*edges[a], b})
    edges[names[last]] = sorted({*edges[names[last]], names[first]})
    cyclic = tmp_path / "cyclic"
    cyclic.mkdir()
    _write_package(cyclic, edges, rng)
    found = cycles(import_graph(cyclic / "pkg"))
    assert len(found) == 1 and {f"pkg.{n}" for n in names[first : last + 1]} <= set(found[0])


def test_relative_imports_from_a_subpackage_resolve(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "base.py").write_text("from .sub.leaf import x\n")
    (pkg / "sub" / "leaf.py").write_text("from ..base import y\nx = 1\n")
    graph = import_graph(pkg)
    assert graph["pkg.sub.leaf"] == {"pkg.base"} and graph["pkg.base"] == {"pkg.sub.leaf"}
    assert cycles(graph) == [["pkg.base", "pkg.sub.leaf"]]


def test_the_command_line_starts_without_loading_the_plotting_libraries():
    """A teacher's command (``python -m defection_course grade …``) needs no plotting library: the
    package's import leaves matplotlib and seaborn unloaded (they load when a figure is drawn)."""
    import subprocess
    import sys

    code = (
        "import sys, defection_course, defection_course.cli, defection_course.grading.cli\n"
        "print(sorted(m for m in ('matplotlib', 'seaborn') if m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert run.stdout.strip() == "[]", run.stdout + run.stderr
