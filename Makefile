# MMAD Studio: `make demo` and `make test` each set up everything on a fresh machine.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
DEMO   ?= demo_project

.PHONY: install demo test test-fast lint bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]' 2>&1 | grep -v "is ignored: it is neither" || true
	$(PY) -c "import annotator, cv2, torch, PySide6, sqlalchemy"
	touch $(STAMP)

install: $(STAMP)

demo: install
	test -f $(DEMO)/project.toml || $(VENV)/bin/mmad demo $(DEMO)
	$(PY) main.py $(DEMO) --as annotator1

# Test processes (pytest-xdist): CI has 2 cores; TEST_WORKERS=0 runs the suite in this process.
TEST_WORKERS ?= 2

# The guards CI runs: import contracts, lint, strict types on all four packages, the whole suite.
test: install
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider -n $(TEST_WORKERS)

# The edit-test loop: lint and the suite without the tests marked slow (no types, no contracts).
test-fast: install
	$(VENV)/bin/ruff check .
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider -n $(TEST_WORKERS) -m "not slow" -x

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

bench: install
	for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache
