# One entry point for readers, editors and CI. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# npm packages (package-lock.json): plotly.js for the web book, axe-core and Lighthouse for its checks.
NODE_STAMP := node_modules/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Tests run in one pytest-xdist worker per core; the whole-book builds are shared (tests/conftest.py).
PARALLEL_TESTS ?= -n auto --dist loadgroup
# student (default: no guidance for group leaders) or teacher (built into _build/teacher/).
EDITION ?= student
# The PDF layouts `make pdf` builds: print, screen, large (large print; left out by default, as a third
# LaTeX run adds some 16 s on two cores). The part PDFs are cut from the print layout.
PDF_EDITIONS ?= print screen
# Debian packages each target needs (installed with apt-get when run as root).
APT_HTML := chromium
APT_PDF := chromium texlive-xetex texlive-fonts-recommended latexmk xindy fonts-freefont-otf fonts-texgyre fonts-dejavu-core poppler-utils
APT_TEST := $(APT_PDF) epubcheck
APT_NODE := $(if $(shell command -v npm),,nodejs npm)

.PHONY: help book test test-fast serve hooks check pdf epub bench webspeed originality clean lock flashcards diff handouts

help:
	@echo "make book   build the web book into _build/html/ (EDITION=teacher: into _build/teacher/html/)"
	@echo "make test   check the data and prose, build the book and run the tests"
	@echo "make test-fast  the tests without browser, PDF, preview or slow ones (the edit-test loop)"
	@echo "make serve  live preview on http://$(HOST):$(PORT) that rebuilds on save"
	@echo "make hooks  run the checks (spelling, data, YAML, Python) on every git commit"
	@echo "make check  run those checks on all files"
	@echo "make pdf    build the print and screen editions and one PDF per part into _build/pdf/ (PDF_EDITIONS=\"print screen large\": large print too)"
	@echo "make epub   build an EPUB into _build/epub/"
	@echo "make bench  measure build times and page weight (BENCH_ARGS=--quick: a short check)"
	@echo "make webspeed  Lighthouse scores and transfer sizes of the web book (median of 3)"
	@echo "make originality CHAPTER=FILE  check that the text shares no unquoted runs of words with the chapter"
	@echo "make clean  remove _build/"
	@echo "make flashcards  an Anki deck and a CSV of terms and people in _build/flashcards/"
	@echo "make diff BASE=main  what a change does to the book, as readers see it: _build/diff/index.html"
	@echo "make handouts  one sheet (two sides at most) per part in _build/handouts/ (EDITION=teacher: with the guidance, in _build/teacher/handouts/)"

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt -r requirements-dev.txt
	touch $@

$(NODE_STAMP): package.json package-lock.json
	$(call apt-deps,$(APT_NODE))
	npm ci --no-audit --no-fund
	touch $@

# apt-deps PACKAGES: install missing Debian packages as root, or say exactly what to run. Without
# dpkg (not Debian), say what is needed and go on: the build itself says if a tool is missing.
define apt-deps
	@if ! command -v dpkg >/dev/null 2>&1; then \
	  echo "Not a Debian system: make sure these (or your system's equivalents) are installed: $(strip $(1))"; \
	  exit 0; \
	fi; \
	missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else \
	    echo "Missing Debian packages. Run: sudo apt-get install --no-install-recommends" $$missing; exit 1; \
	  fi; \
	fi
endef

book: $(STAMP) $(NODE_STAMP)
	$(call apt-deps,$(APT_HTML))
	$(BIN)/python -m studybook.commands.build html --edition $(EDITION)

pdf: $(STAMP)
	$(call apt-deps,$(APT_PDF))
	$(BIN)/python -m studybook.commands.build pdf --edition $(EDITION) $(addprefix --pdf-edition ,$(PDF_EDITIONS))

epub: $(STAMP) $(NODE_STAMP)
	$(call apt-deps,$(APT_HTML))
	$(BIN)/python -m studybook.commands.build epub --edition $(EDITION)

test: check $(NODE_STAMP)
	$(call apt-deps,$(APT_TEST))
	$(BIN)/python -m pytest tests $(PARALLEL_TESTS)

# The edit-test loop: no browser, PDF, preview server or slow test (markers in pyproject.toml).
test-fast: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest tests $(PARALLEL_TESTS) -m "not browser and not pdf and not preview and not slow"

serve: $(STAMP) $(NODE_STAMP)
	$(call apt-deps,$(APT_HTML))
	$(BIN)/python -m studybook.commands.serve --host $(HOST) --port $(PORT)

hooks: $(STAMP)
	$(BIN)/pre-commit install

check: $(STAMP)
	$(BIN)/pre-commit run --all-files

bench: $(STAMP) $(NODE_STAMP)
	$(call apt-deps,$(APT_PDF))
	$(BIN)/python -m tools.bench $(BENCH_ARGS)
	$(BIN)/python -m tools.bench_preview

webspeed: book
	$(BIN)/python -m tools.webspeed _build/html

originality: $(STAMP)
	@test -n "$(CHAPTER)" || { echo "Give your copy of the chapter: make originality CHAPTER=path/to/chapter.txt"; exit 2; }
	$(BIN)/python -m tools.originality --chapter "$(CHAPTER)" chapters data

clean:
	rm -rf _build

# Re-resolve the pinned sets from requirements*.in (needs network access to PyPI).
lock:
	rm -rf _build/lockvenv && $(PYTHON) -m venv _build/lockvenv
	_build/lockvenv/bin/pip install --quiet -r requirements.in
	_build/lockvenv/bin/pip freeze --exclude-editable > requirements.txt
	_build/lockvenv/bin/pip install --quiet -r requirements-dev.in
	_build/lockvenv/bin/pip freeze --exclude-editable | grep -vxF -f requirements.txt > requirements-dev.txt

flashcards: $(STAMP)
	$(BIN)/python -m studybook.commands.build flashcards
# The book at BASE (a commit or branch) and in the working tree, compared as readers see them.
diff: $(STAMP) $(NODE_STAMP)
	@test -n "$(BASE)" || { echo "make diff: say what to compare with, e.g. make diff BASE=main"; exit 2; }
	@$(BIN)/python -m studybook.commands.diff "$(BASE)"

# One handout per part, printed as the book is (studybook/teaching/handouts.py).
handouts: $(STAMP)
	$(call apt-deps,$(APT_PDF))
	$(BIN)/python -m studybook.commands.handouts --edition $(EDITION)
