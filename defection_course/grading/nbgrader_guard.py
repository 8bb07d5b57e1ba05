"""A guard for ``nbgrader autograde``: a notebook that is not nbgrader's release gets a reason.

nbgrader grades the cells it released, found by their ``nbgrader`` metadata. A student who hands in
the course's own notebook from ``exercises/`` (downloaded from the course, not fetched from nbgrader)
hands in a notebook without that metadata, and nbgrader would give every question 0 without an
error. ``nbgrader-export`` puts :class:`RequireReleasedNotebook` first among the autograder's
sanitizing steps (in ``nbgrader_config.py``), so such a notebook stops with :data:`REASON`
instead; the course's own grader (``python -m defection_course grade``) grades it as it is.

Imported only by nbgrader's configuration, so nbgrader is needed only where it is used.
"""

from __future__ import annotations

from typing import Any

from nbgrader.preprocessors import NbGraderPreprocessor

REASON = (
    "{notebook}: this notebook has none of nbgrader's cells, so nbgrader cannot grade it (every "
    "question would be 0). It is most likely the course's own exercises/ notebook rather than the "
    "one nbgrader released: ask the student to hand in the released notebook, or grade this one "
    "with the course's grader: python -m defection_course grade exercises/{notebook} FOLDER"
)


class NotReleased(Exception):
    """A submitted notebook without nbgrader's cells; the message says what to do."""


class RequireReleasedNotebook(NbGraderPreprocessor):
    """Refuse (with :data:`REASON`) a submitted notebook that has no nbgrader cell at all."""

    def preprocess(self, nb: Any, resources: dict) -> tuple[Any, dict]:
        if not any("nbgrader" in cell.get("metadata", {}) for cell in nb.cells):
            name = resources.get("nbgrader", {}).get("notebook", "the notebook")
            raise NotReleased(REASON.format(notebook=f"{name}.ipynb"))
        return nb, resources
