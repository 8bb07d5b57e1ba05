"""Build the course website (Sphinx + myst-nb + sphinx-book-theme) from the course's own files.

``make site`` (or ``python -m defection_course site``) does two steps:

1. **Stage** a source tree under ``build/site/src/`` that mirrors the repository layout, built
   generically from ``course.yml`` (the lessons, in its order), ``data/datapackage.json`` and the
   files, never from lesson text:

   * ``notebooks/NN_*.ipynb`` and ``exercises/NN_*.ipynb`` (and, for the teacher edition only,
     ``solutions/NN_*.ipynb``): the ``.ipynb`` of each MyST/``.ipynb`` pair, because it holds the
     stored outputs; the paired ``.md`` is never staged, so Sphinx sees one file per page.
     Each notebook page gets a launch bar (Binder, JupyterHub via nbgitpuller, download of
     the unchanged ``.ipynb``); each widget output, which has no saved state, is replaced by a
     note with the same launch links (the lesson's static figure of the default view follows).
   * for the teacher edition only, ``notebooks/instructor_guide.md`` and ``docs/*.md`` as they are
     (they discuss the answers; the learners' edition holds what the hand-out holds);
   * ``data/index.md`` (the general part of ``data/README.md``) and one page per table
     (its README section and its schema from ``datapackage.json``), with the CSV to download;
   * ``index.md``, the start page: the README's introduction and the tables of contents.

   Relative links that point to a file the site does not publish (for example ``solutions/``
   in the learners' edition) are rewritten to the file in the repository.

2. **Build** it with ``sphinx-build -W --keep-going`` (warnings are errors) and the
   configuration in ``site/conf.py``, without executing anything (``nb_execution_mode =
   "off"``). The untouched ``.ipynb`` files are copied next to their pages for download.

Settings (repository URL, branch, Binder and JupyterHub addresses) live in ``site/site.toml``
and can be overridden with environment variables (see :class:`SiteSettings`). While one of them
is a placeholder (:func:`is_placeholder`), ``make site`` warns and ``site --publish`` refuses.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from posixpath import normpath
from urllib.parse import quote, urlencode, urlsplit

import nbformat

from .. import course
from ..cells import REMOVE_INPUT
from ..paths import course_root

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: Environment variables that override ``site/site.toml`` (name in the file -> variable).
ENV_OVERRIDES = {
    "repository_url": "COURSE_SITE_REPOSITORY_URL",
    "branch": "COURSE_SITE_BRANCH",
    "binderhub_url": "COURSE_SITE_BINDERHUB_URL",
    "jupyterhub_url": "COURSE_SITE_JUPYTERHUB_URL",
}
#: Markdown inline links (not images): ``[text](target)``.
LINK = re.compile(r"(?<!!)\[(?P<text>[^\]\n]*)\]\((?P<target>[^)\s]+)\)")
#: The marker in data/README.md after which the generated per-table sections start.
TABLES_MARKER = "<!-- BEGIN GENERATED TABLES -->"


def site_dir() -> Path:
    """The folder with the Sphinx configuration, static files and settings (``site/``)."""
    return course_root() / "site"


@dataclass(frozen=True)
class SiteSettings:
    """Where the launch links point. Every value can be overridden by an environment variable.

    ``repository_url`` (``COURSE_SITE_REPOSITORY_URL``) is the public git repository of the
    course; ``branch`` (``COURSE_SITE_BRANCH``); ``binderhub_url``
    (``COURSE_SITE_BINDERHUB_URL``, builds from ``environment.yml``); ``jupyterhub_url``
    (``COURSE_SITE_JUPYTERHUB_URL``, the hub that runs nbgitpuller).
    """

    title: str
    repository_url: str
    branch: str
    binderhub_url: str
    jupyterhub_url: str

    @classmethod
    def load(cls, path: Path | None = None) -> SiteSettings:
        """Read ``site/site.toml``, then apply the environment overrides."""
        values = tomllib.loads((path or site_dir() / "site.toml").read_text(encoding="utf-8"))
        for key, var in ENV_OVERRIDES.items():
            if os.environ.get(var, "").strip():
                values[key] = os.environ[var].strip()
        return cls(
            title=str(values["title"]),
            repository_url=str(values["repository_url"]).rstrip("/").removesuffix(".git"),
            branch=str(values["branch"]),
            binderhub_url=str(values["binderhub_url"]).rstrip("/"),
            jupyterhub_url=str(values["jupyterhub_url"]).rstrip("/"),
        )

    def placeholders(self) -> list[str]:
        """The settings that still hold a placeholder (see :func:`is_placeholder`), by name."""
        names = ("repository_url", "binderhub_url", "jupyterhub_url")
        return [name for name in names if is_placeholder(getattr(self, name))]

    @property
    def repo_slug(self) -> str:
        """``owner/name`` of the repository (the last two parts of its URL)."""
        return "/".join(self.repository_url.split("/")[-2:])

    @property
    def repo_name(self) -> str:
        """The folder nbgitpuller clones into: the repository's name."""
        return self.repository_url.split("/")[-1]


