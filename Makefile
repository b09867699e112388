# One-command entry points. `make demo` sets up a fresh machine and answers a question from examples/;
# `make test` sets up (if needed) and runs lint + the test suite (this is what CI runs).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
QUESTION ?= 上半年传染病防控做了哪些工作
# The locks pin the CPU build of PyTorch (torch==2.13.0+cpu). This machine's pip finds it among its local wheels;
# elsewhere: make setup TORCH_INDEX=https://download.pytorch.org/whl/cpu
TORCH_INDEX ?=
PIP_TORCH := $(if $(TORCH_INDEX),--extra-index-url $(TORCH_INDEX))
LOCK := requirements.lock
DEV_LOCK := requirements-dev.lock
PIP_LOCK := requirements-pip.lock

.PHONY: setup demo test lint format check clean lock lock-upgrade

# Exactly the locked versions, hash-checked; then reportbot itself without resolving anything again. Each step that
# fails says in one line what to do (FAIL); the venv's own pip is replaced first by the pinned one, because the pip a
# venv starts with depends on the machine (old ones fail on the locks).
FAIL = { echo "==> set-up failed: $(1)"; exit 1; }
$(STAMP): $(DEV_LOCK) $(PIP_LOCK) pyproject.toml
	@echo "==> [setup 1/4] creating the virtualenv in $(VENV) (python: $(PY))"
	@$(PY) -c 'import sys; sys.exit(not ((3, 11, 2) <= sys.version_info[:3] < (3, 12)))' || \
		$(call FAIL,reportbot needs Python 3.11 (3.11.2 or newer); $(PY) is $$($(PY) -V 2>&1). Install python3.11 and run: make $(MAKECMDGOALS) PY=python3.11)
	$(PY) -m venv $(VENV) || $(call FAIL,$(PY) cannot create a virtualenv; on Debian/Ubuntu: apt-get install python3-venv)
	@echo "==> [setup 2/4] installing the pinned pip from $(PIP_LOCK) (the venv's own pip varies by machine)"
	$(BIN)/python -m pip install --quiet --require-hashes -r $(PIP_LOCK) || \
		$(call FAIL,pip could not be installed: check that this machine reaches a PyPI mirror (pip config list))
	@echo "==> [setup 3/4] installing the locked dependencies from $(DEV_LOCK) (CPU PyTorch and the rest; a few minutes)"
	$(BIN)/pip install --require-hashes $(PIP_TORCH) -r $(DEV_LOCK) || \
		$(call FAIL,the locked packages could not be installed; if torch==2.13.0+cpu was not found: make $(MAKECMDGOALS) TORCH_INDEX=https://download.pytorch.org/whl/cpu)
	@echo "==> [setup 4/4] installing reportbot itself (editable, no further dependencies)"
	$(BIN)/pip install --no-deps -e . || $(call FAIL,reportbot itself could not be installed (see the pip error above))
	$(BIN)/pip check || $(call FAIL,pyproject.toml asks for what $(DEV_LOCK) lacks: run make lock)
	touch $(STAMP)
	@echo "==> set up: $(VENV) holds exactly the versions in $(DEV_LOCK)"

setup: $(STAMP)

# The demo keeps its own knowledge base (DEMO_DATA), so ./data, where `reportbot ingest` puts a bureau's reports,
# starts empty; run again, it re-reads nothing (the sample files are unchanged) and only answers.
DEMO_DATA ?= .demo-data
demo: $(STAMP)
	@echo "==> [demo 1/2] ingesting the sample reports in examples/ into $(DEMO_DATA)/ (the demo's own knowledge base; yours, ./data, stays empty)"
	$(BIN)/reportbot ingest examples --data-dir $(DEMO_DATA)
	@echo "==> [demo 2/2] asking: $(QUESTION)"
	$(BIN)/reportbot ask "$(QUESTION)" --data-dir $(DEMO_DATA)
	@echo "==> done. Ask the samples again: .venv/bin/reportbot ask \"…\" --data-dir $(DEMO_DATA); your own reports: .venv/bin/reportbot ingest DIR (into ./data)"

# Regenerate the locks after changing pyproject.toml: keeps every pin that still fits and adds what is new. The
# resolver runs on the oldest Python we support (LOCK_PY, 3.11.2 = Debian 12's python3), in a venv of its own, so
# no pin needs a newer 3.11 (tests/docker/test_lock_pythons.py checks the locks on 3.11.2 and the newest 3.11).
LOCK_PY ?= /usr/bin/python3
LOCK_VENV := .venv-lock
PIP_COMPILE := $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links --no-emit-trusted-host $(PIP_TORCH)
lock: $(LOCK_VENV)/bin/pip-compile
	@echo "==> locking the runtime dependencies -> $(LOCK) (pip-compile on $$($(LOCK_VENV)/bin/python -V) resolves and hashes every file: minutes)"
	$(PIP_COMPILE) $(LOCK_FLAGS) -c requirements-torch.txt -o $(LOCK) pyproject.toml
	@echo "==> locking runtime + dev dependencies (same versions) -> $(DEV_LOCK)"
	$(PIP_COMPILE) $(LOCK_FLAGS) --extra dev -c $(LOCK) -o $(DEV_LOCK) pyproject.toml
	@echo "==> locked; if pip's version changed in $(DEV_LOCK), copy its lines to $(PIP_LOCK); reinstall with: make setup"

# Every package to the newest version pyproject.toml's ranges allow (torch stays at requirements-torch.txt).
lock-upgrade:
	$(MAKE) lock LOCK_FLAGS=--upgrade

$(LOCK_VENV)/bin/pip-compile:
	@echo "==> installing pip-tools (pip-compile) into $(LOCK_VENV) with $(LOCK_PY)"
	$(LOCK_PY) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet --require-hashes -r $(PIP_LOCK)
	$(LOCK_VENV)/bin/pip install --quiet "pip-tools>=7.4,<8"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The suite on every core, one worker more than cores (many tests wait on sockets, timers and child processes):
# the xdist workers share one embedding cache, and the tests on the corpus index run in one worker
# (tests/conftest.py), so the index is built once. `make test PYTEST_ARGS=tests/ingest` runs a part.
PYTEST_WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))
PYTEST_ARGS ?=
test: lint
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

check: test

clean:
	rm -rf $(VENV) $(LOCK_VENV) $(DEMO_DATA) data .pytest_cache .ruff_cache
