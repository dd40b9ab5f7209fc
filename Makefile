PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8888
STAMP := $(VENV)/.installed

.PHONY: lab test install demo clean bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[notebook,tuner,export,serve,dev]"
	touch $(STAMP)

install: $(STAMP)

# Until the notebook tutorials land, `make lab` trains a small model on the bundled digits data.
lab: $(STAMP)
	$(BIN)/python -m workbench.demo

test: $(STAMP)
	$(BIN)/ruff check workbench tests benchmarks
	KERAS_BACKEND=jax $(BIN)/python -m pytest -n 2 -q tests

# Speed against hand-written JAX loops and real Keras; writes benchmarks/RESULTS.md (not part of `make test`).
bench: $(STAMP)
	KERAS_BACKEND=jax $(BIN)/python benchmarks/fit_overhead.py

clean:
	rm -rf $(VENV) build *.egg-info
