"""Question definitions: a schema that names the ``.md`` file and line, generic probes, per-lesson files.

The definitions are read from copies of the real solution sources with one slip typed in; the
expected line is found in the edited text itself, not taken from the code under test.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT, answer_cases

from defection_course.authoring import questions as build
from defection_course.authoring import sync
from defection_course.authoring.probes import GENERIC

SOLUTION = ROOT / "solutions" / "01_defection_history.md"


def _copy_with(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    """A copy of lesson 1's solution source with one edit; the 1-based line where ``new`` starts."""
    text = SOLUTION.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    edited = text.replace(old, new)
    path = tmp_path / SOLUTION.name
    path.write_text(edited, encoding="utf-8")
    return path, edited[: edited.index(new)].count("\n") + 1


@pytest.mark.parametrize(
    "old, new, offset, says",
    [
        ("question: q1_1\nkind: number\n", "question: q1_1\nkind: number\ncolour: red\n", 2, "unknown key"),
        ("question: q1_1\nkind: number\n", "question: q1_1\nkind: number\nhnit: typo\n", 2, "'hnit'"),
        ("  end_2015:\n    message:", "  end_2015:\n    mesage:", 0, "mistake:end_2015 needs exactly"),
        ("min_series: 2", "min_series: 2\n  colour: red", 1, "figure: unknown key"),
        ("question: q1_2\nkind:", "question: q1_2\nskip_generic: [quoted, nope]\nkind:", 1, "nope"),
        ("question: q1_1\nkind: number\n", "question: q1_1\nkind: number\n  bad: [\n", 2, "does not parse"),
    ],
    ids=["unknown key", "misspelt field", "misspelt mistake key", "unknown figure key", "skip", "yaml"],
)
def test_a_slip_in_a_definition_names_the_md_file_and_line(tmp_path, old, new, offset, says):
    path, line = _copy_with(tmp_path, old, new)
    with pytest.raises(build.QuestionDefinitionError) as caught:
        build.definitions_in(path)
    message = str(caught.value)
    assert says in message, message
    at = line + offset
    # YAML reports a parse error where it notices it: on the bad line or the next
    assert any(f"{path}:{n}" in message for n in (at, at + 1) if says == "does not parse" or n == at), message
    assert "cell" not in message.split(":", 2)[-1][:20], message


def test_every_case_line_points_at_the_case_in_the_md():
    lines = SOLUTION.read_text(encoding="utf-8").splitlines()
    for d in build.definitions_in(SOLUTION):
        assert lines[d.line - 2].startswith("```yaml"), d.question.qid
        for name in d.mistakes:
            assert lines[d.lines[f"mistake:{name}"] - 1].strip() == f"{name}:", (d.question.qid, name)
        for i, code in enumerate(d.right):
            first = code.strip().splitlines()[0]
            assert first in lines[d.lines[f"right:{i}"] - 1] or first in lines[d.lines[f"right:{i}"]], (
                d.question.qid,
                i,
            )


def test_every_question_gets_its_kinds_generic_probes_and_their_cases_were_run():
    cases = answer_cases()
    definitions = build.all_definitions(ROOT)
    assert sum(len(d.generic) for d in definitions) >= 100
    for d in definitions:
        q = d.question
        kinds = {g.name for g in GENERIC[q.kind] if g.applies(q)}
        assert set(d.generic) <= kinds and len(d.generic) >= len(kinds) - 1, q.qid
        probes = cases[q.qid]["probes"]
        assert len(probes) == len(d.probes) + len(d.generic), q.qid
        assert [p["says"] for p in probes[len(d.probes) :]] == [s for _, s in d.generic.values()], q.qid
        wrong = cases[q.qid]["wrong"]
        assert len(wrong) == len(d.wrong) + len(d.generic_wrong), q.qid
        assert len(d.generic_wrong) == (2 if q.kind == "number" else 0), q.qid
    number = next(d for d in definitions if d.question.kind == "number" and d.question.percent)
    assert {"fraction", "times_100", "quoted"} <= set(number.generic)
    assert number.generic["quoted"] == (f"str({number.question.variable})", "in quotes")


def test_a_definition_may_leave_out_a_generic_probe_that_does_not_fit():
    q4_5 = next(d for d in build.all_definitions(ROOT) if d.question.qid == "q4_5")
    assert q4_5.question.decimals == 1 and "fewer_decimals" not in q4_5.generic


