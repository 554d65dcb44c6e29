# Lecture video pipeline. `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.setup-done
# The test suite's browser (review pages) comes from Debian too.
TEST_APT := chromium
ARGS ?=
# LESSON and VOICE are names, taken as written: any file name works (spaces, quotes, `$`, `\`,
# non-ASCII, a leading dash). Make would expand a `$` in them and the shell would re-read quotes,
# so recipes get them through the environment ("$$LESSON"), unexpanded, never pasted into the
# command line. ARGS is a list of options: the shell splits it into words as written, so quote
# inside it as on a command line (ARGS="--build 'my build'").
override LESSON := $(value LESSON)
override VOICE := $(value VOICE)
export LESSON VOICE
# The lesson argument, after `--` so a name starting with a dash is not read as an option.
lesson-arg = $(if $(LESSON),-- "$$LESSON")

.PHONY: help setup budget storyboard deck video watch test lint bench bench-tts bench-fades bench-hearing clean

help: ## show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo "  LESSON=slides/<file> limits a target to one lesson (any file name, taken as written);"
	@echo "  ARGS='...' passes options to the CLI (split into words by the shell)"

# The neural voice, the recognizer (hearing) and the Dask cluster support are extras; the test
# suite covers them all. The benchmark's moviepy baseline is one too.
EXTRAS ?= dev,neural,hearing,cluster,bench
$(STAMP): pyproject.toml scripts/setup.sh package.json package-lock.json
	SETUP_EXTRAS="$(EXTRAS)" SETUP_APT_EXTRA="$(TEST_APT)" scripts/setup.sh
	@touch $@

setup: $(STAMP) ## create .venv and install system packages and the project

budget: $(STAMP) ## words and estimated seconds per slide against target and cap (no audio)
	$(PY) -m pipeline budget $(ARGS) $(lesson-arg)

storyboard: $(STAMP) ## write slides/<stem>.storyboard.yaml for every lesson (or LESSON), to edit layouts and content
	$(PY) -m pipeline storyboard $(ARGS) $(lesson-arg)

deck: $(STAMP) ## deck.pptx, deck.pdf, frames and contact sheet for every lesson (or LESSON)
	$(PY) -m pipeline deck $(ARGS) $(lesson-arg)

video: $(STAMP) ## build every lesson (or LESSON) into build/<lesson>/: deck, narration, captions, video.mp4
	$(PY) -m pipeline video $(if $(VOICE),--voice "$$VOICE") $(ARGS) $(lesson-arg)

watch: $(STAMP) ## serve build/ at http://127.0.0.1:8000/ and rebuild every lesson (or LESSON) as you edit it; Ctrl-C stops
	$(PY) -m pipeline watch $(if $(VOICE),--voice "$$VOICE") $(ARGS) $(lesson-arg)

test: $(STAMP) ## run the test suite
	$(PY) -m pytest $(ARGS)

lint: $(STAMP) ## ruff and mypy
	$(VENV)/bin/ruff check pipeline tests scripts
	$(VENV)/bin/ruff format --check pipeline tests scripts
	$(VENV)/bin/mypy pipeline

bench: $(STAMP) ## cold build of the sample, assembly against a plain moviepy baseline, then rebuilds after edits
	$(PY) scripts/bench_video.py $(ARGS)

bench-tts: $(STAMP) ## synthesis seconds per minute of audio for each speech engine
	$(PY) scripts/bench_tts.py $(ARGS)

bench-fades: $(STAMP) ## one build fade made three ways: the pipeline's, ffmpeg's blend filter, moviepy
	$(PY) scripts/bench_fades.py $(ARGS)

bench-hearing: $(STAMP) ## recognition speed, the check's cost in a cold build, and each voice's word error rates on the corpus
	$(PY) scripts/bench_hearing.py $(ARGS)

clean: ## remove build outputs
	rm -rf build
