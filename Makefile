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
PIP_COMPILE := $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
	--no-emit-find-links --no-emit-trusted-host $(PIP_TORCH)

.PHONY: setup demo test lint format check clean lock lock-upgrade

# Exactly the locked versions, hash-checked; then reportbot itself without resolving anything again.
$(STAMP): $(DEV_LOCK) pyproject.toml
	@echo "==> [setup 1/3] creating the virtualenv in $(VENV) (python: $(PY))"
	$(PY) -m venv $(VENV)
	@echo "==> [setup 2/3] installing the locked dependencies from $(DEV_LOCK) (CPU PyTorch and the rest; a few minutes)"
	$(BIN)/pip install --require-hashes $(PIP_TORCH) -r $(DEV_LOCK)
	@echo "==> [setup 3/3] installing reportbot itself (editable, no further dependencies)"
	$(BIN)/pip install --no-deps -e .
	$(BIN)/pip check || { echo "pyproject.toml asks for what $(DEV_LOCK) lacks: run make lock"; exit 1; }
	touch $(STAMP)
	@echo "==> set up: $(VENV) holds exactly the versions in $(DEV_LOCK)"

setup: $(STAMP)

demo: $(STAMP)
	@echo "==> [demo 1/2] ingesting the sample reports in examples/ (loads the bundled embedder, then embeds every chunk)"
	$(BIN)/reportbot ingest examples
	@echo "==> [demo 2/2] asking: $(QUESTION)"
	$(BIN)/reportbot ask "$(QUESTION)"

# Regenerate the locks after changing pyproject.toml: keeps every pin that still fits and adds what is new.
lock: $(BIN)/pip-compile
	@echo "==> locking the runtime dependencies -> $(LOCK) (pip-compile resolves and hashes every file: minutes)"
	$(PIP_COMPILE) $(LOCK_FLAGS) -c requirements-torch.txt -o $(LOCK) pyproject.toml
	@echo "==> locking runtime + dev dependencies (same versions) -> $(DEV_LOCK)"
	$(PIP_COMPILE) $(LOCK_FLAGS) --extra dev -c $(LOCK) -o $(DEV_LOCK) pyproject.toml
	@echo "==> locked; reinstall with: make setup"

# Every package to the newest version pyproject.toml's ranges allow (torch stays at requirements-torch.txt).
lock-upgrade:
	$(MAKE) lock LOCK_FLAGS=--upgrade

$(BIN)/pip-compile:
	@echo "==> installing pip-tools (pip-compile) into $(VENV)"
	test -x $(BIN)/pip || $(PY) -m venv $(VENV)
	$(BIN)/pip install "pip-tools>=7.4,<8"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint
	$(BIN)/python -m pytest -q

check: test

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache
