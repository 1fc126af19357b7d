# Everyday flows. `make build` and `make test` are the two set-up commands of the README.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
DBT := $(VENV)/bin/dbt
INSTALLED := $(VENV)/.installed
SCALE ?= 1.0
export DBT_PROFILES_DIR ?= $(CURDIR)

.PHONY: setup provision sample dbt-build build test lint fix docs docs-serve clean

setup: $(INSTALLED) profiles.yml  ## virtual environment with the pinned dependencies, profiles.yml

$(INSTALLED): requirements.txt pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps \
		--config-settings editable_mode=compat -e .
	touch $@

profiles.yml:
	cp profiles.yml.example profiles.yml

provision: setup  ## raw databases and tables (provisioning_flow.sql) on the selected target
	$(PY) -m ecom_analytics provision

sample: provision  ## replace the raw tables' contents with generated sample data (SCALE=1.0)
	$(PY) -m ecom_analytics sample --scale $(SCALE) --replace

dbt-build: setup
	$(DBT) build

build: sample  ## provision, load sample data, dbt build: the main job on the embedded engine
	$(MAKE) dbt-build

test: setup  ## every test
	$(PY) -m pytest

clean:
	rm -rf target logs .chdb
