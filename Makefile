# Two commands for a newcomer: `make demo` runs Miroir, `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PIP = $(VENV)/bin/pip
STAMP = $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.PHONY: demo test lint install-dev

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.app: $(VENV)/bin/python pyproject.toml
	$(PIP) install -q -e .
	touch $@

# torch first, pinned to the local CPU wheel, so pip never resolves a bare torch (GBs of CUDA).
$(STAMP): $(VENV)/bin/python pyproject.toml
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e '.[dev]'
	touch $@

install-dev: $(STAMP)

demo: $(VENV)/.app
	$(VENV)/bin/miroir serve --demo

test: $(STAMP)
	$(VENV)/bin/python -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
