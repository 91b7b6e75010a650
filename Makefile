# One entry point for readers, editors and CI. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages each target needs (installed with apt-get when run as root).
APT_HTML := chromium
APT_PDF := chromium texlive-xetex texlive-fonts-recommended latexmk xindy fonts-freefont-otf fonts-texgyre fonts-dejavu-core poppler-utils
APT_TEST := $(APT_PDF) epubcheck

.PHONY: help book test serve pdf epub bench clean lock

help:
	@echo "make book   build the web book into _build/html/"
	@echo "make test   check the data and prose, build the book and run the tests"
	@echo "make serve  live preview on http://$(HOST):$(PORT) that rebuilds on save"
	@echo "make pdf    build the printable book into _build/pdf/"
	@echo "make epub   build an EPUB into _build/epub/"
	@echo "make bench  measure build times and page weight"
	@echo "make clean  remove _build/"

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt -r requirements-dev.txt
	touch $@

# apt-deps PACKAGES: install missing Debian packages as root, or say exactly what to run.
define apt-deps
	@missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else \
	    echo "Missing Debian packages. Run: sudo apt-get install --no-install-recommends" $$missing; exit 1; \
	  fi; \
	fi
endef

book: $(STAMP)
	$(call apt-deps,$(APT_HTML))
	$(BIN)/python -m studybook.cli html

pdf: $(STAMP)
	$(call apt-deps,$(APT_PDF))
	$(BIN)/python -m studybook.cli pdf

epub: $(STAMP)
	$(call apt-deps,$(APT_HTML))
	$(BIN)/python -m studybook.cli epub

test: $(STAMP)
	$(call apt-deps,$(APT_TEST))
	$(BIN)/python -m pytest tests

serve: $(STAMP)
	$(BIN)/sphinx-autobuild . _build/html --host $(HOST) --port $(PORT) --watch data --watch studybook \
	  --ignore '_build/*' --ignore '.venv/*' -W -n --keep-going -b html -c _build/.autobuild-conf

bench: $(STAMP)
	$(call apt-deps,$(APT_PDF))
	$(BIN)/python -m studybook.bench

clean:
	rm -rf _build

# Re-resolve the pinned sets from requirements*.in (needs network access to PyPI).
lock:
	rm -rf _build/lockvenv && $(PYTHON) -m venv _build/lockvenv
	_build/lockvenv/bin/pip install --quiet -r requirements.in
	_build/lockvenv/bin/pip freeze --exclude-editable > requirements.txt
	_build/lockvenv/bin/pip install --quiet -r requirements-dev.in
	_build/lockvenv/bin/pip freeze --exclude-editable | grep -vxF -f requirements.txt > requirements-dev.txt
