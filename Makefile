# One target per job, the same locally and in CI. `make run` and `make test` set everything up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PIP_FLAGS := --quiet --disable-pip-version-check
export PIP_CONSTRAINT := $(CURDIR)/constraints.txt
# Runs of the test suite use their own store, never the user's.
TEST_DB := $(CURDIR)/.test-store/buildup.duckdb

.PHONY: setup browser postgres run serve serve-postgres test lint format typecheck contracts pytest \
  pledges-eval bench bench-smoke clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "buildup needs Python 3.11 or newer (set PYTHON=...)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install $(PIP_FLAGS) pip==$$(sed -n 's/^pip==//p' constraints.txt)
	$(BIN)/python -m pip install $(PIP_FLAGS) -e '.[dev]'
	touch $(STAMP)

# Debian's Chromium for the browser tests and the PDF reports (Playwright drives the system
# binary; it cannot download its own browser here). Installed when missing; CI runs as root.
CHROMIUM ?= /usr/bin/chromium
browser:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" != 0 ]; then \
	    echo "buildup needs Debian's chromium for reports and browser tests: run as root: apt-get install -y chromium"; exit 1; \
	  fi; \
	  echo "installing Debian's chromium"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@$(CHROMIUM) --version 2>/dev/null

# Debian's PostgreSQL for the storage suite on the team-server back end, installed when missing.
# The tests start (and stop) a throw-away cluster of their own through scripts/postgres.sh.
postgres:
	@bash scripts/postgres.sh ensure

# The API on the embedded DuckDB store (loopback; docs at http://127.0.0.1:8000/docs).
serve: setup
	$(BIN)/buildup serve

# The API on PostgreSQL: a throw-away cluster in /tmp, stopped when the server stops.
serve-postgres: setup postgres
	bash scripts/serve-postgres.sh $(BIN)/buildup

# The main job: the Japan build-up analysis, end to end, on the embedded store.
run: setup browser
	$(BIN)/buildup overview
	mkdir -p out
	$(BIN)/buildup plan examples/japan-dbp.toml --chart out/japan-dbp.html
	$(BIN)/buildup plan examples/japan-accelerated.toml --chart out/japan-accelerated.png
	$(BIN)/buildup plan examples/japan-3.5pct-2035.toml --chart out/japan-3.5pct-2035.png
	$(BIN)/buildup track examples/japan-dbp-tracking.toml --chart out/japan-dbp-tracking.png
	$(BIN)/buildup optimize --programmes examples/japan-programmes.csv \
	  --envelope examples/japan-envelope.csv --currency JPY --chart out/japan-portfolio.png
	$(BIN)/buildup risk examples/japan-dbp.toml --draws 200000 --chart out/japan-dbp-fan.png \
	  --portfolio examples/japan-programmes.csv --envelope examples/japan-envelope.csv --alpha 0.9
	$(BIN)/buildup report examples/japan-dbp.toml --draws 20000 \
	  -o out/japan-report.html --pdf out/japan-report.pdf
	$(BIN)/buildup pledges extract examples/japan-buildup-article.txt --date 2022-12-16
	$(BIN)/buildup pledges check examples/japan-buildup-article.txt --date 2022-12-16
	$(BIN)/buildup pledges extract examples/japan-buildup-article.txt --date 2022-12-16 --save \
	  --db out/pledges.duckdb
	$(BIN)/buildup pledges extract examples/japan-acceleration-article.txt --date 2025-10-24 --save \
	  --db out/pledges.duckdb
	$(BIN)/buildup pledges diff --actor JPN --db out/pledges.duckdb
	$(BIN)/python scripts/run_summary.py out --draws 200000

test: setup lint typecheck contracts pytest pledges-eval bench-smoke

# The pledge extractor on its labelled corpus: precision and recall printed, targets enforced.
pledges-eval: setup
	$(BIN)/buildup pledges evaluate tests/pledges/corpus.jsonl --min-precision 0.9 --min-recall 0.85

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

format: setup
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

typecheck: setup
	$(BIN)/mypy

contracts: setup
	$(BIN)/lint-imports

pytest: setup browser postgres
	BUILDUP_DB=$(TEST_DB) BUILDUP_TEST_POSTGRES=require $(BIN)/pytest

bench: setup browser
	BUILDUP_DB=$(TEST_DB) $(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/pages_bench.py

# Every benchmark once, untimed, at its smallest size: so that they cannot rot.
bench-smoke: setup
	BUILDUP_DB=$(TEST_DB) $(BIN)/python benchmarks/run.py --smoke
	$(BIN)/python benchmarks/pages_bench.py --smoke

clean:
	rm -rf $(VENV) .test-store .mypy_cache .pytest_cache .ruff_cache .hypothesis
