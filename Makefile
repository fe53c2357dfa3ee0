# Two entry points, the same on a fresh machine and in CI:
#   make run    install into .venv and run the pipeline on corpus/ -> normalized/
#   make test   install into .venv (with test extras), lint and type-check, run the test suite
PYTHON ?= python3.11
VENV ?= .venv
BIN = $(VENV)/bin
export PREFECT_SERVER_ANALYTICS_ENABLED = false

# Installs take the versions in requirements.lock: the set the test suite passed with.
$(BIN)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --constraint requirements.lock -e '.[test]'
	# argostranslate's own package listing, for the tests that share its package folder;
	# without its dependencies (stanza, torch): argostranslate.package needs none of them.
	$(BIN)/python -m pip install --quiet --no-deps 'argostranslate==1.11.0'
	touch $@

.PHONY: install run test lint demo lock
install: $(BIN)/.installed

# After changing pyproject.toml's dependencies: resolve them again (uv pip compile), then
# run the tests on the new set before committing the lock.
lock:
	$(BIN)/python -m pip install --quiet 'uv>=0.5'
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 --universal --annotation-style line \
		--custom-compile-command 'make lock' --output-file requirements.lock

# corpus/ into normalized/. A de-en or fr-en package that is missing is fetched from the Argos
# index where the network allows. Offline, the run translates what it can, and its last lines
# say what was done and what to do next: documents waiting for a model (the run's exit status
# 3) are the expected state of a fresh offline machine, not a failure of make.
run: $(BIN)/.installed
	@$(BIN)/reportmt models install --skip-installed de-en fr-en || \
	  echo "No package could be fetched (offline?): the run goes on with the packages installed."
	@$(BIN)/reportmt run --corpus corpus --out normalized; status=$$?; \
	if [ $$status -eq 3 ]; then \
	  echo; \
	  echo "Done: normalized/ holds every report that could be read; German and French ones wait for a model."; \
	  echo "Next: copy a de-en or fr-en .argosmodel from a machine with the network and install it with"; \
	  echo "  $(BIN)/reportmt models install FILE.argosmodel"; \
	  echo "then run make run again. To see the whole path now with small TEST packages: make demo"; \
	  exit 0; \
	fi; exit $$status

# ruff and mypy first: a lint or type error fails in seconds, before the suite's minutes.
test: lint
	$(BIN)/python -m pytest -m "not slow" -n 2

# ruff and mypy as pyproject.toml configures them. The installed package maps flows/ and
# translators/ onto reportmt.flows and reportmt.translators, which mypy cannot follow: it reads
# a tree of links laid out as installed (build/typecheck, mypy_path in pyproject.toml), and
# its lines are given back with the files' own paths.
TYPECHECK = build/typecheck
lint: $(BIN)/.installed
	$(BIN)/ruff check
	rm -rf $(TYPECHECK) && mkdir -p $(TYPECHECK)/reportmt
	for entry in reportmt/*; do ln -s "$(CURDIR)/$$entry" $(TYPECHECK)/reportmt/; done
	ln -s "$(CURDIR)/flows" $(TYPECHECK)/reportmt/flows
	ln -s "$(CURDIR)/translators" $(TYPECHECK)/reportmt/translators
	$(BIN)/mypy > $(TYPECHECK)/mypy.out 2>&1; status=$$?; \
	sed -e 's#^$(TYPECHECK)/reportmt/flows/#flows/#' -e 's#^$(TYPECHECK)/reportmt/translators/#translators/#' \
	    -e 's#^$(TYPECHECK)/##' $(TYPECHECK)/mypy.out; exit $$status

# The whole path without a real model: tiny TEST packages (random weights, meaningless output).
demo: $(BIN)/.installed
	$(BIN)/reportmt models make-tiny de-en --out build/tiny/de-en.argosmodel
	$(BIN)/reportmt models make-tiny fr-en --out build/tiny/fr-en.argosmodel
	$(BIN)/reportmt models install --models-dir build/tiny/packages build/tiny/de-en.argosmodel build/tiny/fr-en.argosmodel
	$(BIN)/reportmt run --corpus corpus --out build/demo-normalized --models-dir build/tiny/packages
