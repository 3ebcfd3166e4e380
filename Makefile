# The two commands of the README: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The run command uses the embedded defaults: SQLite, the filesystem broker, DEBUG on.
RUN_ENV := DJANGO_DEBUG=true

.PHONY: venv run test lint bench clean

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

run: venv
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  打开 http://$(HOST):$(PORT)/   演示用户见 README（密码 wuxiao-demo-2026）：office leader agri aic health economy techsup enforce inspector inspector2 supervisor shop"
	@echo ""
	@trap 'kill 0' INT TERM EXIT; \
	$(RUN_ENV) $(BIN)/celery -A wuxiao worker --loglevel=INFO --concurrency=2 & \
	$(RUN_ENV) $(BIN)/celery -A wuxiao beat --loglevel=INFO & \
	$(RUN_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The browser journeys need Debian's Chromium and a CJK font: installed here when missing (as root; a no-op
# when present), so `make test` alone works on a fresh machine.
test: venv
	bash .ci/install-extras
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Benchmarks on PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/wuxiao_bench):
# builds the synthetic city if missing, prints the tables, writes bench/out/*.json and docs/benchmarks.md.
BENCH_DB ?= postgres://postgres@127.0.0.1:5432/wuxiao_bench
bench: venv
	mkdir -p bench/out
	BENCH_DATABASE_URL=$(BENCH_DB) $(BIN)/python -m bench.run
	DATABASE_URL=$(BENCH_DB)_import $(BIN)/python bench/roster_import.py | tee bench/out/roster_import.txt
	DATABASE_URL=$(BENCH_DB)_targets $(BIN)/python bench/dashboard_targets.py | tee bench/out/dashboard_targets.txt
	DATABASE_URL=$(BENCH_DB)_ledger $(BIN)/python bench/ledger_trace.py --rows 1000000 | tee bench/out/ledger_trace.txt

clean:
	rm -rf $(VENV) db.sqlite3 .broker staticfiles
