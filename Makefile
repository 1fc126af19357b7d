# Everyday flows. `make build` and `make test` are the two set-up commands of the README.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
DBT := $(VENV)/bin/dbt
INSTALLED := $(VENV)/.installed
SCALE ?= 1.0
export DBT_PROFILES_DIR ?= $(CURDIR)
# Long quiet steps start with one line saying what runs and about how long it takes (on a
# 2-core machine), so a silent minute does not read as a hang and CI logs stay short.
say = @echo "==> $(1)"

.PHONY: setup provision sample dbt-build build refresh dashboard test test-fast test-deep lint fix docs docs-serve backfill bench clean

setup: $(INSTALLED) profiles.yml  ## virtual environment with the pinned dependencies, profiles.yml

$(INSTALLED): requirements.txt pyproject.toml
	$(call say,setup: a virtual environment in $(VENV) with the $(shell grep -c '^[A-Za-z]' requirements.txt) pinned requirements and their dependencies (about 1 min with pip's cache warm; several without))
	python3 -m venv $(VENV)
	@start=$$SECONDS; $(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt \
		&& echo "    $$($(VENV)/bin/pip list --disable-pip-version-check 2>/dev/null | tail -n +3 | wc -l) packages installed in $$((SECONDS - start)) s"
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps \
		--config-settings editable_mode=compat -e .
	touch $@

profiles.yml:
	cp profiles.yml.example profiles.yml

provision: setup  ## raw databases and tables (provisioning_flow.sql) on the selected target
	$(PY) -m ecom_analytics provision

sample: provision  ## replace the raw tables' contents with generated sample data (SCALE=1.0; AS_OF=now)
	$(call say,sample: generating and inserting the sample data at scale $(SCALE) (about 1 min at 1.0); the row counts follow)
	$(PY) -m ecom_analytics sample --scale $(SCALE) --replace $(if $(AS_OF),--as-of $(AS_OF))

dbt-build: setup
	$(call say,dbt build: every model and test; dbt prints one line per node)
	$(DBT) build

build: sample  ## provision, load sample data, dbt build: the main job on the embedded engine
	$(MAKE) dbt-build

refresh: setup  ## refresh the analytics layer's refreshable views now (the embedded engine runs their schedule only while open); FULL=1 recomputes every key of the incremental ones
	$(PY) -m ecom_analytics refresh $(if $(FULL),--full)

DASHBOARD_PORT ?= 8501
dashboard: setup  ## the web dashboard on localhost:$(DASHBOARD_PORT), reading the selected target (DBT_TARGET)
	$(PY) -m ecom_analytics dashboard --port $(DASHBOARD_PORT)

# Two workers, one module each at a time, in collection order (the longest first:
# tests/python/conftest.py; xdist would otherwise order modules by their number of tests); they
# share the session's template databases.
test: setup  ## every test: lint (blocking), then the pytest suite on the real engine
	$(MAKE) lint
	$(PY) -m pytest -n 2 --dist loadfile --no-loadscope-reorder --durations=20

test-fast: setup  ## the tests that need neither the engine nor dbt, in seconds
	$(PY) -m pytest -m no_engine

EXAMPLES ?= 50
test-deep: setup  ## the delivery-pattern property test (incremental refreshes between deliveries) with many more examples (EXAMPLES=50)
	ECOM_HYPOTHESIS_EXAMPLES=$(EXAMPLES) $(PY) -m pytest tests/python/test_delivery_equivalence.py

# Not macros/: they hold only {% macro %} definitions, which the dbt templater renders to
# nothing and skips (one warning per file); dbt compiles them in every build and the tests
# run them.
SQL_PATHS := curated_datasets analytics_datasets macro_tests tests/dbt analyses
# The dbt templater renders models on the embedded target; a folder of its own keeps lint
# from colliding with a dbt run holding .chdb.
LINT_ENV := ECOM_CHDB_PATH=$(CURDIR)/target/lint-chdb
# Parsing and the rules take most of sqlfluff's time and run in one process per CPU
# (--processes 0); the dbt templater renders the files in the main process.
SQLFLUFF_PROCESSES := --processes 0

# How many SQL files sqlfluff reads (for its line before it starts).
SQL_FILES = $(shell find $(SQL_PATHS) -name '*.sql' | wc -l)

lint: setup  ## sqlfluff and ruff, blocking
	$(VENV)/bin/ruff check python tests
	$(VENV)/bin/ruff format --check python tests
	$(call say,sqlfluff: $(SQL_FILES) SQL files rendered by the dbt templater then linted on every CPU (about 1 min on 2 idle cores; minutes on a busy machine))
	@start=$$SECONDS; $(LINT_ENV) $(VENV)/bin/sqlfluff lint $(SQLFLUFF_PROCESSES) $(SQL_PATHS) \
		&& echo "    $(SQL_FILES) SQL files clean in $$((SECONDS - start)) s"

fix: setup  ## sqlfluff fix and ruff format
	$(VENV)/bin/ruff check --fix python tests
	$(VENV)/bin/ruff format python tests
	$(LINT_ENV) $(VENV)/bin/sqlfluff fix $(SQLFLUFF_PROCESSES) $(SQL_PATHS)

docs: setup  ## docs site in target/ (index.html and the single-file static_index.html)
	$(DBT) docs generate --static

docs-serve: docs  ## serve the docs site on localhost:8080
	$(DBT) docs serve --port 8080 --no-browser

CHUNK ?= month
DRY_RUN ?= false
SHOW_SQL ?= false
# Values are quoted for YAML, so a bad date reaches the macro's own check (a clear message)
# instead of failing in dbt's YAML parser with a traceback.
BACKFILL_RANGE = start: "$(START)", end: "$(END)", chunk: "$(CHUNK)", dry_run: $(DRY_RUN), show_sql: $(SHOW_SQL)
backfill: setup  ## START=YYYY-MM-DD END=YYYY-MM-DD [MODEL=name] [CHUNK=day|week|month] [DRY_RUN=true [SHOW_SQL=true]]
	@test -n "$(START)" -a -n "$(END)" || { echo "usage: make backfill START=YYYY-MM-DD END=YYYY-MM-DD [MODEL=name] [CHUNK=$(CHUNK)] [DRY_RUN=true [SHOW_SQL=true]]"; exit 2; }
	@if [ -n "$(MODEL)" ]; then \
		$(DBT) run-operation backfill --args '{model: "$(MODEL)", $(BACKFILL_RANGE)}'; \
	else \
		$(DBT) run-operation backfill_all --args '{$(BACKFILL_RANGE)}'; \
	fi
	@if [ "$(DRY_RUN)" != "true" ]; then $(PY) -m ecom_analytics refresh --full; fi

# GA4 export Parquet files into the raw table `events` (docs/ga4-export.md); quoted for YAML,
# so a bad value reaches the macro's own check.
.PHONY: load-ga4-export
EXPORT_TYPE ?= daily
load-ga4-export: setup  ## FILES=path|glob|s3://...|gs://... PROPERTY=id [EXPORT_TYPE=daily|intraday|fresh]
	@test -n "$(FILES)" -a -n "$(PROPERTY)" || { echo "usage: make load-ga4-export FILES=path-or-url PROPERTY=property-id [EXPORT_TYPE=$(EXPORT_TYPE)]"; exit 2; }
	$(DBT) run-operation load_ga4_export --args '{path: "$(FILES)", property_id: "$(PROPERTY)", export_type: "$(EXPORT_TYPE)"}'

BENCH_SCALE ?= 1.0
bench: setup  ## benchmark on a fresh temporary embedded folder: prints ratios, writes target/bench.json (BENCH_SCALE=1.0)
	$(PY) -m ecom_analytics bench --scale $(BENCH_SCALE)

clean:
	rm -rf target logs .chdb
