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

# Reinstall only when requirements.txt changes.
$(SETUP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(SETUP)

serve: $(SETUP)
	$(BIN)/invoke livereload

build: $(SETUP)
	$(BIN)/invoke build

test: $(SETUP)
	$(BIN)/invoke test

clean:
	$(BIN)/invoke clean
