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

# JupyterLab on notebooks/01_quickstart.ipynb, at http://127.0.0.1:$(PORT) (the URL with its token
# is printed); `make lab PORT=8899` for another port. See workbench/lab.py.
lab: $(STAMP)
	KERAS_BACKEND=jax $(BIN)/python -m workbench.lab --port $(PORT)

test: $(STAMP)
	$(BIN)/ruff check workbench tests benchmarks
	KERAS_BACKEND=jax $(BIN)/python -m pytest -n 2 -q tests
	# The tutorials, executed by nbval on this venv's python3 kernel; one notebook per worker.
	KERAS_BACKEND=jax $(BIN)/python -m pytest -n 2 --dist loadfile -q --nbval-lax notebooks

# Speed against hand-written JAX loops and real Keras; writes benchmarks/RESULTS.md (not part of `make test`).
bench: $(STAMP)
	KERAS_BACKEND=jax $(BIN)/python benchmarks/fit_overhead.py

clean:
	rm -rf $(VENV) build *.egg-info
