# Set-up is automatic: the first `make run` or `make test` creates .venv (Python >= 3.12)
# and installs the package with its test tools.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
PYTHON ?= $(shell command -v python3.12 2>/dev/null || command -v python3)
PYTEST_ARGS ?=

.PHONY: run test lint bench bench-viz calibration lock clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "blitar-sim needs Python >= 3.12; found " + sys.version.split()[0] + " at $(PYTHON) (set PYTHON=/path/to/python3.12)")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

run: $(STAMP)  ## the default scenario (blitar, 2025-2045, full scale), 10 seeds -> results/runs/...
	$(VENV)/bin/blitar-sim run --seeds 10

test: $(STAMP)  ## lint + the test suite (the command CI runs)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest -n 2 $(PYTEST_ARGS)

bench: $(STAMP)  ## speed and memory targets (prints ratios measured in one run)
	$(PY) benchmarks/run_benchmarks.py
	$(PY) benchmarks/bench_ensemble.py
	$(PY) benchmarks/bench_sweep.py

bench-viz: $(STAMP)  ## browser view: page open to map, step + redraw (needs /usr/bin/chromium)
	$(PY) benchmarks/bench_viz.py

calibration: $(STAMP)  ## model vs data table and figure -> results/calibration/
	$(PY) experiments/calibration_report.py

lock: $(STAMP)  ## pin the environment used for published runs -> requirements-lock.txt
	@{ echo "# Environment of the published runs (pip freeze). Recreate: python3.12 -m venv .venv-lock"; \
	   echo "#   && .venv-lock/bin/pip install -r requirements-lock.txt && .venv-lock/bin/pip install --no-deps -e ."; \
	   $(VENV)/bin/pip freeze --exclude-editable; } > requirements-lock.txt

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info
