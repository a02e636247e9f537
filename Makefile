# Two entry points for a fresh machine with Python 3.11 and pip:
#   make report   builds the HTML reports into reports/ from the bundled data
#   make test     checks the code (ruff, mypy) and runs the test suite
# Both create (or reuse) the virtual environment .venv and install what they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: report test lint venv clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

report: $(STAMP)
	$(BIN)/ehelse-market validate
	$(BIN)/ehelse-market verify
	$(BIN)/ehelse-market build --out reports

test: lint
	$(BIN)/python -m pytest

# ruff (src, tests, benchmarks) and mypy (src), configured in pyproject.toml; make test runs it first
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

clean:
	rm -rf $(VENV) reports/.cache .mypy_cache .ruff_cache
