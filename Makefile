# The two set-up commands of the README: `make run` and `make test`. Both start from nothing.
# Every install is the locked one: uv (itself pinned by hash in .ci/uv-requirements.txt) syncs
# .venv/ to exactly what uv.lock holds, and npm ci installs what package-lock.json holds.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_HOME := .venv-uv
UV := $(UV_HOME)/bin/uv
STAMP := $(VENV)/.installed-stamp
# The interpreter is the machine's own (PYTHON); uv never downloads one.
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run test test-fast test-oldest lint format bench eval fuzz lock upgrade system-deps clean

$(UV): .ci/uv-requirements.txt
	$(PYTHON) -m venv $(UV_HOME)
	$(UV_HOME)/bin/pip install --quiet --require-hashes -r .ci/uv-requirements.txt
	touch $(UV)

$(STAMP): $(UV) uv.lock pyproject.toml setup.py dashboard/package.json dashboard/package-lock.json
	$(UV) sync --locked --all-extras --python $(PYTHON) --quiet
	cd dashboard && npm ci --no-audit --no-fund --loglevel=error
	touch $(STAMP)

## uv.lock again from pyproject.toml, keeping every locked version the ranges still allow.
lock: $(UV)
	$(UV) lock --python $(PYTHON)

## uv.lock moved to the newest versions pyproject.toml allows, installed, then the fast lane.
upgrade: $(UV)
	$(UV) lock --upgrade --python $(PYTHON)
	$(MAKE) test-fast

## The lowest versions pyproject.toml allows for each direct dependency, in .venv-oldest/, then the fast lane.
test-oldest: $(UV) dashboard/node_modules/.package-lock.json
	rm -rf .venv-oldest
	$(UV) venv --quiet --python $(PYTHON) .venv-oldest
	VIRTUAL_ENV=.venv-oldest $(UV) pip install --quiet --resolution lowest-direct -e '.[dev,pdfium]'
	.venv-oldest/bin/pytest -m "not procs and not slow" -q -p no:cacheprovider

dashboard/node_modules/.package-lock.json: dashboard/package.json dashboard/package-lock.json
	cd dashboard && npm ci --no-audit --no-fund --loglevel=error

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
	rm -rf $(VENV) $(UV_HOME) .venv-oldest dashboard/node_modules dashboard/vendor .redis-dev build
