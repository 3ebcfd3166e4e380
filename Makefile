# The two commands of the README: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The run command uses the embedded defaults: SQLite, the filesystem broker, DEBUG on.
RUN_ENV := DJANGO_DEBUG=true

# seed_demo's options for `make run` (e.g. DEMO_ARGS="--businesses 500").
DEMO_ARGS ?=

.PHONY: venv run test lint bench bench-towns mutation clean upgrade

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

run: venv
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py seed_demo $(DEMO_ARGS)
	@echo ""
	@echo "  打开 http://$(HOST):$(PORT)/   演示用户见 README（密码 wuxiao-demo-2026）：office leader agri aic health economy techsup enforce inspector inspector2 supervisor shop city citydrug"
	@echo ""
	@# honcho (Procfile) runs web, worker and beat and stops every one of them on Ctrl-C or SIGTERM.
	exec env $(RUN_ENV) WUXIAO_RUN_ADDRESS=$(HOST):$(PORT) PATH="$(abspath $(BIN)):$$PATH" $(BIN)/honcho start -f Procfile

# The browser journeys need Debian's Chromium and a CJK font: installed here when missing (as root; a no-op
# when present), so `make test` alone works on a fresh machine.
test: venv
	bash .ci/install-extras
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

BENCH_DB ?= postgres://postgres@127.0.0.1:5432/wuxiao_bench
# make bench: the synthetic city (built once into $(BENCH_DB), reused), pages, reports, traces, the roster
# import and a gunicorn + wrk load test; writes bench/out/results.json and docs/benchmarks.md.
# BENCH_ARGS passes options to bench/run.py (e.g. BENCH_ARGS="--no-load --runs 3"; see its --help).
bench: venv
	@command -v wrk >/dev/null 2>&1 || { echo "installing wrk (load test)"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get install -y wrk; else sudo apt-get install -y wrk; fi; }
	mkdir -p bench/out
	BENCH_DATABASE_URL=$(BENCH_DB) $(BIN)/python -m bench.run $(BENCH_ARGS)

TOWNS_DB ?= postgres://postgres@127.0.0.1:5432/wuxiao_city30
# make bench-towns: issue 24's city of many towns (default 30 towns x 120 villages, 300,000 businesses:
# ~26 GB and ~45 minutes to build once on 2 cores) measured at the city, a town and a village (bench/towns.py);
# TOWNS_ARGS passes its options (e.g. TOWNS_ARGS="--businesses 30000"). docs/scaling.md is written from it.
bench-towns: venv
	mkdir -p bench/out
	BENCH_DATABASE_URL=$(TOWNS_DB) $(BIN)/python -m bench.towns --json-out bench/out/towns.json $(TOWNS_ARGS)

# make mutation: mutmut on each rule module against its own tests, under nice, on SQLite (not in CI: too
# slow). MUTATION_ARGS picks modules (e.g. MUTATION_ARGS="draw planners"); scores go to docs/quality.md.
mutation: venv
	$(BIN)/python -m pip install -q -e '.[dev,mutation]'
	nice -n 15 $(BIN)/python -m tests.mutation_run $(MUTATION_ARGS)
# Production upgrade (docker compose): build, back up with the app stopped, migrate, start again in order.
# The proxy keeps answering (502 while web is down); `up --wait` returns once every healthcheck passes.
COMPOSE ?= docker compose
upgrade:
	$(COMPOSE) build
	$(COMPOSE) stop beat worker web
	$(COMPOSE) run --rm --no-deps worker python manage.py backup
	$(COMPOSE) run --rm migrate
	$(COMPOSE) up -d --wait

clean:
	rm -rf $(VENV) db.sqlite3 .broker staticfiles
