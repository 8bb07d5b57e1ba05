"""``python -m defection_course``: see :mod:`defection_course.cli`."""

import sys

from .cli import main

sys.exit(main())
