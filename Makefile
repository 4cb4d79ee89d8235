# Two commands: `make run` opens the app on the demo data; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test setup setup-dev chromium postgresql pango fonts java benchmarks fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade --quiet pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed pango

setup-dev: $(VENV)/.installed-dev chromium postgresql fonts java

# Debian's Chromium for the real-browser tests (Playwright drives it; no browser download).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

# Debian's PostgreSQL server binaries for the store and engine tests (the tests start their own server).
postgresql:
	@ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq postgresql >/dev/null; }

# Java 17 for PySpark in local mode (the Spark engine tests; pyspark is in requirements-dev.txt).
java:
	@command -v java >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq openjdk-17-jre-headless >/dev/null; }

# A font with Arabic, Persian and Cyrillic glyphs for the journey-map PNG/PDF exports (DejaVu Sans).
fonts:
	@ls /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq fonts-dejavu-core >/dev/null; }

run: setup fonts
	$(BIN)/streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT)

# Two workers (xdist), each taking whole test files, so a file's fixtures (an app server, a PostgreSQL
# server, Spark's JVM) start once per worker: about 21 minutes here against 26 one after another. The 20 slowest
# tests are listed at the end: where to look when the run grows.
test: setup-dev
	$(BIN)/python -m pytest -q -n 2 --dist loadfile --durations=20

# The loader fuzzed longer than in `make test` (random cases; prints cases run and failures).
FUZZ_EXAMPLES ?= 1000
fuzz: setup-dev
	CJM_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) CJM_FUZZ_RANDOM=1 $(BIN)/python -m pytest -q -s -p no:cacheprovider \
	  -W ignore::hypothesis.errors.HypothesisWarning tests/test_fuzz_load.py

# Performance figures (time, peak memory) on generated data; see each script's --help for sizes.
benchmarks: setup
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/funnel.py
	$(BIN)/python benchmarks/overview.py
	$(BIN)/python benchmarks/paths.py
	$(BIN)/python benchmarks/sentiment.py
	$(BIN)/python benchmarks/segments.py
	$(BIN)/python benchmarks/report.py
	$(BIN)/python benchmarks/same_numbers.py --help >/dev/null

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
