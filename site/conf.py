"""Sphinx configuration of the course website (built by ``make site``; see
``defection_course/authoring/site_build.py``).

Sphinx + myst-nb + sphinx-book-theme, the stack of Jupyter Book 1 (which QuantEcon uses), used
directly: every package comes from PyPI, so the site builds offline. Notebooks are rendered
from their stored outputs and never executed.
"""

from __future__ import annotations

import os
from pathlib import Path

from defection_course.authoring.site_build import SiteSettings

HERE = Path(__file__).resolve().parent
SETTINGS = SiteSettings.load(HERE / "site.toml")

project = SETTINGS.title
author = "The course authors"
copyright = "the course authors; text and data CC BY 4.0, code MIT"
language = "en"

extensions = ["myst_nb"]
myst_enable_extensions: list[str] = []  # plain CommonMark + tables, as the notebooks are written
myst_heading_anchors = 3  # links to #section-anchors in the lessons resolve
nb_execution_mode = "off"  # stored outputs only: nothing is executed
nb_ipywidgets_js: dict = {}  # widgets have no saved state; their outputs are replaced by a note
nb_merge_streams = True
exclude_patterns = ["**/.ipynb_checkpoints"]
suppress_warnings: list[str] = []

html_theme = "sphinx_book_theme"
html_title = SETTINGS.title
html_static_path = ["_static"]
html_css_files = ["course.css"]
# follow the reader's light/dark preference (an empty mode logs a console error)
html_context = {"default_mode": "auto"}
html_favicon = "_static/favicon.svg"  # no 404 for /favicon.ico in the browser console
html_copy_source = False  # the staged notebooks differ from the originals: offer the originals only
html_show_sourcelink = False
html_use_index = False  # no general index: the course has no index entries
html_extra_path = [os.environ["COURSE_SITE_EXTRA"]] if os.environ.get("COURSE_SITE_EXTRA") else []
html_theme_options = {
    "repository_url": SETTINGS.repository_url,
    "repository_branch": SETTINGS.branch,
    "use_repository_button": True,
    "use_download_button": False,  # our own launch bar offers the unchanged .ipynb
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "navigation_with_keys": False,
}
