# One Makefile for people and CI. Every target creates/uses ./.venv and installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
DB ?= socialscope.duckdb
# Browser tests drive Debian's Chromium (never a browser downloaded by a test tool).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install browser pdf-tools java demo test lint typecheck unit bench docs clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,spark]'
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

# The PySpark engine (tests/portability, make bench) needs a JVM: Debian's Java 17.
java:
	@command -v java >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    openjdk-17-jre-headless >/dev/null; }

demo: $(STAMP)
	$(BIN)/socialscope --db $(DB) demo

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

# Runs both engine suites: tests/portability's duckdb and pyspark params (and the rest).
unit: $(STAMP) browser pdf-tools java
	$(BIN)/pytest -n 2 --dist loadgroup -q

test: lint typecheck docs-check unit

docs: $(STAMP)
	$(BIN)/python -m socialscope.docs write docs

docs-check: $(STAMP)
	$(BIN)/python -m socialscope.docs check docs

# The bench extra (reference libraries of the attribution benchmark) only for `make bench`.
$(BENCH_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev,spark,bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP) java
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
