# Two commands on a fresh machine with python3:
#   make serve   set up, build the site and serve it with live reload
#   make test    set up and run all the tests
# Everything else is an invoke task: .venv/bin/invoke --list

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SETUP := $(VENV)/.setup-done

.PHONY: setup serve build test clean

setup: $(SETUP)

PLUGINS := plugins/tally plugins/event plugins/safe_titles

# Reinstall only when the requirements or a plugin's pyproject.toml change.
# The plugins are installed editable: a change to their code needs no reinstall.
$(SETUP): requirements.txt $(addsuffix /pyproject.toml,$(PLUGINS))
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt $(addprefix -e ,$(PLUGINS))
	touch $(SETUP)

serve: $(SETUP)
	$(BIN)/invoke livereload

build: $(SETUP)
	$(BIN)/invoke build

test: $(SETUP)
	$(BIN)/invoke test

clean:
	$(BIN)/invoke clean
