"""Lesson 4 helpers, now in :mod:`defection_course.lessons.eastbloc`.

Kept as a thin alias because solutions, exercises and answer keys still import
``defection_course.eastbloc``; delete once they import from ``defection_course.lessons``.
"""

from __future__ import annotations

from .lessons.eastbloc import (
    elite_defectors,
    gdr_counts,
    gdr_flight,
    population_at,
    rate_per_100k,
    stasi_escapes,
)

__all__ = ["elite_defectors", "gdr_counts", "gdr_flight", "population_at", "rate_per_100k", "stasi_escapes"]
