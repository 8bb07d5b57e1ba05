"""benchmarks/suite_time.py shares the machine's busy cores among the tests running at the time."""

from __future__ import annotations

import importlib.util

from support import ROOT

spec = importlib.util.spec_from_file_location("suite_time", ROOT / "benchmarks" / "suite_time.py")
assert spec and spec.loader
suite_time = importlib.util.module_from_spec(spec)
spec.loader.exec_module(suite_time)


def test_busy_cores_are_shared_among_the_tests_running_then() -> None:
    tests = [
        {"id": "tests/a.py::one", "worker": "gw0", "start": 0.0, "end": 4.0},
        {"id": "tests/b.py::two", "worker": "gw1", "start": 2.0, "end": 4.0},
        {"id": "tests/b.py::three", "worker": "gw1", "start": 4.0, "end": 6.0},
    ]
    samples = [(0.0, 2.0, 2.0), (2.0, 4.0, 1.0), (4.0, 6.0, 0.5), (6.0, 8.0, 2.0)]  # (from, to, cores)
    spent = suite_time.attribute(tests, samples)
    # 0-2: a alone, 2 cores x 2 s; 2-4: a and b share 1 core; 4-6: b alone, half a core; 6-8: nobody
    assert spent == {"tests/a.py": 4.0 + 1.0, "tests/b.py": 1.0 + 1.0}
