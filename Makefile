# Two commands for people: `make demo` and `make test`. Each installs what it needs first.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
DEMO   := demo-out

.PHONY: demo test lint typecheck pytest system venv bench clean

system:
	@bash .ci/system-deps.sh

# The venv is rebuilt when the dependency pins change.
$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade pip >/dev/null
	@$(PY) -m pip install -q -c constraints.txt -e '.[test]'
	@touch $(STAMP)

venv: system $(STAMP)

demo: venv
	@$(PY) -m fixtures.generate $(DEMO)/sample --name sample --size 360x640 --minutes 6 >/dev/null
	@$(VENV)/bin/vidpack probe $(DEMO)/sample/sample.mp4
	@echo
	@$(VENV)/bin/vidpack presets list
	@echo
	@$(VENV)/bin/vidpack scenes $(DEMO)/sample/sample.mp4 | tail -n 5
	@echo
	@$(VENV)/bin/vidpack plan $(DEMO)/sample/sample.mp4 --min 60 --max 120 \
		-o $(DEMO)/sample.plan.json --otio $(DEMO)/sample.otio --edl $(DEMO)/sample.edl \
		--png $(DEMO)/sample.timeline.png
	@echo
	@echo "demo outputs are in $(abspath $(DEMO))"

lint: venv
	$(VENV)/bin/ruff check vidpack tests fixtures bench
	$(VENV)/bin/ruff format --check vidpack tests fixtures bench

typecheck: venv
	$(VENV)/bin/mypy

pytest: venv
	$(VENV)/bin/pytest -q

test: lint typecheck pytest

bench: venv
	$(PY) bench/bench_scenes.py

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .mypy_cache .ruff_cache
