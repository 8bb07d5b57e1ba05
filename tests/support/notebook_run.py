"""One run of every notebook per test session: nbval's, offline, also compared images included.

nbval (``--nbval`` in ``pyproject.toml``) executes each notebook cell by cell in a fresh kernel and
compares the text of every output with the stored one. This plugin makes that single run do the
rest of the notebook checks, so no notebook is executed twice:

* the kernel nbval starts gets :data:`support.OFFLINE` on its ``PYTHONPATH`` (its
  ``sitecustomize`` blocks every connection to another host), so a notebook that quietly
  downloads something fails;
* every cell's outputs, as the kernel produced them, are recorded, and one more item per notebook,
  ``<notebook>::fresh offline run reproduces the stored outputs``, runs right after its last cell
  (on the same xdist worker: ``--dist loadfile`` groups items by file) and compares them with the
  stored outputs exactly, with :func:`defection_course.authoring.execute.outputs_of` — PNG
  bytes, alt text and tracebacks included, which nbval itself does not compare.

The tests that read executed outputs (``tests/notebooks/test_exercises.py``) read the stored ones;
this comparison is what makes those stored outputs the outputs of a fresh run.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

from . import OFFLINE

COMPARISON = "fresh offline run reproduces the stored outputs"


def _is_cell(item: pytest.Item) -> bool:
    return type(item).__name__ == "IPyNbCell"


class FreshRunComparison(pytest.Item):
    """The outputs nbval's run produced, cell by cell, against the notebook's stored outputs."""

    def __init__(self, *, cells: list[pytest.Item], recorded: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.cells = cells
        self.recorded = recorded
        self.add_marker(pytest.mark.slow)

    def runtest(self) -> None:
        """Fail on the first code cell whose fresh outputs differ from the stored ones."""
        from defection_course.authoring.execute import outputs_of

        path = Path(str(self.path))
        name = f"{path.parent.name}/{path.name}"
        missing = [c.name for c in self.cells if c.nodeid not in self.recorded]
        if missing:
            pytest.fail(f"{name}: {', '.join(missing)} did not run, so the run cannot be compared")
        fresh = nbformat.read(path, as_version=4)
        code = [c for c in fresh.cells if c.cell_type == "code"]
        assert len(code) == len(self.cells), f"{name} changed while it was being tested"
        for cell, item in zip(code, self.cells):
            cell.outputs = self.recorded[item.nodeid]
        stored = outputs_of(nbformat.read(path, as_version=4))
        for i, (a, b) in enumerate(zip(stored, outputs_of(fresh))):
            assert a == b, f"{name} code cell {i} differs when re-run:\n{json.dumps(b)[:600]}"

    def reportinfo(self) -> tuple[Path, int, str]:
        """Where pytest says the item is."""
        return Path(str(self.path)), 0, COMPARISON


class NotebookRun:
    """Offline kernels for nbval, its outputs recorded, one comparison item after each notebook."""

    def __init__(self) -> None:
        self.recorded: dict[str, Any] = {}

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> Iterator[None]:
        """Start nbval's kernel (in its notebook's first setup) with the network blocked."""
        if not _is_cell(item):
            yield
            return
        saved = os.environ.get("PYTHONPATH")
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(OFFLINE), saved]))
        try:
            yield
        finally:
            if saved is None:
                os.environ.pop("PYTHONPATH", None)
            else:
                os.environ["PYTHONPATH"] = saved

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Iterator[None]:
        """Keep what the kernel printed and displayed for this cell (also when nbval fails it)."""
        yield
        outputs = getattr(item, "test_outputs", None) if _is_cell(item) else None
        if outputs is not None:
            self.recorded[item.nodeid] = [nbformat.from_dict(dict(o)) for o in outputs]

    @pytest.hookimpl(tryfirst=True)  # before ``-m``/``-k`` deselect: ``-m "not slow"`` drops it
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        """Put a comparison item right after each notebook's last cell."""
        result: list[pytest.Item] = []
        for i, item in enumerate(items):
            result.append(item)
            nxt = items[i + 1] if i + 1 < len(items) else None
            if _is_cell(item) and (nxt is None or nxt.parent is not item.parent):
                cells = [c for c in items if c.parent is item.parent]
                result.append(
                    FreshRunComparison.from_parent(
                        item.parent, name=COMPARISON, cells=cells, recorded=self.recorded
                    )
                )
        items[:] = result