def is_placeholder(url: str) -> bool:
    """True for an address that is a placeholder: its host, or its first path part (a GitHub
    owner), is an ``example`` name (``jupyterhub.example.edu``, ``github.com/example-org/…``;
    RFC 2606 reserves ``example.com``/``.net``/``.org`` for documentation), or it is empty."""
    parts = urlsplit(url.strip())
    owner = parts.path.strip("/").split("/")[0]
    names = [*parts.netloc.lower().split("."), owner.lower()]
    return not parts.netloc or any(n == "example" or n.startswith("example-") for n in names)


def placeholder_message(settings: SiteSettings) -> str:
    """What to tell the person building the site when launch links would point to placeholders."""
    names = settings.placeholders()
    if not names:
        return ""
    lines = [f"  {name} = {getattr(settings, name)!r} (or {ENV_OVERRIDES[name]}=...)" for name in names]
    return (
        "The site's launch links (Binder, JupyterHub) and repository links point to placeholders:\n"
        + "\n".join(lines)
        + "\nSet them in site/site.toml (or the environment variables) before you publish the site; "
        "`python -m defection_course site --publish` refuses to build until they are set."
    )


def binder_url(settings: SiteSettings, repo_path: str) -> str:
    """A Binder link that builds the repository (from ``environment.yml``) and opens ``repo_path``."""
    return (
        f"{settings.binderhub_url}/v2/gh/{settings.repo_slug}/{quote(settings.branch, safe='')}"
        f"?{urlencode({'labpath': repo_path})}"
    )


def jupyterhub_url(settings: SiteSettings, repo_path: str) -> str:
    """An nbgitpuller link: the hub pulls the repository and opens ``repo_path`` in JupyterLab."""
    query = urlencode(
        {
            "repo": settings.repository_url,
            "branch": settings.branch,
            "urlpath": f"lab/tree/{settings.repo_name}/{repo_path}",
        }
    )
    return f"{settings.jupyterhub_url}/hub/user-redirect/git-pull?{query}"


def repository_file_url(settings: SiteSettings, repo_path: str, is_dir: bool = False) -> str:
    """The address of a file (or folder) of the course in its repository."""
    kind = "tree" if is_dir else "blob"
    return f"{settings.repository_url}/{kind}/{settings.branch}/{repo_path}"


def launch_html(settings: SiteSettings, repo_path: str, css_class: str, intro: str) -> str:
    """The three launch links as one HTML paragraph (Binder, JupyterHub, download)."""
    name = Path(repo_path).name
    links = [
        (binder_url(settings, repo_path), "Binder", "course-launch-binder", ""),
        (jupyterhub_url(settings, repo_path), "JupyterHub", "course-launch-jupyterhub", ""),
        (name, "Download the notebook (.ipynb)", "course-launch-download", f' download="{escape(name)}"'),
    ]
    anchors = " · ".join(
        f'<a class="{cls}" href="{escape(href)}"{extra}>{escape(label)}</a>'
        for href, label, cls, extra in links
    )
    return f'<p class="{css_class}">{intro} {anchors}</p>'


def launch_bar(settings: SiteSettings, repo_path: str) -> str:
    """The launch bar shown under the title of every notebook page."""
    inner = launch_html(settings, repo_path, "course-launch-links", "<strong>Run this notebook:</strong>")
    return f'<nav class="course-launch" aria-label="Run this notebook">\n{inner}\n</nav>'


