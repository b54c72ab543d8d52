# The verbs a contributor says. `make site` and `make test` set everything up.
.PHONY: site serve test check validate new report fields bundle bench clean lock

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SITE_DIR ?= site
RUN := PYTHONPATH=hooks $(BIN)/python -m resource_library

export NO_MKDOCS_2_WARNING := 1
# Reproducible builds: "now" is the last commit's time, so two builds of the
# same commit are byte-identical and agree on which webinars are upcoming.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)
ifneq ($(strip $(SOURCE_DATE_EPOCH)),)
export SOURCE_DATE_EPOCH
endif

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(BIN)/.installed-dev: $(BIN)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

## site: validate every resource and build site/ (atomically, with --strict)
site: $(BIN)/.installed
	$(RUN) build --site-dir $(SITE_DIR)

## serve: preview with live reload, drafts included, at http://127.0.0.1:8000
serve: $(BIN)/.installed
	env -u SOURCE_DATE_EPOCH $(BIN)/mkdocs serve

## validate: check every resource without building
validate: $(BIN)/.installed
	$(RUN) validate

## new: start a resource, e.g. make new TYPE=at-a-glance TITLE="Planning for winter"
new: $(BIN)/.installed
	@test -n "$(TYPE)" -a -n "$(TITLE)" || { echo 'Usage: make new TYPE=at-a-glance|deeper-dives|webinars TITLE="..."'; exit 2; }
	$(RUN) new --type "$(TYPE)" --title "$(TITLE)"

## report: editorial report (reviews due, counts, unused terms) and report.csv
report: $(BIN)/.installed
	$(RUN) report --csv report.csv

## fields: regenerate CONTRIBUTING.md's field reference from the schema
fields: $(BIN)/.installed
	$(RUN) fields

## bundle: the offline zip in dist/, for reading from file:// with no network
bundle: $(BIN)/.installed
	$(RUN) bundle --dist dist

## test: run every test
test: $(BIN)/.installed-dev
	$(BIN)/python -m pytest -q tests

## bench: benchmark the build against bare mkdocs-material; writes bench/RESULTS.md
bench: $(BIN)/.installed-dev
	$(BIN)/python bench/run.py

## check: everything CI runs on a pull request
check: validate site test

## clean: remove what the build made
clean:
	rm -rf $(SITE_DIR) dist .pytest_cache report.csv

## lock: re-pin requirements*.txt from requirements*.in in a fresh venv
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -r requirements.in
	.lock-venv/bin/pip freeze --exclude-editable | sort > requirements.txt
	.lock-venv/bin/pip install --quiet -r requirements-dev.in
	.lock-venv/bin/pip freeze --exclude-editable | sort | comm -13 requirements.txt - > requirements-dev.txt
	rm -rf .lock-venv
