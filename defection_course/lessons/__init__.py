"""One module per lesson: its constants, the charts behind its interactive, the interactive's
view (a pure function of the control values) and its widget front end.

``history`` (lesson 1), ``origins`` (2), ``purges`` (3), ``eastbloc`` (4), ``evidence`` (5).
The lessons themselves compute every claim's test in the open with pandas and seaborn; what
lives here is what a learner need not read: the explorers' plumbing and the few functions the
exercise solutions still import. Shared plumbing stays in :mod:`defection_course.charts`
(``_new``, ``empty_figure``, era shading), :mod:`defection_course.interactives` (``View``) and
:mod:`defection_course.widgets` (``Interactive``, ``_dropdown``, ``YearRange``).
"""

from collections.abc import Callable
from typing import Any


def moved_names(module: str, names: dict[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that resolves names moved into a lesson module, on first use.

    ``names`` maps each old name to the lesson module that now holds it (``"purges"``, ...);
    the import is lazy because the lesson modules import the module that uses this.
    """

    def __getattr__(name: str) -> Any:
        if name in names:
            import importlib

            return getattr(importlib.import_module(f"{__name__}.{names[name]}"), name)
        raise AttributeError(f"module {module!r} has no attribute {name!r}")

    return __getattr__
