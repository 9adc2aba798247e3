# Two commands do everything on a fresh machine with Python >= 3.10 and make:
#   make run   build the graph from seeds/, run every saved query, write out/graph.ttl and out/graph.trig
#   make test  run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BROWSER := $(VENV)/.browser

.PHONY: run test bench eval clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/kg build seeds/
	$(BIN)/kg query --all
	$(BIN)/kg export --format turtle --output out/graph.ttl
	$(BIN)/kg export --format trig --output out/graph.trig

# the browser tests drive Debian's headless chromium; as root with apt-get they are installed here, else skipped
$(BROWSER):
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing chromium and chromium-driver (Debian) for the browser tests"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get install -y -q chromium chromium-driver >/dev/null || \
	      { apt-get update -q >/dev/null && apt-get install -y -q chromium chromium-driver >/dev/null; } || \
	      echo "could not install chromium: the browser tests will be skipped"; \
	  else \
	    echo "the browser tests need chromium and chromium-driver (sudo apt-get install chromium chromium-driver); skipped"; \
	  fi; \
	fi
	@touch $@

test: $(STAMP) $(BROWSER)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/throughput.py seeds/ --repeat 32

clean:
	rm -rf $(VENV) out kg-store
