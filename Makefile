# brochure: the two everyday commands are `make brochure` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TRANSLATIONS := $(sort $(wildcard content.*.yaml))

.PHONY: brochure test lint fuzz bench preview print check-translations clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## brochure: out/brochure.pdf from content.yaml, plus out/brochure.<lang>.pdf per translation
brochure: $(STAMP)
	$(BIN)/brochure build content.yaml -o out/brochure.pdf
	@for f in $(TRANSLATIONS); do \
	  lang=$${f#content.}; lang=$${lang%.yaml}; \
	  $(BIN)/brochure build $$f -o out/brochure.$$lang.pdf || exit 1; \
	done

## test: the whole suite, then lint
test: $(STAMP)
	$(BIN)/python -m pytest
	$(MAKE) --no-print-directory lint

lint: $(STAMP)
	$(BIN)/ruff check brochure tests
	$(BIN)/mypy
	$(BIN)/lint-imports

check-translations: $(STAMP)
	$(BIN)/brochure check $(TRANSLATIONS)

preview: brochure
	$(BIN)/python -m pytest -q tests/test_preview.py 2>/dev/null || true

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
