"""All simulated wrong answers: WRONG = {question id: [(make_answer, message fragment), ...]}.

Each lesson keeps its own file, tests/wrong_answers_lessonN.py, defining WRONG for its questions.
"""

from __future__ import annotations

import importlib
from pathlib import Path

WRONG: dict = {}
for path in sorted(Path(__file__).parent.glob("wrong_answers_lesson*.py")):
    module = importlib.import_module(path.stem)
    overlap = set(WRONG) & set(module.WRONG)
    assert not overlap, f"duplicate wrong answers for {overlap}"
    WRONG.update(module.WRONG)
