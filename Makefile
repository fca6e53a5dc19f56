# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install bench clean

demo: $(STAMP)  ## set up, then build the sample story into output/princess/
	$(BIN)/audiobook build stories/princess.txt --voices voices.yaml

test: $(STAMP)  ## run the test suite
	$(BIN)/python -m pytest -q

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

bench: $(STAMP)  ## print the benchmarks' figures
	$(BIN)/python bench/script_speed.py
	$(BIN)/python bench/synthesis.py

clean:
	rm -rf $(VENV) output/*/ .pytest_cache
