# panel-search: `make serve` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup browser index serve test lint evaluate bench bench-scale throughput compare-pdf compare-reading screenshots clean
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# The CPU build of torch first: an unpinned torch would pull a multi-GB CUDA build.
	$(BIN)/pip install --quiet torch==2.13.0
	# The cluster extra (ray) too: its tests build the corpus on a local Ray instance.
	$(BIN)/pip install --quiet -e '.[dev,cluster]'
	touch $(STAMP)

setup: $(STAMP)

index: setup
	$(BIN)/panel-search index

serve: index
	$(BIN)/panel-search serve --host 127.0.0.1 --port 8000

# Browser tests drive Debian's Chromium (never a downloaded browser build).
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) apt-get install -y -qq chromium

# axe-core for the accessibility tests, from the npm registry at the version in the lock file (never committed).
AXE := tests/browser/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	command -v npm >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq npm; }
	cd tests/browser && npm ci --no-audit --no-fund --loglevel=error
	touch $(AXE)

browser: $(CHROMIUM) $(AXE)

# The browser tools are installed first, so a browser test that cannot run fails here rather than skipping.
test: setup browser
	PANEL_SEARCH_REQUIRE_BROWSER=1 $(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check indexer search_api evaluation tests
	$(BIN)/mypy indexer search_api

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache

# Retrieval on the bundled corpus, extraction on the real pages and our fixtures, and retrieval on those pages
# side by side with txtai (installed from the `compare` extra only for this), and the blind batches' first runs
# beside their figures now: all into evaluation/RESULTS.md.
evaluate: setup
	$(BIN)/pip install --quiet -e '.[dev,compare]'
	$(BIN)/python -m evaluation.harness --write evaluation/RESULTS.md
	$(BIN)/python -m evaluation.extraction --append evaluation/RESULTS.md
	$(BIN)/python -m evaluation.undertakings --append evaluation/RESULTS.md
	$(BIN)/python -m evaluation.realpages --append evaluation/RESULTS.md
	$(BIN)/python -m evaluation.blind --append evaluation/RESULTS.md
	$(BIN)/python -m evaluation.blind_queries --summary evaluation/RESULTS.md

bench: setup
	$(BIN)/python -m evaluation.bench

# The national archive: scaled generations of 10k, 100k and 1M vectors (built once into var/scale), searched
# over HTTP and in process, with and without filters; recall, memory, disk, load time and embedding throughput.
bench-scale: setup
	$(BIN)/python -m evaluation.scale

# Embedding throughput, locally and through Ray on a local instance, and the projection to a national archive.
throughput: setup
	$(BIN)/python -m evaluation.throughput

# The measurement behind the choice of PyMuPDF: it installs pypdf and pdfplumber (the `compare` extra) to compare.
compare-pdf: setup
	$(BIN)/pip install --quiet -e '.[dev,compare]'
	$(BIN)/python -m evaluation.pdf_libraries

# The measurement behind the reading libraries (dates, sentence boundaries): installs dateparser and pysbd to compare.
compare-reading: setup
	$(BIN)/pip install --quiet -e '.[dev,compare]'
	$(BIN)/python -m evaluation.reading_libraries

screenshots: index browser
	$(BIN)/panel-search serve --port 8765 & pid=$$!; \
	for i in $$(seq 90); do curl -sf 127.0.0.1:8765/health >/dev/null && break; sleep 1; done; \
	$(BIN)/python scripts/screenshots.py --base-url http://127.0.0.1:8765 --out docs; status=$$?; \
	kill $$pid; exit $$status
