#!/usr/bin/env python3
"""Widget update latency: the pure view function plus the redraw, per interactive.

For each interactive of the course registry (``course.yml``), in its order, cycles through a
fixed list of control changes (``CHANGES``; for an interactive not listed there, each drop-down
cycled through its first options) and times
(1) the view function alone and (2) the full update an ipywidgets control triggers
(view function + figure rendered to PNG + HTML for the summary and table), with the widget's
cache of rendered selections emptied first, and (3) the same update answered from that cache
(a selection shown before). Prints p50 and p95 in milliseconds. The end-to-end figure, in a
browser on the Voila demo, is ``benchmarks/demo_latency.py``.
``--baseline REF`` then measures the package at git ``REF`` the same way, in the same run.
Run: ``.venv/bin/python benchmarks/widget_latency.py [--repeat N] [--baseline REF]``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("agg")

from defection_course import course
from defection_course.style import use_course_style

#: Control values to cycle through, per interactive (by its name in ``course.yml``).
CHANGES: dict[str, list[dict[str, Any]]] = {
    "arrivals_explorer": [
        {"year_range": (1994, 2025), "sex": "everyone"},
        {"year_range": (2002, 2016), "sex": "women and men"},
        {"year_range": (2012, 2019), "sex": "women"},
        {"year_range": (1998, 2011), "sex": "everyone"},
    ],
    "origins_explorer": [
        {"dimension": "occupation", "snapshot": "github_c2024", "sex": "everyone"},
        {"dimension": "province", "snapshot": "github_c2024", "sex": "women"},
        {"dimension": "age", "snapshot": "mou_2020_09", "sex": "men"},
        {"dimension": "education", "snapshot": "datasom_2022_12", "sex": "everyone"},
    ],
    "purge_explorer": [
        {"leaders": ("Kim Jong-il", "Kim Jong-un"), "statuses": ("not contradicted", "disputed")},
        {"leaders": ("Kim Jong-un",), "statuses": ("contradicted: reappeared",)},
        {
            "leaders": ("Kim Il-sung", "Kim Jong-il", "Kim Jong-un"),
            "statuses": (
                "announced by North Korea",
                "not contradicted",
                "disputed",
                "contradicted: reappeared",
            ),
        },
    ],
    "eastbloc_explorer": [
        {"country": "all countries"},
        {"country": "USSR"},
        {"country": "Poland"},
        {"country": "Cuba"},
    ],
    "verdict_board": [
        {"verdict_C1": "supported"},
        {"verdict_C7": "partly supported", "strength_C7": "weak"},
        {"verdict_C8": "cannot tell from the data"},
        {"verdict_C1": "not decided yet"},
    ],
}


def scenarios() -> list[tuple[str, Callable[[], Any], list[dict[str, Any]]]]:
    """(name, interactive factory, control values) for every interactive of ``course.yml``, in order."""
    found = []
    for lesson in course.lessons():
        for item in lesson.interactives:
            build = lesson.interactive(item.name)
            changes = CHANGES.get(item.name) or _cycled_options(build)
            found.append((f"{item.name} (lesson {lesson.number})", build, changes))
    return found


def _cycled_options(build: Callable[[], Any], n: int = 4) -> list[dict[str, Any]]:
    """For an interactive without listed values: each drop-down cycled through its first options."""
    controls = {k: c for k, c in build().controls.items() if getattr(c, "options", None)}
    return [{k: _option(c, i) for k, c in controls.items()} for i in range(n)]


def _option(control: Any, i: int) -> Any:
    """The value of a control's ``i``-th option, cycled (an option may be a ``(label, value)`` pair;
    a multiple choice takes a tuple)."""
    option = control.options[i % len(control.options)]
    value = option[1] if isinstance(option, tuple) and len(option) == 2 else option
    return (value,) if isinstance(control.value, tuple) else value


def _set_quietly(inter, params: dict) -> None:
    """Set the controls without triggering an update (the timed update follows)."""
    for name, value in params.items():
        control = inter.controls[name]
        control.unobserve(inter.update, names="value")
        try:
            control.value = value
        finally:
            control.observe(inter.update, names="value")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="passes over each scenario (default 10)")
    parser.add_argument("--baseline", metavar="REF", help="then the same with the package at git REF")
    args = parser.parse_args()
    import defection_course

    print(f"package: {Path(defection_course.__file__).parent}")
    use_course_style()
    print(
        f"{'interactive':<32} {'view p50':>9} {'view p95':>9} {'update p50':>11} {'update p95':>11} "
        f"{'cached p50':>11} {'cached p95':>11}  (ms, n)"
    )
    for name, factory, params_list in scenarios():
        inter = factory()
        view_times, update_times, cached_times = [], [], []
        for _ in range(args.repeat):
            for params in params_list:
                _set_quietly(inter, params)
                t0 = time.perf_counter()
                inter.view_function(**inter.values())
                view_times.append(1000 * (time.perf_counter() - t0))
                _set_quietly(inter, params)
                inter.rendered.entries.clear()
                if hasattr(inter, "figures"):  # figures shared by selections (View.figure_key;
                    # an older tree run with --baseline has none)
                    inter.figures.entries.clear()
                t0 = time.perf_counter()
                inter.update()  # what a control change triggers: view + PNG + HTML
                update_times.append(1000 * (time.perf_counter() - t0))
                assert inter.current is not None and inter.current.ok, (name, params)
                t0 = time.perf_counter()
                inter.update()  # the same selection again: from the cache
                cached_times.append(1000 * (time.perf_counter() - t0))
        print(
            f"{name:<32} {percentile(view_times, 0.5):9.1f} {percentile(view_times, 0.95):9.1f} "
            f"{percentile(update_times, 0.5):11.1f} {percentile(update_times, 0.95):11.1f} "
            f"{percentile(cached_times, 0.5):11.2f} {percentile(cached_times, 0.95):11.2f}  "
            f"({len(update_times)})"
        )
    if args.baseline:
        baseline(args.baseline, args.repeat)


def baseline(ref: str, repeat: int) -> None:
    """Run this script again on the package at git ``ref`` (extracted with ``git archive``)."""
    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory(prefix="widget-latency-") as tmp:
        archive = subprocess.run(["git", "archive", ref], cwd=root, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        print(f"\nbaseline {ref}:", flush=True)
        command = [sys.executable, __file__, "--repeat", str(repeat)]
        subprocess.run(command, cwd=tmp, env={**os.environ, "PYTHONPATH": tmp}, check=True)


if __name__ == "__main__":
    main()
