"""Instant feedback for exercise notebooks.

``check("q1_3", share)`` prints whether an answer is right and, if not, what is wrong in
words; ``check_all()`` re-runs every check of the notebook. Answers are compared with
hashed keys, so the expected values are not stored in the package.

Modules: ``describe`` (answer -> JSON description), ``keys`` (hashing and the key file),
``spec`` (questions and evaluation), ``runner`` (the functions learners call).
"""

from . import figures as _figures  # noqa: F401  (fills spec.FIGURE_CHECKS)
from .describe import describe
from .runner import all_results, check, check_all, format_result, result_for
from .spec import CANNOT_CHECK, NOT_ANSWERED, NOT_YET, PASSED, RECORDED, FigureRules, Question, Result

__all__ = [
    "CANNOT_CHECK",
    "NOT_ANSWERED",
    "NOT_YET",
    "PASSED",
    "RECORDED",
    "FigureRules",
    "Question",
    "Result",
    "all_results",
    "check",
    "check_all",
    "describe",
    "format_result",
    "result_for",
]