def test_one_solution_is_run_for_one_lesson_and_its_files_alone_are_named(monkeypatch):
    ran: list[Path] = []

    def fake(path, defs, timeout=120, root=None):
        ran.append(path)
        return {p: "x" for p in build.targets(defs[0].question.lesson, root).values()}

    monkeypatch.setattr(build, "build_lesson", fake)
    second = ROOT / "solutions" / "02_social_origins.md"
    files = build.build(ROOT, only=[second])
    assert ran == [second]
    assert sorted(p.name for p in files) == ["q2.answer_cases.json", "q2.keys.json", "q2.questions.json"]


def test_sync_of_one_solution_rebuilds_only_its_lesson(monkeypatch, capsys):
    from defection_course.authoring import exercise_builder

    md = ROOT / "solutions" / "02_social_origins.md"
    second = sync.Pair(md, md.with_suffix(".ipynb"))
    asked: dict[str, object] = {}
    monkeypatch.setattr(sync, "sync", lambda *a, **k: [(second, ["edited"])])
    monkeypatch.setattr(build, "build", lambda **k: asked.update(k) or {})
    monkeypatch.setattr(exercise_builder, "build_all", lambda **k: asked.update(exercises=k["only"]) or [])
    args = type("Args", (), {"notebooks": [], "timeout": 5, "check": False})()
    assert sync.run_job(args) == 0
    assert asked["only"] == [second.md] and asked["exercises"] == "02"


def test_the_lesson_files_hold_every_question_once_and_keys_for_each_checked_one():
    order: list[str] = []
    for n in range(1, 6):
        spec = json.loads((ROOT / "defection_course" / "questions" / f"q{n}.questions.json").read_text())
        keys = json.loads((ROOT / "defection_course" / "questions" / f"q{n}.keys.json").read_text())
        assert all(qid.startswith(f"q{n}_") for qid in spec["order"])
        assert set(keys) == {q for q in spec["order"] if spec["questions"][q]["kind"] != "text"}
        order += spec["order"]
    assert len(order) == len(set(order)) == len(build.all_definitions(ROOT))


def test_importing_the_checks_reads_no_question_file():
    """The files are read on first use (a check, a grader run), not when the package is imported."""
    code = (
        "import sys\n"
        "opened = []\n"
        "sys.addaudithook(lambda e, a: opened.append(str(a[0])) if e == 'open' and a and "
        "str(a[0]).endswith('.json') else None)\n"
        "import defection_course.checks, defection_course.questions, defection_course.grading.marks\n"
        "print([p for p in opened if 'questions' in p or 'keys' in p])\n"
        "from defection_course.questions import questions_for\n"
        "questions_for(2)\n"
        "print([p.rsplit('/', 1)[-1] for p in opened if 'questions' in p])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True, timeout=120
    ).stdout.splitlines()
    assert out[0] == "[]", out
    assert out[1] == "['q2.questions.json']", out


def test_a_cases_setup_runs_first_in_its_own_copy_of_the_namespace():
    from defection_course.authoring.harness import _answer

    namespace = {"a": 1, "answer": 10}
    assert _answer("x + 1", "answer", namespace, setup="x = a * 5") == 6
    assert _answer("answer = x * 3", "answer", namespace, setup="x = a * 5") == 15
    assert _answer("answer = a", "answer", namespace, setup="a = 3") == 3
    assert namespace == {"a": 1, "answer": 10}  # neither the setup nor the case leaked
    with pytest.raises(NameError):
        _answer("x", "answer", namespace)  # no setup, no x


def test_libyaml_reads_every_definition_as_the_pure_python_loader_does(monkeypatch):
    """The definitions are read with libyaml where PyYAML has it (25 times faster); every definition,
    with the ``.md`` line of each key and case, must come out equal to the pure-Python loader's."""
    import yaml

    if yaml.__with_libyaml__:
        assert build.YAML_LOADER is yaml.CSafeLoader, "PyYAML has libyaml: the definitions should use it"
    fast = build.all_definitions(ROOT)
    monkeypatch.setattr(build, "YAML_LOADER", yaml.SafeLoader)
    pure = build.all_definitions(ROOT)
    assert len(fast) == len(pure) > 0
    for a, b in zip(fast, pure):
        assert a == b, f"{a.where()}: libyaml and the pure-Python loader read it differently"
        assert a.lines == b.lines and len(a.lines) > 3, a.where()
