"""The lessons' interactives, by the names the notebooks call (``widgets.arrivals_explorer()``).

A plain facade: each explorer is built in its lesson's module in :mod:`defection_course.lessons`
(its data functions, chart and view live there too); the shared base (``View``,
``Interactive``, the labelled controls) is :mod:`defection_course.interactives`.
"""

from __future__ import annotations

from .interactives import Interactive
from .lessons.eastbloc import eastbloc_explorer
from .lessons.evidence import verdict_board
from .lessons.history import arrivals_explorer
from .lessons.origins import origins_explorer
from .lessons.purges import purge_explorer

__all__ = [
    "Interactive",
    "arrivals_explorer",
    "eastbloc_explorer",
    "origins_explorer",
    "purge_explorer",
    "verdict_board",
]
