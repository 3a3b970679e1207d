# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --constraint constraints.txt --editable '.[test,cli]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/wavecompare run

test: $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) data/processed/*.csv data/processed/*.parquet data/warehouse.duckdb
