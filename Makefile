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
	@# The sample is made once (its truth file is written last); `make clean` starts over.
	@test -f $(DEMO)/sample/sample.truth.json || \
		$(PY) -m fixtures.generate $(DEMO)/sample --name sample --size 360x640 --minutes 3 >/dev/null
	@$(VENV)/bin/vidpack probe $(DEMO)/sample/sample.mp4
	@echo
	@$(VENV)/bin/vidpack presets list
	@echo
	@$(VENV)/bin/vidpack scenes $(DEMO)/sample/sample.mp4 | tail -n 5
	@echo
	@$(VENV)/bin/vidpack plan $(DEMO)/sample/sample.mp4 --min 30 --max 60 \
		-o $(DEMO)/sample.plan.json --otio $(DEMO)/sample.otio --edl $(DEMO)/sample.edl \
		--png $(DEMO)/sample.timeline.png
	@echo
	@# Every built-in platform, at the sample's 360x640 (demo presets extend the built-ins; the
	@# real 1080x1920 encodes take many times longer on 2 cores). Episodes of 30-60 s fit every
	@# platform, Snapchat Spotlight's 60 s limit included.
	@mkdir -p $(DEMO)/presets
	@for p in $$($(PY) -c 'from vidpack.presets import list_presets; print(" ".join(list_presets()))'); do \
		printf 'extends = "%s"\nname = "%s"\n[video]\nwidth = 360\nheight = 640\n' $$p $$p \
			> $(DEMO)/presets/$$p.toml; done
	@$(VENV)/bin/vidpack package $(DEMO)/sample/sample.mp4 --plan $(DEMO)/sample.plan.json \
		$$(printf -- '--platform %s ' $(DEMO)/presets/*.toml) \
		--subs $(DEMO)/sample/sample.en.srt --subs $(DEMO)/sample/sample.ar.srt \
		--title "Sample Series" --license-number "备案号：粤网微剧备字(2025)第00123号" \
		--speed veryfast --progress auto -o $(DEMO)/package
	@echo
	@echo "demo outputs are in $(abspath $(DEMO))"

lint: venv
	$(VENV)/bin/ruff check vidpack tests fixtures bench
	$(VENV)/bin/ruff format --check vidpack tests fixtures bench
	@# no block of 10 or more repeated lines in vidpack/ (pylint's duplicate-code check alone)
	$(VENV)/bin/pylint --disable=all --enable=duplicate-code --min-similarity-lines=10 \
		--score=n vidpack

typecheck: venv
	$(VENV)/bin/mypy

# One worker per core (pytest-xdist); a test file stays on one worker so its module fixtures
# (the generated masters and packages most files share) are built once.
pytest: venv
	$(VENV)/bin/pytest -q -n auto --dist loadfile

test: lint typecheck pytest

bench: venv
	$(PY) bench/bench_scenes.py

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .mypy_cache .ruff_cache
