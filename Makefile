# avista-dx developer commands. `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv demo codegen codegen-check unasync lint format docs docs-serve test bench clean

venv: $(STAMP)  ## create .venv and install the project (editable) with the dev group

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==26.3"
	$(BIN)/python -m pip install --quiet -e ".[emulator,cli]" --group dev
	touch $(STAMP)

demo: venv  ## start an embedded emulator with the demo seed and run examples/quickstart.py
	$(BIN)/python -m avista_dx.emulator.demo examples/quickstart.py

codegen: venv  ## regenerate generated/ (and generated/codegen.stamp) from schema.graphql + queries/
	$(BIN)/python -m scripts.codegen

codegen-check: venv  ## generate into a temporary directory and diff -r it with generated/ (writes nothing)
	$(BIN)/python -m scripts.codegen --check

unasync: venv  ## write the sync client avista_dx/_sync/ from its source avista_dx/_async/
	$(BIN)/python -m scripts.unasync

lint: venv  ## the sync client is up to date; ruff (lint + format check); mypy --strict
	$(BIN)/python -m scripts.unasync --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# `python -m` puts the checkout on sys.path: mkdocs.yml's hook and griffe extension are scripts/'s.
# NO_MKDOCS_2_WARNING: Material's end-of-life banner (pyproject.toml's docs group says it).
MKDOCS := NO_MKDOCS_2_WARNING=1 $(BIN)/python -m mkdocs

docs: venv  ## build the documentation site into site/, strictly (a warning, a broken link or a public name missing from the API reference fails)
	$(MKDOCS) build --strict

docs-serve: venv  ## preview the site at http://127.0.0.1:8000, rebuilt on every change (warnings logged, not fatal: `make docs` judges)
	$(MKDOCS) serve --no-strict

test: lint codegen-check docs  ## lint, drift check, the documentation site, then the whole pytest suite
	$(BIN)/pytest

bench: venv  ## print the benchmark figures (not a test)
	$(BIN)/python -m bench

.PHONY: schema schema-diff

schema: venv  ## fetch the exchange's schema into schema.graphql (AVISTA_DX_ENDPOINT, AVISTA_DX_TOKEN)
	$(BIN)/python -m scripts.fetch_schema --output schema.graphql

schema-diff: venv  ## what schema.graphql changes against git HEAD (or BASE=file) breaks in queries/
	$(BIN)/python -m scripts.schema_diff --new schema.graphql $(if $(BASE),--base "$(BASE)")

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache build dist site
