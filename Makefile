# The two set-up commands of the README: `make run` and `make test`. Both start from nothing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint bench fuzz system-deps clean

$(STAMP): pyproject.toml dashboard/package.json dashboard/package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	cd dashboard && npm ci --no-audit --no-fund --loglevel=error
	touch $(STAMP)

## Redis (a private one when none answers at REDIS_URL) + the Procfile's web and workers.
run: $(STAMP)
	$(BIN)/examgen dev

## Installs what the suite needs from the system (redis-server, Chromium), then runs all of it.
test: system-deps $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest

system-deps:
	@bash .ci/system-deps

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check . || true
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m bench

fuzz: $(STAMP)
	EXAMGEN_FUZZ_EXAMPLES=500 $(BIN)/pytest tests/test_fuzz.py

clean:
	rm -rf $(VENV) dashboard/node_modules .redis-dev
