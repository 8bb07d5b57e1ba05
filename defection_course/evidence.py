"""Lesson 5 helpers, now in :mod:`defection_course.lessons.evidence`.

Kept as a thin alias because solutions, exercises and the question bank still import
``defection_course.evidence``; delete once they import from ``defection_course.lessons``.
"""

from __future__ import annotations

from .lessons.evidence import CLAIM_TABLES, recency_curve

__all__ = ["CLAIM_TABLES", "recency_curve"]
