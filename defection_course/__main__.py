"""``python -m defection_course``: see :mod:`defection_course.cli`."""

import sys

# jsonschema, which nbformat imports, checks the "iri" string formats with rfc3987_syntax when that
# is installed (Jupyter's event schemas ask for it), and rfc3987_syntax compiles a grammar when it
# is imported: about a second of every command's start. No command of the course checks an IRI, so
# a command leaves it out (only this process and the grader's worker processes forked from it).
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

from .cli import main  # noqa: E402

sys.exit(main())
