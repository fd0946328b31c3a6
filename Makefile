# Sourcelight — the README's commands live here. Everything is installed from this repository's files.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8765
SHARED ?= ../shared

.PHONY: run setup setup-test test test-fast browsers node-deps bench eval train lint clean

## make run: create the virtualenv, install, start the server on $(HOST):$(PORT)
run: setup
	$(BIN)/sourcelight serve --host $(HOST) --port $(PORT)

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

setup-test: $(VENV)/.installed-test

$(VENV)/.installed-test: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

## make test: set up, install the browsers the end-to-end tests need, run every test
test: setup-test browsers node-deps
	$(BIN)/python -m pytest

## make test-fast: everything but the real-browser tests
test-fast: setup-test
	$(BIN)/python -m pytest -m "not e2e"

browsers:
	scripts/install-browsers.sh

node-deps: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## make bench: speed tables over the shared corpus (prints, never asserts)
bench: setup
	$(BIN)/python bench/run_all.py --corpus $(SHARED)/corpus/horne2017/articles.jsonl

## make eval: accuracy tables against the shared development data
eval: setup
	$(BIN)/sourcelight eval --shared $(SHARED)

## make train: relearn the object-preposition table (rules/object_preps.jsonl), refit the learned
## cue model (rules/cue_model.json) and then the content-end model (rules/content_end_model.json,
## read off the detector's records with that cue model) on the PolNeAR training split, ~7 minutes
## (needs scikit-learn, for fitting only: the server applies the weights with numpy)
train: setup
	$(BIN)/python -m pip install --quiet -e '.[fit]'
	$(BIN)/python scripts/learn_object_preps.py --shared $(SHARED)
	$(BIN)/python scripts/train_attribution.py --shared $(SHARED)
	$(BIN)/python scripts/train_content_end.py --shared $(SHARED)

clean:
	rm -rf $(VENV) node_modules .pytest_cache build *.egg-info server/*.egg-info
