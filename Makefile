# Everything runs from a local .venv built from pyproject.toml; nothing installed by hand is relied on.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint bench mutation validity screenshots clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("influence needs Python 3.11+, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/influence analyze data/sample --out out/demo

lint: $(STAMP)
	$(BIN)/ruff check influence tests bench notebooks docs
	$(BIN)/ruff format --check influence tests bench notebooks docs

test: lint
	$(BIN)/python -m pytest influence tests README.md

# Flip rules (broker, hidden-influencer sign, strongest tie, ...) and prove a test fails for each.
mutation: $(STAMP)
	$(BIN)/python bench/mutation.py

bench: $(STAMP)
	$(BIN)/python bench/run.py

# Does it find the right people? AUC of formal status on real organizations (bench/README.md).
validity: $(STAMP)
	$(BIN)/python bench/validity.py

screenshots: $(STAMP)
	$(BIN)/python docs/screenshots.py

clean:
	rm -rf $(VENV) out .pytest_cache
