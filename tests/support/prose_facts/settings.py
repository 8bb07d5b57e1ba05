"""Settings stated in prose (the grader's limits in ``docs/teaching.md``), from their one declaration."""

from __future__ import annotations

from defection_course.grading.limits import Limits

FACTS = {
    "limit_cell_timeout": lambda: f"{Limits.cell_timeout:g}",
    "limit_notebook_timeout": lambda: f"{Limits.notebook_timeout:g}",
    "limit_memory_gb": lambda: f"{Limits.memory_mb / 1024:g}",
    "limit_output_mb": lambda: f"{Limits.output_mb:g}",
    "limit_file_mb": lambda: f"{Limits.file_mb:g}",
    "limit_submission_mb": lambda: f"{Limits.submission_mb:g}",
    "limit_message_mb": lambda: f"{Limits.message_mb:g}",
    "limit_threads": lambda: f"{Limits.threads:g}",
    "limit_open_files": lambda: f"{Limits.open_files:g}",
}
