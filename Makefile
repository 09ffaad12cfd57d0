# Two commands for a newcomer: `make demo` runs Miroir, `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PIP = $(VENV)/bin/pip
STAMP = $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

# PyTorch's CPU-only build, installed before transformers: a bare `pip install torch` resolves to
# the CUDA build on Linux (gigabytes of nvidia-* packages). The `+cpu` pin exists on no index but
# PyTorch's CPU one, so pip can never pick the CUDA build. A wheel pip finds with no index at all
# (a --find-links directory, as on our CI machines) comes first; otherwise PyTorch's CPU index.
TORCH = torch==2.13.0+cpu
TORCH_CPU_INDEX = https://download.pytorch.org/whl/cpu

# One pytest-xdist worker per core (2 on CI); tests that start processes or a browser take turns
# through a lock (tests/conftest.py). PYTEST_ARGS= runs in one process.
PYTEST_ARGS ?= -n auto

.PHONY: demo test lint install-dev

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.app: $(VENV)/bin/python pyproject.toml
	$(PIP) install -q -e .
	touch $@

$(STAMP): $(VENV)/bin/python pyproject.toml
	@$(PIP) install -q --no-index --no-deps $(TORCH) 2>/dev/null \
	  || { echo "No local $(TORCH) wheel: fetching it from $(TORCH_CPU_INDEX)"; \
	       $(PIP) install -q --no-deps --index-url $(TORCH_CPU_INDEX) $(TORCH); }
	$(PIP) install -q $(TORCH)  # torch is in place: this adds its dependencies
	$(PIP) install -q -e '.[dev]'
	touch $@

install-dev: $(STAMP)

demo: $(VENV)/.app
	$(VENV)/bin/miroir serve --demo

# pytest's exit code 5 means it collected nothing: that is a failure here, said in plain words.
test: $(STAMP)
	@echo "$(VENV)/bin/python -m pytest -q $(PYTEST_ARGS)"
	@$(VENV)/bin/python -m pytest -q $(PYTEST_ARGS); status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests: check the checkout and tests/"; fi; \
	  exit $$status

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
