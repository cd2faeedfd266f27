# Two entry points: `make demo` and `make test`. Both create .venv from the lock file first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: env demo test test-fast lint bench clean lock docs

env: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv==0.13.8
	$(BIN)/uv pip sync --quiet --python $(BIN)/python --compile-bytecode requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps --compile-bytecode -e .
	touch $(STAMP)

demo: env
	$(BIN)/cctv demo

test: env
	$(BIN)/python -m pytest

# Unit tests only, in their own process: no server, no `cctv` child, no notebook kernel, no
# browser, no real data (tests/conftest.py fails a unit test that reaches out unmarked).
FAST := not (slow or server or cli or notebook or browser or realdata)
test-fast: env
	$(BIN)/python -m pytest tests/unit -m "$(FAST)"

lint: env
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

# docs/data-dictionary.md from the schema descriptions (warehouse/schema.py, warehouse/dictionary.py).
docs: env
	$(BIN)/python -m warehouse.dictionary docs/data-dictionary.md

bench: env
	@for script in benchmarks/[!_]*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Re-resolve the pinned set after editing pyproject.toml.
lock: env
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) data .pytest_cache
