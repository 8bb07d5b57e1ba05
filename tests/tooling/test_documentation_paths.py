"""Every repository path written between backticks in the docs and docstrings exists.

Read: the Markdown files at the top, in ``docs/``, the folders' READMEs, and every docstring of
the package, the tests and the benchmarks. A backticked word counts as a repository path when it
starts with a top-level entry of the repository and has a ``/`` or a file extension;
``NN``/``N`` (and ``qN.``) stand for a lesson number and ``*`` for any name. Paths that name output, not
repository files, are listed in :data:`NOT_IN_THE_REPOSITORY` with the reason.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterator
from pathlib import Path

from support import ROOT

TICKS = re.compile(r"``?([^`\s]+)``?")
EXTENSION = re.compile(r"\.(py|md|toml|ya?ml|txt|cfg|json|ipynb|csv)$")
DOCUMENTED = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
#: Written output (not committed) and pages of the staged site: they exist only after a command.
NOT_IN_THE_REPOSITORY = {
    "build/": "make site, make test and the grader write there (git-ignored)",
    "data/index.md": "the staged site's page made from data/README.md (authoring/site_build.py)",
}


@functools.cache
def documents(root: Path = ROOT) -> tuple[tuple[Path, str], ...]:
    """(file, text) for every Markdown document and every docstring that is read here (read once)."""
    return tuple(_documents(root))


def _documents(root: Path) -> Iterator[tuple[Path, str]]:
    for pattern in ("*.md", "docs/*.md", "*/README.md"):
        for path in sorted(root.glob(pattern)):
            yield path, path.read_text(encoding="utf-8")
    for pattern in ("defection_course/**/*.py", "tests/**/*.py", "benchmarks/*.py"):
        for path in sorted(root.glob(pattern)):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, DOCUMENTED) and (doc := ast.get_docstring(node)):
                    yield path, doc


def repository_paths(text: str, top: set[str]) -> list[str]:
    """The backticked words of ``text`` that name a repository path (``::test`` and ``:line`` cut)."""
    found = []
    for match in TICKS.finditer(text):
        word = match.group(1).rstrip(".,;)")
        if any(c in word for c in "<>{}$|()=") or word.split("/")[0] not in top:
            continue
        if "/" in word or EXTENSION.search(word):
            found.append(word.split("::")[0].split(":")[0])
    return found


def exists(word: str, root: Path = ROOT) -> bool:
    """Whether the path (a pattern when it has ``*``, ``NN`` or a trailing ``N``) is in ``root``."""
    if any(word.startswith(p) for p in NOT_IN_THE_REPOSITORY):
        return True
    pattern = re.sub(r"(?<=[a-z])N(?=\.py$)|(?<=/q)N(?=\.)", "[0-9]", word.replace("NN", "[0-9][0-9]"))
    if pattern != word or "*" in word:
        return any(root.glob(pattern))
    return (root / word).exists()


def _top(root: Path = ROOT) -> set[str]:
    return {p.name for p in root.iterdir() if p.name not in {".git", ".venv"}}


def test_every_backticked_repository_path_exists() -> None:
    top = _top()
    named = {
        (str(path.relative_to(ROOT)), w) for path, text in documents() for w in repository_paths(text, top)
    }
    missing = sorted((path, word) for path, word in named if not exists(word))
    assert not missing, "paths that do not exist:\n" + "\n".join(f"{p}: `{w}`" for p, w in missing)


def test_the_check_finds_paths_and_notices_a_missing_one() -> None:
    top = _top()
    text = "See `tests/conftest.py`, ``notebooks/NN_*.md``, `tests/gone.py::test_x`, `pandas` and `x/y`."
    words = repository_paths(text, top)
    assert words == ["tests/conftest.py", "notebooks/NN_*.md", "tests/gone.py"]
    assert [exists(w) for w in words] == [True, True, False]
    assert exists("tests/support/prose_facts/lessonN.py") and not exists(
        "tests/support/prose_facts/lessonN.md"
    )
    assert len([w for _, t in documents() for w in repository_paths(t, top)]) > 100, "too few paths read"


def test_every_benchmark_is_run_by_make_benchmarks_or_named_in_the_readme():
    makefile, readme = (ROOT / "Makefile").read_text(), (ROOT / "README.md").read_text()
    target = makefile.split("\nbenchmarks:", 1)[1].split("\n\n", 1)[0]
    for script in sorted((ROOT / "benchmarks").glob("*.py")):
        name = f"benchmarks/{script.name}"
        assert name in target or name in readme, f"{name}: add it to `make benchmarks` or the README"
