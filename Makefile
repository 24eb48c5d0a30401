# The two set-up commands of the README: `make run` and `make test`. Both start from nothing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-fast lint format bench eval fuzz system-deps clean

$(STAMP): pyproject.toml setup.py dashboard/package.json dashboard/package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	cd dashboard && npm ci --no-audit --no-fund --loglevel=error
	touch $(STAMP)

## Redis (a private one when none answers at REDIS_URL) + the Procfile's web and workers.
run: $(STAMP)
	$(BIN)/examgen dev

## Installs what the suite needs from the system (redis-server, Chromium), then lints and runs all of it.
test: system-deps lint
	$(BIN)/pytest

## The fast lane: no examgen process, server or browser starts (one private redis-server does), no 117-page book.
test-fast: $(STAMP)
	$(BIN)/pytest -m "not procs and not slow" -q

system-deps:
	@bash .ci/system-deps

## Fails on lint errors, unformatted code, type errors and imports that point up or sideways.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	$(BIN)/python -m bench

## The generator's mechanical quality per language (docs/quality.md); EVAL_ARGS=--check fails on a regression.
eval: $(STAMP)
	$(BIN)/python -m eval $(EVAL_ARGS)

fuzz: $(STAMP)
	EXAMGEN_FUZZ_EXAMPLES=500 $(BIN)/pytest tests/test_fuzz.py

clean:
	rm -rf $(VENV) dashboard/node_modules dashboard/vendor .redis-dev build
