# Two commands are all a learner or a teacher needs (see README.md):
#   make lab    create .venv, install the pinned packages, open JupyterLab on the start page
#   make test   install what is missing (incl. test tools) and run the whole test suite
# (Maintainers: `make test-fast` runs the quick part while editing; see CONTRIBUTING.md.)
# Both are quick when nothing changed: installs are redone only when a requirements file changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check --quiet
RUN_STAMP  := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
ROOT_FLAG  := $(if $(filter 0,$(shell id -u)),--allow-root,)
# `make lab` keeps Jupyter's own files inside the course folder (.venv/jupyter/) and applies the
# course's JupyterLab defaults (jupyter-settings/overrides.json: no news prompt, no update check;
# page_config.json and jupyter_server_config.json: nbgrader, which `make test` installs, stays off).
# `make demo` uses the same folders (defection_course/demo.py: jupyter_env; a test keeps the two equal).
LAB_HOME  := $(CURDIR)/$(VENV)/jupyter
LAB_ENV   := JUPYTER_CONFIG_DIR=$(LAB_HOME)/config JUPYTER_DATA_DIR=$(LAB_HOME)/data \
  JUPYTER_RUNTIME_DIR=$(LAB_HOME)/runtime IPYTHONDIR=$(LAB_HOME)/ipython MPLCONFIGDIR=$(LAB_HOME)/matplotlib
LAB_FLAGS := --LabApp.app_settings_dir=$(CURDIR)/jupyter-settings \
  --config=$(CURDIR)/jupyter-settings/jupyter_server_config.json \
  --LabApp.user_settings_dir=$(LAB_HOME)/lab/user-settings --LabApp.workspaces_dir=$(LAB_HOME)/lab/workspaces

.PHONY: lab test test-fast demo handout sync exercises outputs benchmarks data environment site site-teacher check-python clean help

help:
	@echo "make lab        open the course in JupyterLab (creates .venv on first run)"
	@echo "make test       run every test: data, helpers, notebooks (nbval), grader, browser"
	@echo "make test-fast  the quick part (about a minute): no notebooks, browser, grader runs or site builds"
	@echo "make demo       serve the interactives as a Voila dashboard for projecting in class"
	@echo "make handout    write build/handout: what students get for graded work (no solutions, no answers)"
	@echo "make sync       after editing a lesson or solution .md: update its .ipynb, re-run it, rebuild exercises"
	@echo "make exercises  rebuild question keys, test cases and exercises/ from solutions/"
	@echo "make outputs    re-execute the notebooks and store their outputs"
	@echo "make data       rebuild data/datapackage.json after editing a CSV"
	@echo "make environment  rewrite environment.yml after changing a pinned version"
	@echo "make benchmarks print widget-latency (kernel; Chromium on the demo) and grading-throughput figures"
	@echo "make site       build the course website into build/site/html (warnings are errors)"
	@echo "make site-teacher  the same with the solutions, into build/site-teacher/html"

check-python:
	@$(PYTHON) -c 'import sys; v = sys.version_info; sys.exit(0 if v >= (3, 11) else \
	  f"This course needs Python 3.11 or newer (pandas 3 does); found {sys.version.split()[0]}. " \
	  "Install a newer Python, or run: make lab PYTHON=python3.12")'

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): requirements.txt pyproject.toml | $(BIN)/python
	$(PIP) install -r requirements.txt
	$(PIP) install --no-deps -e .
	@touch $@

$(TEST_STAMP): requirements-test.txt $(RUN_STAMP)
	$(PIP) install -r requirements-test.txt
	@touch $@

lab: $(RUN_STAMP)
	@$(LAB_ENV) $(BIN)/python -c "from defection_course.style import check_fonts; check_fonts()"
	$(LAB_ENV) $(BIN)/jupyter lab $(ROOT_FLAG) $(LAB_FLAGS) notebooks/00_start_here.ipynb

test: $(TEST_STAMP)
	$(BIN)/python -m pytest

# Only tests/ (so nbval collects no notebook), without the `slow` and `browser` markers.
test-fast: $(TEST_STAMP)
	$(BIN)/python -m pytest tests -m "not slow and not browser"

demo: $(RUN_STAMP)
	$(LAB_ENV) $(BIN)/python -m defection_course demo

handout: $(RUN_STAMP)
	rm -rf build/handout
	$(BIN)/python -m defection_course handout build/handout

sync: $(RUN_STAMP)
	$(BIN)/python -m defection_course sync

exercises: $(RUN_STAMP)
	$(BIN)/python -m defection_course build-questions
	$(BIN)/python -m defection_course build-exercises

outputs: $(RUN_STAMP)
	$(BIN)/python -m defection_course execute notebooks/*.ipynb solutions/*.ipynb exercises/*.ipynb

data: $(RUN_STAMP)
	$(BIN)/python -m defection_course build-data

environment: $(RUN_STAMP)
	$(BIN)/python -m defection_course sync-environment

benchmarks: $(TEST_STAMP)
	$(BIN)/python benchmarks/widget_latency.py
	$(BIN)/python benchmarks/demo_latency.py
	$(BIN)/python benchmarks/grading_throughput.py
	$(BIN)/python benchmarks/grading_scale.py

site: $(TEST_STAMP)
	$(BIN)/python -m defection_course site

site-teacher: $(TEST_STAMP)
	$(BIN)/python -m defection_course site --teacher

clean:
	rm -rf build results