def widget_note(settings: SiteSettings, repo_path: str, static_view: bool) -> str:
    """The note that replaces a widget's output, which needs a kernel (there is no saved state).

    ``static_view`` says whether the notebook shows a static figure of the default view after
    the widget (in the same section); the note says so only when it does.
    """
    follows = (
        "The figure that follows shows its default view."
        if static_view
        else "This page has no static copy of it."
    )
    return (
        f'<div class="admonition note course-widget-note{" course-widget-static" if static_view else ""}" '
        'role="note">\n'
        '<p class="admonition-title">Interactive figure</p>\n'
        "<p>The controls of this interactive figure need a running Python kernel, so this page "
        f"cannot show them. {follows} To move the controls, open the notebook and run it:</p>\n"
        + launch_html(settings, repo_path, "course-widget-launch", "")
        + "\n</div>"
    )


def static_view_follows(cells: list[nbformat.NotebookNode], index: int) -> bool:
    """True if a code cell after ``cells[index]``, before the next heading, shows an image."""
    for cell in cells[index + 1 :]:
        if cell.cell_type == "markdown" and re.search(r"(?m)^#{1,6} ", cell.source):
            return False
        if cell.cell_type == "code" and any(
            "image/png" in o.get("data", {}) for o in cell.get("outputs", [])
        ):
            return True
    return False


def _image_alt(output: nbformat.NotebookNode) -> str | None:
    """The alt text the course stores with an image output (``metadata['image/png']['alt']``)."""
    if "image/png" not in output.get("data", {}):
        return None
    return output.get("metadata", {}).get("image/png", {}).get("alt")


