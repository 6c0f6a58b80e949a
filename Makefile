# klpublish: make publish | make test | make test-fast | make lint | make check
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SETUP_STAMP := $(VENV)/.setup-done

CODE := pyproject.toml $(shell find src/klpublish -type f \( -name '*.py' -o -name '*.html' \
          -o -name '*.css' -o -name '*.typ' -o -name '*.lua' -o -name '*.po' -o -name '*.pot' \) 2>/dev/null)

NODE_STAMP := node_modules/.setup-done

.PHONY: setup test test-fast lint extract update publish preview review status check check-setup bench clean \
        system-publish system-test screen-reader-setup

setup: $(SETUP_STAMP)

# Debian packages, installed with apt-get only when missing, so that `make publish`
# and `make test` work on a fresh machine: publish needs venv and msgfmt; the tests
# also need pdfinfo, Java (EPUBCheck, vnu), chromium and Node (the checkers).
missing = $(foreach need,$(1),$(if $(shell command -v $(firstword $(subst :, ,$(need))) 2>/dev/null),,$(lastword $(subst :, ,$(need)))))
PUBLISH_NEEDS := msgfmt:gettext
TEST_NEEDS := $(PUBLISH_NEEDS) pdfinfo:poppler-utils java:default-jre-headless \
              chromium:chromium node:nodejs npm:npm
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
define apt_install
	$(if $(1),$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	  $(SUDO) apt-get install -y -qq --no-install-recommends $(1),@:)
endef
# Asked only while there is no .venv: starting Python costs a no-op `make publish` 0.1 s.
VENV_PACKAGE = $(if $(wildcard $(BIN)/python),,$(if $(shell $(PYTHON) -c 'import ensurepip' \
  2>/dev/null && echo ok),,python3-venv))

system-publish:
	$(call apt_install,$(strip $(VENV_PACKAGE) $(call missing,$(PUBLISH_NEEDS))))

system-test:
	$(call apt_install,$(strip $(VENV_PACKAGE) $(call missing,$(TEST_NEEDS))))

$(SETUP_STAMP): pyproject.toml | system-publish
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]' 2> >(tee $(VENV)/install.log >&2)
	@! grep -E 'Deprecat|BuildBackendWarning' $(VENV)/install.log || \
	  { echo "setup: the install gave the warnings above" >&2; exit 1; }
	touch $@

# The checkers need Debian's chromium and the Node tools pinned in package-lock.json;
# the screen-reader checker needs Debian's Orca, headless (see ACCESSIBILITY.md).
# Checked on every run (a dpkg query each), so a checkout whose Node tools are already
# installed still gets them.
SCREEN_READER_DEBS := orca xvfb dbus-daemon libglib2.0-bin at-spi2-core python3-pyatspi \
  speech-dispatcher
check-setup: $(NODE_STAMP) screen-reader-setup

screen-reader-setup:
	@missing=$$(for p in $(SCREEN_READER_DEBS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
	  $$missing; fi

$(NODE_STAMP): package.json package-lock.json | system-test
	PUPPETEER_SKIP_DOWNLOAD=true npm ci --no-audit --no-fund
	touch $@

# One worker per core (pytest-xdist). worksteal hands each worker half of the tests in
# order and lets an idle worker take from the end of another's share: the gate's run
# starts the first worker's share and the other tests that start Orca the second's
# (tests/conftest.py). The slowest tests are listed at the end: where the suite's time
# goes, run by run.
PYTEST := $(BIN)/python -m pytest -n auto --dist worksteal --durations=25

test: $(SETUP_STAMP) $(NODE_STAMP) screen-reader-setup | system-test
	$(PYTEST)

# The suite less the tests marked slow (see the marker in pyproject.toml).
test-fast: $(SETUP_STAMP) $(NODE_STAMP) screen-reader-setup | system-test
	$(PYTEST) -m "not slow"

# Every checker on everything `make publish` made; reports in build/reports/.
check: publish $(NODE_STAMP) screen-reader-setup
	$(BIN)/klpublish check

lint: $(SETUP_STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

extract: $(SETUP_STAMP)
	$(BIN)/klpublish extract

update: extract
	$(BIN)/klpublish update

# One process for every language: the letter is parsed once, then the languages
# are built on as many cores as make's -j gives (-j alone: every core). It
# rebuilds only the languages whose inputs changed (see src/klpublish/build/cache.py).
JOBS = $(if $(filter -j,$(MAKEFLAGS)),auto,$(or $(patsubst -j%,%,$(filter -j%,$(MAKEFLAGS))),1))
PUBLISH_STAMP := build/.stamps/publish
# Whether anything under source/ or locale/ changed since the last publish: a file
# newer than the stamp, or a folder (whose time changes when a file in it is added,
# removed or renamed). Asked of find, never listed as make's prerequisites: a file
# name holding a space, a colon, '%' or '$' is not a make word.
INPUTS_CHANGED := $(shell if [ -e $(PUBLISH_STAMP) ]; then \
  find source locale -newer $(PUBLISH_STAMP) -print -quit 2>/dev/null; else echo none; fi)

publish: $(SETUP_STAMP) $(PUBLISH_STAMP)

$(PUBLISH_STAMP): $(CODE) $(if $(INPUTS_CHANGED),.FORCE) | $(SETUP_STAMP)
	$(BIN)/klpublish publish --jobs $(JOBS)
	@mkdir -p $(@D) && touch $@

.FORCE:

# make preview LANG=xx: just that language's HTML, even if incomplete, in build/preview/.
preview: $(SETUP_STAMP)
	@if [ "$(origin LANG)" != "command line" ]; then \
	  echo "usage: make preview LANG=xx   (xx: a language under locale/)" >&2; exit 2; fi
	$(BIN)/klpublish publish --lang $(LANG) --format html --no-index --threshold 0 \
	  --out build/preview
	@echo "preview: build/preview/$(LANG)/ (one page per letter, letter.$(LANG).html first)"

# make review [UI=xx]: build/review/<name>.<lang>.html, the Danish and each translation
# side by side for a reviewer, in the reviewer's language UI (default da); the index links them.
UI ?= da
review: $(SETUP_STAMP)
	$(BIN)/klpublish review --ui $(UI)

status: $(SETUP_STAMP)
	$(BIN)/klpublish status

# Publishing speed against the bare engines and a peer pipeline (mdpo + pandoc + Typst).
bench: $(SETUP_STAMP)
	$(BIN)/pip install --quiet "mdpo>=2.1,<3"
	$(BIN)/python bench/bench.py
	$(BIN)/python bench/many_letters.py
	$(BIN)/python bench/hostile_scale.py
	$(BIN)/python bench/hostile_budgets.py --before none
	$(BIN)/python bench/identical_segments.py
	$(BIN)/python bench/language_id.py
	$(BIN)/python bench/targets.py

clean:
	rm -rf build
