# One Makefile for people and CI. Every target creates/uses ./.venv and installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
DB ?= socialscope.duckdb
# Browser tests drive Debian's Chromium (never a browser downloaded by a test tool).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install browser pdf-tools demo test lint typecheck unit bench docs clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# PDF digests (socialscope report): WeasyPrint needs Pango, a CJK font prints the Chinese
# digests, and the tests read the PDFs back with poppler (pdftoppm, pdftotext).
pdf-tools:
	@{ command -v pdftoppm >/dev/null 2>&1 && ldconfig -p | grep -q libpangoft2-1.0 && \
	   fc-list | grep -qi -e wqy -e 'Noto Sans CJK'; } || { \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils \
	    libpango-1.0-0 libpangoft2-1.0-0 fonts-wqy-zenhei >/dev/null; }

demo: $(STAMP)
	$(BIN)/socialscope --db $(DB) demo

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP) browser pdf-tools
	$(BIN)/pytest -n 2 -q

test: lint typecheck docs-check unit

docs: $(STAMP)
	$(BIN)/python -m socialscope.docs write docs

docs-check: $(STAMP)
	$(BIN)/python -m socialscope.docs check docs

# The bench extra (reference libraries of the attribution benchmark) only for `make bench`.
$(BENCH_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
