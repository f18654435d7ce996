# Entry points for contributors, CI and developers. Every target creates the
# virtual environment with pinned dependencies first, so `make serve` and
# `make test` work on a fresh clone.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-$(shell sha1sum requirements.txt | cut -c1-12)
ADDR    ?= 127.0.0.1:8000
export NO_MKDOCS_2_WARNING := 1

# File names and options given on the command line (make import-docx DOCX=…) are taken
# verbatim: `$(value …)` keeps make from expanding them (a command-line variable is
# expanded when it is exported to recipes), and recipes read them from the environment
# as "$$DOCX", so the shell never evaluates them either (no `…`, $(…) or ;). ARGS is a
# list of options: split at spaces (globbing off), never evaluated.
override DOCX := $(value DOCX)
override UNIT := $(value UNIT)
override ARGS := $(value ARGS)
override DIR := $(value DIR)
override ROSTER := $(value ROSTER)
override CAMPAIGN := $(value CAMPAIGN)
export DOCX UNIT ARGS DIR ROSTER CAMPAIGN

.PHONY: venv serve build build-properdocs validate test lint bench bench-prose bench-intake new-unit import-docx intake preview submit publish clean

venv: $(STAMP)

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# --dirty: a rebuild renders only the pages whose Markdown changed (hooks/kb/site/incremental.py).
serve: venv
	$(BIN)/mkdocs serve --dirty -a $(ADDR)

build: venv
	$(BIN)/mkdocs build --strict

build-properdocs: venv
	$(BIN)/properdocs build --strict -f mkdocs.yml

# CI adds annotations: VALIDATE_ARGS="--format github" or "--format gitlab --output FILE".
validate: venv
	$(BIN)/python scripts/validate.py $(VALIDATE_ARGS) data

# ruff, then the layer contract of hooks/kb (pyproject.toml [tool.importlinter]).
lint: venv
	$(BIN)/ruff check hooks scripts tests
	PYTHONPATH=hooks:scripts $(BIN)/lint-imports --no-cache

test: venv lint
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

bench: venv
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

# The slowest prose the validator accepts, built into the example site: ≤ 2x a clean build.
bench-prose: venv
	$(BIN)/python scripts/prose_bench.py

# The intake measured: N reports of our Word export taken in, compared with the originals.
bench-intake: venv
	$(BIN)/python scripts/intake_bench.py $(INTAKE_BENCH_ARGS)

new-unit: venv
	@set -f; $(BIN)/python scripts/new_unit.py $$ARGS

# A report written in Word: make import-docx DOCX=报告.docx [ARGS="--unit shi-czj --force"]
import-docx: venv
	@case "$$DOCX" in *[![:space:]]*) ;; *) echo '请用 DOCX= 指定要导入的 Word 文件，例如：make import-docx DOCX=报告.docx（可加 ARGS="--unit shi-czj --force"）'; exit 2;; esac
	@set -f; $(BIN)/python scripts/import_docx.py "$$DOCX" $$ARGS

# A folder of reports (and a roster): make intake DIR=收件箱 [ROSTER=名单.xlsx] [CAMPAIGN=2023-zhuti] [ARGS="--dry-run"]
intake: venv
	@case "$$DIR" in *[![:space:]]*) ;; *) echo '请用 DIR= 指定收件箱文件夹，例如：make intake DIR=收件箱（可加 ROSTER=名单.xlsx CAMPAIGN=2023-zhuti ARGS="--dry-run"）'; exit 2;; esac
	@set -f; $(BIN)/python scripts/intake.py "$$DIR" $${ROSTER:+--roster "$$ROSTER"} $${CAMPAIGN:+--campaign "$$CAMPAIGN"} $$ARGS

# Before a merge request: which files, units and roster entries the change touches, the git
# identity, validation, and the commands that commit only those: make submit [ARGS="--yes"]
submit: venv
	@set -f; $(BIN)/python scripts/submit.py $$ARGS

preview: venv
	@case "$$UNIT" in *[![:space:]]*) ;; *) echo '请用 UNIT= 指定要预览的报告文件，例如：make preview UNIT=data/reports/<学习教育>/<单位>.yml（如 UNIT=data/reports/2023-zhuti/shi-czj.yml）'; exit 2;; esac
	@$(BIN)/python scripts/preview.py "$$UNIT"

# Deploy site/ (from `make build`) to KB_PUBLISH_TARGET atomically; PUBLISH_ARGS=--rollback
# goes back one release. See deploy/README.md.
publish: venv
	$(BIN)/python scripts/publish.py --site site $(PUBLISH_ARGS)

clean:
	rm -rf site build .pytest_cache
