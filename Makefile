# Two commands on a fresh machine with Python 3 and make:
#   make demo   - runs the example app through a whole login/refresh/401/403 flow
#   make test   - lint, type checks, typing tests, the test suite with coverage, the docs
# Each creates .venv and installs what it needs on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test lint typecheck pytest docs fuzz bench clean

$(STAMP): pyproject.toml requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e . -r requirements-dev.txt
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python examples/demo.py

test: lint typecheck pytest docs

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# stubtest checks stubs/ against the installed PyJWT; verifytypes fails below 100 % type
# completeness (PYTHONPATH=.: pyright cannot follow setuptools' editable-install finder).
typecheck: $(STAMP)
	$(BIN)/mypy
	$(BIN)/pyright
	$(BIN)/python -m mypy.stubtest --mypy-config-file mypy.ini --allowlist stubs/stubtest-allowlist.txt jwt
	PYTHONPATH=. $(BIN)/pyright --verifytypes flask_pyjwt --ignoreexternal

pytest: $(STAMP)
	$(BIN)/pytest --cov=flask_pyjwt --cov-branch --cov-report=term-missing:skip-covered

docs: $(STAMP)
	$(BIN)/sphinx-build -n -W --keep-going -q -b html docs docs/_build/html

# Dedicated fuzz run: 10,000 random examples per property (FLASK_PYJWT_FUZZ_EXAMPLES=N to
# change), through a real Flask app; prints examples run and statuses seen (never 5xx).
fuzz: $(STAMP)
	FLASK_PYJWT_FUZZ=1 $(BIN)/pytest tests/security/test_fuzz.py -q -s -p no:cacheprovider --hypothesis-show-statistics

# Side-by-side benchmark against the peers (builds benchmarks/.venvs/ on first use;
# not part of `make test`). Writes benchmarks/results/latest.json and the docs chart.
bench:
	$(PYTHON) benchmarks/run.py

clean:
	rm -rf $(VENV) docs/_build .mypy_cache .pytest_cache .ruff_cache .coverage
