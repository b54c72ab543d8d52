# The verbs a contributor says. `make site` and `make test` set everything up.
.PHONY: site serve test check validate new preview report fields rules bundle bench clean lock

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SITE_DIR ?= site
# Where `make serve` listens. In a container, 0.0.0.0:8000, so the host (or
# Codespaces) can forward the port: the dev container sets ADDR for you.
ADDR ?= 127.0.0.1:8000
RUN := PYTHONPATH=hooks $(BIN)/python -m resource_library

export NO_MKDOCS_2_WARNING := 1
# Reproducible builds: "now" is the last commit's time, so two builds of the
# same commit are byte-identical and agree on which webinars are upcoming.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)
ifneq ($(strip $(SOURCE_DATE_EPOCH)),)
export SOURCE_DATE_EPOCH
endif

# Every package is pinned with its hashes, and pip refuses anything else.
PIP_INSTALL = $(BIN)/pip install --quiet --disable-pip-version-check --require-hashes --no-deps

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -r requirements.txt
	touch $@

$(BIN)/.installed-dev: $(BIN)/.installed requirements-dev.txt
	$(PIP_INSTALL) -r requirements-dev.txt
	touch $@

## site: validate every resource and build site/ (atomically, with --strict); HOSTED=1 OFFLINE_COPY=dist/x.zip for the deploy
# HOSTED=1: the policy lets pages run scripts only from the site's script
# folders under site_url, so that build works only from that address.
site: $(BIN)/.installed
	$(RUN) build --site-dir $(SITE_DIR) $(if $(HOSTED),--hosted) $(if $(OFFLINE_COPY),--offline-copy "$(OFFLINE_COPY)")

## serve: preview with live reload, drafts included, at http://127.0.0.1:8000 (ADDR=host:port to change)
serve: $(BIN)/.installed
	env -u SOURCE_DATE_EPOCH $(BIN)/mkdocs serve --dirty --dev-addr $(ADDR)

## validate: check every resource without building (CHANGED_SINCE=main lists your files' problems first)
validate: $(BIN)/.installed
	$(RUN) validate $(if $(CHANGED_SINCE),--changed-since "$(CHANGED_SINCE)")

## new: start a resource as a draft, e.g. make new TYPE=at-a-glance TITLE="Planning for winter"
new: $(BIN)/.installed
	@test -n "$(TYPE)" -a -n "$(TITLE)" || { echo 'Say the type and the title, for example: make new TYPE=at-a-glance TITLE="Planning for winter pressures"'; echo 'TYPE is at-a-glance, deeper-dives or webinars.'; exit 2; }
	$(RUN) new --type "$(TYPE)" --title "$(TITLE)"

## preview: the site with drafts, readable from file:// (unzip and open index.html), in preview/
preview: $(BIN)/.installed
	$(RUN) build --drafts --config-file mkdocs.offline.yml --site-dir preview

## report: editorial report (reviews due, counts, unused terms) and report.csv
report: $(BIN)/.installed
	$(RUN) report --csv report.csv

## fields: regenerate CONTRIBUTING.md's field reference from the schema
fields: $(BIN)/.installed
	$(RUN) fields

## rules: regenerate CONTRIBUTING.md's list of rules from the catalogue (hooks/resource_library/rules.py)
rules: $(BIN)/.installed
	$(RUN) rules

## bundle: the offline zip in dist/, for reading from file:// with no network
bundle: $(BIN)/.installed
	$(RUN) bundle --dist dist

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "The checker tests need Node.js and npm (Debian: apt-get install npm)."; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# Building the site and the bundle needs no npm. Only the checker tests use
# npm's ical.js and vnu-jar (the Nu Html Checker, run with Java); without npm
# they are skipped locally with a reason, and fail in CI (.ci/run installs
# npm and a JRE).
NPM := $(shell command -v npm 2>/dev/null)

## test: run every test
# One worker a core (pytest-xdist); a file's tests stay on one worker, so a
# site a file builds once is built once. TEST_WORKERS=0: in this process.
TEST_WORKERS ?= auto
test: $(BIN)/.installed-dev $(if $(NPM),node_modules/.installed)
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile tests

## bench: time the build against bare mkdocs-material and the config-matched floor; writes bench/RESULTS.md (knobs: bench/run.py)
bench: $(BIN)/.installed-dev
	$(BIN)/python bench/run.py

## check: everything CI runs on a pull request
check: validate site test

## clean: remove what the build made
clean:
	rm -rf $(SITE_DIR) preview dist .pytest_cache report.csv

## lock: re-pin requirements*.txt, with hashes, from requirements*.in (pip-tools in a scratch venv)
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet pip-tools
	.lock-venv/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-header \
	  --no-emit-index-url --no-emit-find-links -o requirements.txt requirements.in
	.lock-venv/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-header \
	  --no-emit-index-url --no-emit-find-links -o requirements-dev.txt requirements-dev.in
	rm -rf .lock-venv
