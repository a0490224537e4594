# Two commands on a fresh machine with Python 3 and make:
#   make demo   - runs the example app through a whole login/refresh/401/403 flow
#   make test   - lint, type checks, typing tests, the test suite with coverage, the docs
# Each creates .venv and installs what it needs on first use. Every tool runs from .venv
# and is pointed at .venv's interpreter explicitly, so nothing installed elsewhere on the
# machine (a system Flask, an activated virtual environment, PYTHONPATH) can make a
# check pass that would fail for a user.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test fast lint format typecheck pytest docs matrix fuzz bench throughput memory clean

# A plain `pip install -e .`, as a contributor runs it: the build backend (hatchling)
# makes it a path entry that mypy and pyright follow (tests/test_packaging.py checks it).
$(STAMP): pyproject.toml requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e . -r requirements-dev.txt
	touch $(STAMP)

demo: $(STAMP)
	$(PY) examples/demo.py

test: lint typecheck pytest docs

# The fast loop: every test not marked slow (what plain `pytest` runs), no coverage.
fast: $(STAMP)
	$(BIN)/pytest -q

# Rewrite the tree in the project's style: ruff's fixable lint findings, then ruff format.
format: $(STAMP)
	$(BIN)/ruff check --fix-only --quiet .
	$(BIN)/ruff format .

# lint-imports: the pure core (flask_pyjwt._core) never imports Flask, Werkzeug or click.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

# stubtest checks stubs/ against the installed PyJWT; verifytypes fails below 100 % type
# completeness. pyright --verifytypes ignores both the venv setting of pyproject.toml and
# --pythonpath (pyright 1.1.414): it resolves imports with the first `python` on PATH,
# so .venv/bin goes first there.
typecheck: $(STAMP)
	$(BIN)/mypy
	$(BIN)/pyright --pythonpath $(PY)
	$(PY) -m mypy.stubtest --mypy-config-file mypy.ini --allowlist stubs/stubtest-allowlist.txt jwt
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/pyright --verifytypes flask_pyjwt --ignoreexternal

pytest: $(STAMP)
	$(BIN)/pytest -m "" --cov=flask_pyjwt --cov-branch --cov-report=term-missing:skip-covered

docs: $(STAMP)
	$(BIN)/sphinx-build -n -W --keep-going -q -b html docs docs/_build/html

# The test suite on every other supported CPython found on this machine, and once with
# the lowest dependency versions pyproject.toml allows (see scripts/matrix.py).
matrix:
	$(PYTHON) scripts/matrix.py

# Dedicated fuzz run: 10,000 random examples per property (FLASK_PYJWT_FUZZ_EXAMPLES=N to
# change), through a real Flask app; prints examples run and statuses seen (never 5xx).
fuzz: $(STAMP)
	FLASK_PYJWT_FUZZ=1 $(BIN)/pytest -m "" -n0 tests/security/test_fuzz.py -q -s -p no:cacheprovider --hypothesis-show-statistics

# Side-by-side benchmark against the peers (builds benchmarks/.venvs/ on first use;
# not part of `make test`). Writes benchmarks/results/latest.json and the docs chart.
bench:
	$(PYTHON) benchmarks/run.py --update-docs docs/performance.rst

# The demo app under gunicorn (2 sync workers, loopback) against Flask-JWT-Extended's,
# driven by wrk (apt-get install wrk) for a fixed time per route: requests per second and
# p50/p99. Not part of `make test` (tests/test_throughput_smoke.py is). About 4 minutes.
throughput:
	$(PYTHON) benchmarks/throughput.py --update-docs docs/performance.rst

# RSS of one process after 1,000,000 distinct valid tokens (the verified-token cache's
# memory bound), and the largest entry the cache can hold.
memory:
	$(PYTHON) benchmarks/memory.py --update-docs docs/performance.rst

clean:
	rm -rf $(VENV) .venv-matrix docs/_build build dist *.egg-info .mypy_cache .pytest_cache \
		.ruff_cache .hypothesis .import_linter_cache .coverage .coverage.* htmlcov
	find . -name __pycache__ -not -path './benchmarks/.venvs/*' -prune -exec rm -rf {} +
