# Two entry points: `make demo` and `make test`. Both create .venv from a lock file first:
# the demo the runtime set (requirements.lock), the tests that set plus the test and lint
# tools (requirements-dev.lock). The dev set contains the runtime set, so once it is in
# place `make demo` keeps it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: env env-dev demo test test-fast lint bench clean lock docs

env: $(STAMP)

env-dev: $(DEV_STAMP)

# $(1): the lock file to make .venv exactly.
define sync
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv==0.13.8
	$(BIN)/uv pip sync --quiet --python $(BIN)/python --compile-bytecode $(1)
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps --compile-bytecode -e .
endef

# A .venv that has the dev set keeps it: the runtime target then syncs the dev lock.
$(STAMP): requirements.lock requirements-dev.lock pyproject.toml
	$(call sync,$(if $(wildcard $(DEV_STAMP)),requirements-dev.lock,requirements.lock))
	touch $(STAMP) $(wildcard $(DEV_STAMP))

$(DEV_STAMP): requirements-dev.lock pyproject.toml
	$(call sync,requirements-dev.lock)
	touch $(DEV_STAMP) $(STAMP)

demo: env
	$(BIN)/cctv demo

test: env-dev
	$(BIN)/python -m pytest

# Unit tests only, in their own process: no server, no `cctv` child, no notebook kernel, no
# browser, no real data (tests/conftest.py fails a unit test that reaches out unmarked).
FAST := not (slow or server or cli or notebook or browser or realdata)
test-fast: env-dev
	$(BIN)/python -m pytest tests/unit -m "$(FAST)"

lint: env-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

# docs/data-dictionary.md from the schema descriptions (warehouse/schema.py, warehouse/dictionary.py).
docs: env
	$(BIN)/python -m warehouse.dictionary docs/data-dictionary.md

bench: env
	@for script in benchmarks/[!_]*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Re-resolve the pinned sets after editing pyproject.toml: the dev set first, then the runtime
# set, which keeps the dev set's pins (uv prefers the versions already in its output file).
lock: env
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements-dev.lock
	cp requirements-dev.lock requirements.lock
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) data .pytest_cache
