# Two commands on a fresh machine with python3:
#   make serve   set up what the site needs, build it and serve it with live reload
#   make test    set up that plus the test tools, and run all the tests
# Everything else is an invoke task: .venv/bin/invoke --list

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SETUP := $(VENV)/.setup-done
SETUP_TEST := $(VENV)/.setup-test-done
SETUP_PRINT := $(VENV)/.setup-print-done
PLUGINS := plugins/tally plugins/event plugins/safe_titles
# pip-tools writes the locks; its own version is pinned here.
PIP_TOOLS := pip-tools==7.6.2
COMPILE := $(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --no-emit-trusted-host

.PHONY: setup setup-test setup-print init new-year serve desk build test preview publish gh-pages flyer lock clean

setup: $(SETUP)

setup-test: $(SETUP_TEST)

setup-print: $(SETUP_PRINT)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when a lock or a plugin's pyproject.toml changes. The plugins
# are installed editable: a change to their code needs no reinstall.
# PYTHONWARNINGS silences setuptools' box of asterisks about editable installs.
$(SETUP): $(BIN)/python requirements.txt $(addsuffix /pyproject.toml,$(PLUGINS))
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet -r requirements.txt $(addprefix -e ,$(PLUGINS))
	touch $(SETUP)

# The test tools (pytest, Playwright, axe, pypdf, ruff) on top of the site's.
$(SETUP_TEST): $(SETUP) requirements-test.txt
	$(BIN)/python -m pip install --quiet -r requirements.txt -r requirements-test.txt
	touch $(SETUP_TEST)

# Printing (the case-sheet pack of preview, publish and gh-pages, and the
# flyer) needs Playwright, pypdf and segno, at the versions the test lock
# pins; only these commands install them.
$(SETUP_PRINT): $(SETUP) requirements-test.txt
	$(BIN)/python -m pip install --quiet -c requirements-test.txt playwright pypdf segno
	touch $(SETUP_PRINT)

serve: $(SETUP)
	$(BIN)/invoke livereload

# The count desk for phones on the local network (docs/count-desk.md).
desk: $(SETUP)
	$(BIN)/invoke desk

# Asks for the evening's facts in the terminal and writes them into event.toml.
init: $(SETUP)
	$(BIN)/invoke init

# A new year: this year's site into content/archive/, a marked start for the
# new one (docs/new-year.md). make new-year YEAR=2026 [CASES=10]
new-year: $(SETUP)
	$(BIN)/invoke new-year $(YEAR) --cases $(or $(CASES),12)

preview publish gh-pages: $(SETUP_PRINT)
	$(BIN)/invoke $@

# The flyer is printed from the site make serve shows: build it first.
flyer: $(SETUP_PRINT)
	$(BIN)/invoke build
	$(BIN)/invoke flyer

build: $(SETUP)
	$(BIN)/invoke build

test: $(SETUP_TEST)
	$(BIN)/invoke test

# Write requirements.txt and requirements-test.txt again from the .in files:
# every package pinned, the ones both need at the same version.
lock: $(BIN)/python
	$(BIN)/python -m pip install --quiet $(PIP_TOOLS)
	$(COMPILE) --upgrade --output-file requirements.txt requirements.in
	$(COMPILE) --upgrade --output-file requirements-test.txt requirements-test.in

# No set-up needed: works on a fresh checkout.
clean:
	rm -rf output output-preview .output-*
