"""Lesson 3 helpers, now in :mod:`defection_course.lessons.purges`.

Kept as a thin alias because solutions, exercises and answer keys still import
``defection_course.purges``; delete once they import from ``defection_course.lessons``.
"""

from __future__ import annotations

from .lessons.purges import (
    LEADER_NAMES,
    LEADERS,
    REPORT_STATUSES,
    contradicted_share,
    elite_cases_per_year,
    leader_in,
    purge_reports,
)

__all__ = [
    "LEADERS",
    "LEADER_NAMES",
    "REPORT_STATUSES",
    "contradicted_share",
    "elite_cases_per_year",
    "leader_in",
    "purge_reports",
]
