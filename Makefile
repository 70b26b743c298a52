# The two commands a new user needs: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SAMPLES := $(wildcard source/*.md source/*.txt)

.PHONY: demo test test-fast lint golden readme bench bench-batch bench-listen clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "publisher needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	@for manuscript in $(SAMPLES); do \
		$(BIN)/publisher build "$$manuscript" -o output || exit 1; \
	done

lint: $(VENV)/.installed-test
	$(BIN)/ruff check publisher tests scripts
	$(BIN)/ruff format --check publisher tests scripts
	$(BIN)/mypy

# One worker per core; a module's tests stay on one worker, sharing its built books,
# except the cases of the validator tests, each sent to whichever worker is free.
test: lint
	$(BIN)/python -m pytest -n auto --dist loadgroup

# The unit tests alone (no narration, validators, Dask or browser): seconds, not minutes.
test-fast: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q -n auto -m "not slow"

# After a change to the settings schema: rewrite README.md's settings table from it.
readme: $(VENV)/.installed
	$(BIN)/python scripts/settings_table.py

# After an intended change to what a book looks like: rewrite tests/golden/, then read the diff.
golden: $(VENV)/.installed-test
	PUBLISHER_UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_golden.py
	git diff --stat -- tests/golden

# Speed is tracked with this, not with timed tests: build wall time against the engine alone.
bench: $(VENV)/.installed-test
	$(BIN)/python scripts/bench.py
	$(BIN)/python scripts/bench_epub.py
	$(BIN)/python scripts/bench_engines.py
	$(BIN)/python scripts/tn_table.py

# Batch scaling: books and audio hours per wall-clock hour with 1 and 2 local Dask workers.
bench-batch: $(VENV)/.installed-test
	$(BIN)/python scripts/bench_batch.py

# Proof-listening: the 16-minute sample article heard by Whisper (needs the listen extra).
bench-listen: $(VENV)/.installed-test
	$(BIN)/python scripts/bench_listen.py

clean:
	rm -rf $(VENV) output/*/ .pytest_cache .mypy_cache .ruff_cache .hypothesis
