"""The instructor guide: the numbers it may state without a tag.

Its data figures are facts of the lesson modules (lesson1.py to lesson5.py), tagged like the lessons'.
"""

from __future__ import annotations

#: Timings (minutes), the op-ed's own figures when quoted, a rate's unit, and the arithmetic of
#: teaching examples ("multiply by 1,000", "16 years" counted by mistake).
CHECKED = {
    "notebooks/instructor_guide.md": {
        "45",
        "40",
        "30",
        "15",
        "12",
        "11",
        "10",
        "16",
        "5",
        "31,000",
        "95 percent",
        "5 percent",
        "95%",
        "100,000",
        "1,000",
    },
}
