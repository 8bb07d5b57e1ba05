"""Helper package for the course "Leaving North Korea: testing an argument with data".

Notebooks import what they need from here instead of repeating code:

* :func:`load` - a course table as a typed, validated DataFrame (``load("arrivals_annual")``);
* :func:`table_names` - the tables ``load`` knows;
* :func:`use_course_style` and :func:`show` - the colour-blind-safe plotting style, and
  displaying a figure with alt text and a caption.

Each module does one job: ``loading`` (read and validate data), ``datapackage`` (read the
schema), ``style`` (colours and fonts), ``figures`` (show figures), ``errors`` (friendly
errors).  Lessons, exercises and grading add their own modules.
"""

from __future__ import annotations

from .errors import CourseError, DataError, UnknownTableError
from .figures import show
from .loading import ModifiedDataWarning, load, table_names
from .style import use_course_style

__version__ = "1.0.0"
__all__ = [
    "CourseError",
    "DataError",
    "ModifiedDataWarning",
    "UnknownTableError",
    "__version__",
    "load",
    "show",
    "table_names",
    "use_course_style",
]