def split_images(cell: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    """The cell, with its images' alt texts where myst-nb reads them (cell metadata).

    myst-nb takes an image's alt text from the cell (``metadata.mystnb.image.alt``), not from
    the output, so a cell with several images is split: each further image goes into a cell
    of its own with the input removed.
    """
    cells = [cell]
    outputs: list[nbformat.NotebookNode] = []
    for out in cell.get("outputs", []):
        alt = _image_alt(out)
        current = cells[-1]
        if alt is not None and any(_image_alt(o) is not None for o in outputs):
            # myst-nb skips a cell whose source is empty; the input is hidden anyway
            current = nbformat.v4.new_code_cell(
                "# output of the cell above", metadata={"tags": [REMOVE_INPUT]}
            )
            cells[-1].outputs = outputs
            cells.append(current)
            outputs = []
        outputs.append(out)
        if alt:
            current.metadata.setdefault("mystnb", {})["image"] = {"alt": alt}
    cells[-1].outputs = outputs
    return cells


# ----------------------------------------------------------------------------- links
@dataclass
class LinkMap:
    """Which repository files become pages or downloads of the site, and where."""

    settings: SiteSettings
    root: Path
    #: repository path of a source -> staged path of its page (e.g. data/README.md -> data/index.md)
    pages: dict[str, str] = field(default_factory=dict)
    #: repository paths copied into the site as downloadable files
    files: set[str] = field(default_factory=set)

    def rewrite(self, text: str, source: str, staged: str | None = None) -> str:
        """Rewrite the relative links of Markdown ``text`` written at repository path ``source``.

        A link to a page of the site is made relative to the staged page (``staged``, default
        ``source``); a link to a published file is kept; a link to any other file of the
        repository goes to that file in the repository. Anything else is left for Sphinx to
        report (a broken link fails the build).
        """
        here = Path(staged or source).parent.as_posix()

        def fix(match: re.Match[str]) -> str:
            target = match.group("target")
            if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith(("#", "/")):
                return match.group(0)
            path, sep, fragment = target.partition("#")
            repo_path = normpath(f"{Path(source).parent.as_posix()}/{path}").removeprefix("./")
            if repo_path in self.pages:
                new = _relative(self.pages[repo_path], here)
            elif repo_path in self.files:
                new = _relative(repo_path, here)
            elif (self.root / repo_path).exists() and not repo_path.startswith(".."):
                new = repository_file_url(self.settings, repo_path, (self.root / repo_path).is_dir())
            else:
                return match.group(0)
            return f"[{match.group('text')}]({new}{sep}{fragment})"

        return LINK.sub(fix, text)


def _relative(target: str, here: str) -> str:
    """``target`` (a staged path) relative to the folder ``here``."""
    return os.path.relpath(target, here or ".").replace(os.sep, "/")


# ----------------------------------------------------------------------------- staging
@dataclass
class Page:
    """One page of the site: where its source came from and where it was staged."""

    source: str  #: repository path (``notebooks/01_x.ipynb``, ``data/datapackage.json`` ...)
    staged: str  #: path in the staged tree (its page is the same path with ``.html``)
    kind: str  #: start, lesson, exercise, solution, guide, data
    widgets: int = 0  #: widget outputs replaced by a note

    @property
    def html(self) -> str:
        """The page's path in the built site."""
        return str(Path(self.staged).with_suffix(".html").as_posix())


def notebook_sources(root: Path, teacher: bool = False) -> list[tuple[str, str]]:
    """(repository path, kind) of every notebook the site shows, in ``course.yml``'s order:
    the lessons, then the exercises (and, in the teacher edition, the solutions)."""
    every = course.lessons(root)
    with_exercises = course.with_exercises(root)
    found = [(f"notebooks/{lesson.stem}.ipynb", "lesson") for lesson in every]
    found += [(f"exercises/{lesson.stem}.ipynb", "exercise") for lesson in with_exercises]
    if teacher:
        found += [(f"solutions/{lesson.stem}.ipynb", "solution") for lesson in with_exercises]
    return found


def guide_sources(root: Path) -> list[str]:
    """The teachers' pages: the instructor guide and every page in ``docs/``."""
    found = [root / "notebooks" / "instructor_guide.md", *sorted((root / "docs").glob("*.md"))]
    return [p.relative_to(root).as_posix() for p in found if p.is_file()]


def _split_title(nb: nbformat.NotebookNode) -> int:
    """Split the cell holding the notebook's ``# title`` after the title; return its index."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        lines = cell.source.splitlines()
        for j, line in enumerate(lines):
            if line.startswith("# "):
                rest = "\n".join(lines[j + 1 :]).strip("\n")
                cell.source = "\n".join(lines[: j + 1])
                if rest.strip():
                    nb.cells.insert(i + 1, nbformat.v4.new_markdown_cell(rest))
                return i
        return -1
    return -1


def stage_notebook(
    nb: nbformat.NotebookNode, repo_path: str, links: LinkMap
) -> tuple[nbformat.NotebookNode, int]:
    """The notebook as the site shows it: links fixed, launch bar, widget outputs replaced."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = links.rewrite(cell.source, repo_path)
    cells: list[nbformat.NotebookNode] = []
    widgets = 0
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            cells.append(cell)
            continue
        kept = [o for o in cell.get("outputs", []) if WIDGET_VIEW not in o.get("data", {})]
        removed = len(cell.get("outputs", [])) - len(kept)
        cell.outputs = kept
        cells += split_images(cell)
        if removed:
            widgets += removed
            note = widget_note(links.settings, repo_path, static_view_follows(nb.cells, i))
            cells.append(nbformat.v4.new_markdown_cell(note))
    nb.cells = cells
    title = _split_title(nb)
    nb.cells.insert(title + 1, nbformat.v4.new_markdown_cell(launch_bar(links.settings, repo_path)))
    nb.metadata.pop("widgets", None)  # no saved widget state: nothing for a widget manager to load
    return nb, widgets


def _readme_intro(root: Path) -> str:
    """The README's introduction: everything between its title and its first ``##`` heading."""
    lines = (root / "README.md").read_text(encoding="utf-8").splitlines()
    body: list[str] = []
    for line in lines[1:] if lines and lines[0].startswith("# ") else lines:
        if line.startswith("## "):
            break
        body.append(line)
    return "\n".join(body).strip()


def _title(path: Path) -> str:
    """The first ``# heading`` of a Markdown file or notebook."""
    if path.suffix == ".ipynb":
        text = "\n".join(
            c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown"
        )
    else:
        text = path.read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem


def _data_sections(readme: str) -> tuple[str, dict[str, str]]:
    """Split data/README.md into its general part and one section per ``### `file.csv` `` heading."""
    general, _, tables = readme.partition(TABLES_MARKER)
    sections: dict[str, str] = {}
    for block in re.split(r"(?m)^(?=### `)", tables):
        head = re.match(r"### `([^`]+)\.csv`", block)
        if head:
            sections[head.group(1)] = block.strip()
    return general.strip(), sections


def _constraint(value: object) -> str:
    """A constraint's value as the descriptor writes it (``true``, ``a, b, c``, ``[a-z]+``)."""
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return json.dumps(value) if isinstance(value, bool) else str(value)


def _schema_markdown(resource: dict, package: dict) -> str:
    """A table's machine-readable description from datapackage.json, as Markdown."""
    schema = resource.get("schema", {})
    lines = [
        "## Schema (from `datapackage.json`)",
        "",
        "| column | type | constraints |",
        "|---|---|---|",
    ]
    for fld in schema.get("fields", []):
        cons = fld.get("constraints", {})
        shown = "; ".join(  # as code, so a pattern's * or \\ is not read as Markdown
            f"`{k}: {_constraint(v)}`" for k, v in cons.items()
        )
        shown = shown.replace("|", "\\|")
        lines.append(f"| `{fld['name']}` | {fld.get('type', 'any')} | {shown or '-'} |")
    lines.append("")
    facts = [
        f"* **File:** {{download}}`{resource['path']} <{resource['path']}>` "
        f"({resource.get('rows', '?')} rows, {resource.get('bytes', '?')} bytes, "
        f"{resource.get('encoding', 'utf-8')})"
    ]
    if schema.get("primaryKey"):
        facts.append("* **Primary key:** " + ", ".join(f"`{k}`" for k in schema["primaryKey"]))
    for fk in schema.get("foreignKeys", []):
        ref = fk.get("reference", {})
        fields = fk.get("fields")
        ref_fields = ref.get("fields")
        fields = fields if isinstance(fields, list) else [fields]
        ref_fields = ref_fields if isinstance(ref_fields, list) else [ref_fields]
        facts.append(
            f"* **Foreign key:** {', '.join(f'`{f}`' for f in fields)} → "
            f"`{ref.get('resource') or resource['name']}` ({', '.join(f'`{f}`' for f in ref_fields)})"
        )
    if schema.get("missingValues") is not None:
        shown_missing = ", ".join(repr(v) for v in schema["missingValues"])
        facts.append(f"* **Missing values:** {shown_missing}")
    if resource.get("hash"):
        facts.append(f"* **Checksum:** `{resource['hash']}`")
    licences = resource.get("licenses") or package.get("licenses") or []
    if licences:
        facts.append(
            "* **Licence:** " + ", ".join(str(lic.get("title") or lic.get("name")) for lic in licences)
        )
    return "\n".join(lines + facts) + "\n"


def stage(out: Path, teacher: bool = False, root: Path | None = None) -> list[Page]:
    """Write the staged source tree into ``out/src`` and the downloads into ``out/extra``."""
    root = root or course_root()
    settings = SiteSettings.load(root / "site" / "site.toml")
    src, extra = out / "src", out / "extra"
    for folder in (src, extra):
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    package = json.loads((root / "data" / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}

    notebooks = notebook_sources(root, teacher)
    links = LinkMap(settings, root)
    for repo_path, _ in notebooks:
        links.pages[repo_path] = repo_path
    guides = guide_sources(root) if teacher else []  # they discuss the answers: not for learners
    for guide in guides:
        links.pages[guide] = guide
    links.pages["data/README.md"] = "data/index.md"
    links.pages["README.md"] = "index.md"
    for res in resources.values():
        links.files.add(f"data/{res['path']}")
    links.files.add("data/datapackage.json")

    pages: list[Page] = []
    for repo_path, kind in notebooks:
        nb = nbformat.read(root / repo_path, as_version=4)
        staged_nb, widgets = stage_notebook(nb, repo_path, links)
        target = src / repo_path
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(staged_nb, target)
        download = extra / repo_path  # the untouched notebook, next to its page
        download.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / repo_path, download)
        pages.append(Page(repo_path, repo_path, kind, widgets))

    for guide in guides:
        text = links.rewrite((root / guide).read_text(encoding="utf-8"), guide)
        (src / guide).parent.mkdir(parents=True, exist_ok=True)
        (src / guide).write_text(text, encoding="utf-8")
        pages.append(Page(guide, guide, "guide"))

    general, sections = _data_sections((root / "data" / "README.md").read_text(encoding="utf-8"))
    (src / "data").mkdir(parents=True, exist_ok=True)
    table_pages = [f"{name}" for name in resources]
    general = links.rewrite(general, "data/README.md", "data/index.md")
    toc = "\n".join(["", "## The tables", "", "```{toctree}", ":maxdepth: 1", "", *table_pages, "```", ""])
    (src / "data" / "index.md").write_text(general + "\n" + toc, encoding="utf-8")
    pages.append(Page("data/README.md", "data/index.md", "data"))
    for name, res in resources.items():
        section = sections.get(
            name, f"### `{res['path']}`: {res.get('title', name)}\n\n{res.get('description', '')}"
        )
        section = re.sub(r"^### ", "# ", section, count=1)
        section = links.rewrite(section, "data/README.md", f"data/{name}.md")
        body = section + "\n\n" + _schema_markdown(res, package)
        (src / "data" / f"{name}.md").write_text(body, encoding="utf-8")
        shutil.copy2(root / "data" / res["path"], src / "data" / res["path"])
        pages.append(Page(f"data/{res['path']}", f"data/{name}.md", "data"))
    shutil.copy2(root / "data" / "datapackage.json", src / "data" / "datapackage.json")

    (src / "index.md").write_text(_start_page(root, settings, pages, teacher, links), encoding="utf-8")
    pages.insert(0, Page("README.md", "index.md", "start"))
    manifest = {"teacher": teacher, "pages": [p.__dict__ for p in pages]}
    (out / "pages.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return pages


def _toctree(caption: str, entries: list[str]) -> str:
    return "\n".join(["```{toctree}", f":caption: {caption}", ":maxdepth: 1", "", *entries, "```", ""])


def _start_page(root: Path, settings: SiteSettings, pages: list[Page], teacher: bool, links: LinkMap) -> str:
    """The site's start page: the README's introduction, then every part of the course."""

    def entries(kind: str) -> list[str]:
        return [str(Path(p.staged).with_suffix("").as_posix()) for p in pages if p.kind == kind]

    edition = " (teacher edition, with solutions)" if teacher else ""
    intro = links.rewrite(_readme_intro(root), "README.md", "index.md")
    lesson_rows = [
        f"* [{_title(root / p.source)}]({p.staged})" for p in pages if p.kind == "lesson"
    ]  # the toctree lists them too; this list is for the start page's reader
    parts = [
        f"# {settings.title}{edition}",
        "",
        intro,
        "",
        "## The lessons",
        "",
        "Read them here, or run them: every notebook page has links to open it on Binder or on a "
        "JupyterHub, or to download it.",
        "",
        *lesson_rows,
        "",
        f"The course's files are in [its repository]({settings.repository_url}).",
        "",
        _toctree("Lessons", entries("lesson")),
        _toctree("Exercises", entries("exercise")),
    ]
    parts.append(_toctree("Data", ["data/index"]))
    if teacher:
        parts += [_toctree("Solutions", entries("solution")), _toctree("For teachers", entries("guide"))]
    return "\n".join(parts)


# ----------------------------------------------------------------------------- build
@dataclass
class BuildResult:
    """What a build produced, and how long it took."""

    html: Path
    pages: list[Page]
    seconds: float
    returncode: int
    log: str
    cpu_seconds: float = 0.0  #: CPU time of the build (Sphinx runs in a child process)

    def html_files(self) -> list[Path]:
        """Every HTML page of the built site (not the theme's template snippets in ``_static/``)."""
        return sorted(p for p in self.html.rglob("*.html") if p.relative_to(self.html).parts[0] != "_static")

    def size_bytes(self) -> int:
        """The size of the built site on disk."""
        return sum(p.stat().st_size for p in self.html.rglob("*") if p.is_file())


def run_sphinx(
    src: Path, html: Path, doctrees: Path, extra: Path | None = None, jobs: int = 1
) -> subprocess.CompletedProcess[str]:
    """Run ``sphinx-build -W --keep-going -E`` with ``site/conf.py`` on a staged tree.

    Warnings are errors, every page is read afresh (no warning can hide in a cached doctree),
    and ``extra`` (the untouched notebooks) is copied into the output as it is.
    """
    root = course_root()
    if html.exists():
        shutil.rmtree(html)
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-E", "-q", "-b", "html"]
    command += ["-j", str(jobs), "-d", str(doctrees), "-c", str(root / "site"), str(src), str(html)]
    env = dict(os.environ, COURSE_SITE_EXTRA=str(extra) if extra else "")
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=900)


def _children_cpu() -> float:
    """CPU seconds used so far by finished child processes."""
    times = os.times()
    return times.children_user + times.children_system


#: The theme's button that opens a section of the navigation has an icon and no text.
TOGGLE = '<summary><span class="toctree-toggle" role="presentation">'
TOGGLE_LABELLED = (
    '<summary aria-label="Show or hide the pages of this section">'
    '<span class="toctree-toggle" role="presentation">'
)


def label_toggles(html: Path) -> int:
    """Give the navigation's section toggles a name (axe-core: "summary-name"); return how many."""
    count = 0
    for page in html.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if TOGGLE in text:
            count += text.count(TOGGLE)
            page.write_text(text.replace(TOGGLE, TOGGLE_LABELLED), encoding="utf-8")
    return count


def build(out: Path | None = None, teacher: bool = False, jobs: int = 1) -> BuildResult:
    """Stage and build the site into ``out/html`` with warnings as errors; nothing is executed."""
    root = course_root()
    out = out or root / "build" / ("site-teacher" if teacher else "site")
    start, cpu_start = time.monotonic(), time.process_time() + _children_cpu()
    pages = stage(out, teacher, root)
    proc = run_sphinx(out / "src", out / "html", out / "doctrees", out / "extra", jobs)
    if proc.returncode == 0:
        label_toggles(out / "html")
    seconds, cpu = time.monotonic() - start, time.process_time() + _children_cpu() - cpu_start
    return BuildResult(out / "html", pages, seconds, proc.returncode, proc.stdout + proc.stderr, cpu)


def configure(parser: argparse.ArgumentParser) -> None:
    """The ``site`` job's arguments (see :mod:`defection_course.cli`)."""
    parser.add_argument("--teacher", action="store_true", help="include the solutions (teacher edition)")
    parser.add_argument("--out", type=Path, help="output folder (default build/site or build/site-teacher)")
    parser.add_argument("--jobs", type=int, default=1, help="parallel Sphinx processes")
    parser.add_argument(
        "--publish",
        action="store_true",
        help="refuse to build while site/site.toml holds a placeholder address (default: warn)",
    )
    parser.set_defaults(run=run_job)


def run_job(args: argparse.Namespace) -> int:
    """Build the site and print build time, page count and size; 1 if Sphinx reported a problem."""
    warning = placeholder_message(SiteSettings.load())
    if warning and args.publish:
        print(f"error: {warning}", file=sys.stderr)
        return 1
    if warning:
        print(f"WARNING: {warning}", file=sys.stderr)
    result = build(args.out, args.teacher, args.jobs)
    if result.log.strip():
        print(result.log.rstrip(), file=sys.stderr)
    if result.returncode:
        print(f"site build failed (sphinx exit code {result.returncode})", file=sys.stderr)
        return 1
    files = result.html_files()
    print(
        f"built {len(files)} pages ({len(result.pages)} from course files) in {result.seconds:.1f} s "
        f"({result.cpu_seconds:.1f} s of CPU); "
        f"{result.size_bytes() / 1e6:.1f} MB in {result.html}"
    )
    print(f"open {result.html / 'index.html'}")
    if warning:  # again at the end, where it is seen
        print(
            "WARNING: built with placeholder launch links (see above); do not publish this build.",
            file=sys.stderr,
        )
    return 0
