# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint system-packages bench clean

# Debian packages the tests need (the browser tests open pages in chromium; the print tests print the workbook
# with LibreOffice, in Carlito, the metric twin of Excel's default font); `make test` installs them.
TEST_SYSTEM_PACKAGES := chromium libreoffice-calc-nogui fonts-crosextra-carlito

# Sizes for `make bench`, e.g. make bench BENCH_SIZES=10k,100k
BENCH_SIZES ?= 10k,100k,1m,10m
BENCH_REPEAT ?= 1

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --constraint constraints.txt --editable '.[test,cli]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/wavecompare run

# Test processes: the suite is split across them (pytest-xdist); each starts its own Prefect harness.
TEST_WORKERS ?= 2

# Listed first, so a missing package stops the run before the install.
test: system-packages $(STAMP) lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

# The inner loop: unit, model, rule and release-function tests; no Prefect, no flow run, no browser.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) -m "not e2e and not slow and not browser"

# Python by ruff; SQL by DuckDB's own parser (every file) and sqlfluff (see pyproject.toml and .sqlfluffignore).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python scripts/check_sql_parses.py sql
	$(BIN)/sqlfluff lint sql

system-packages:
	scripts/ensure-system-packages $(TEST_SYSTEM_PACKAGES)

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py --sizes $(BENCH_SIZES) --repeat $(BENCH_REPEAT)

clean:
	rm -rf $(VENV) .wavecompare data/warehouse.duckdb data/warehouse.rejected.duckdb data/.warehouse.duckdb.lock
	find data/processed -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
