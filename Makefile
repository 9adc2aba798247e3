# Two commands do everything on a fresh machine with Python >= 3.10 and make:
#   make run   build the graph from seeds/, run every saved query, write out/graph.ttl and out/graph.trig
#   make test  run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

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

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/throughput.py seeds/ --repeat 32

clean:
	rm -rf $(VENV) out kg-store
