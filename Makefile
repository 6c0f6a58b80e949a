# klpublish: make publish | make test | make lint | make check
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SETUP_STAMP := $(VENV)/.setup-done

.PHONY: setup test lint extract update publish clean

setup: $(SETUP_STAMP)

$(SETUP_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

test: $(SETUP_STAMP)
	$(BIN)/python -m pytest

lint: $(SETUP_STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

extract: $(SETUP_STAMP)
	$(BIN)/klpublish extract

update: extract
	$(BIN)/klpublish update

clean:
	rm -rf build
