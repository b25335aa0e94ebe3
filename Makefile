# The two commands of the README:
#   go run ./cmd/cqp build    builds the sample site into public/
#   make test                 runs every test, installing what it needs
#
# make test installs Go modules, the npm packages of the browser tests, and
# Debian's Chromium when it is missing; it fails loudly when it cannot.

GO      ?= go
NPM     ?= npm
CHROMIUM ?= $(shell command -v chromium || command -v chromium-browser || echo /usr/bin/chromium)
export CQP_CHROMIUM := $(CHROMIUM)

.PHONY: all build check test test-go test-fuzz-seeds test-js test-browser deps deps-go deps-browser bench bench-serve clean docs

all: build

build:
	$(GO) run ./cmd/cqp build

check:
	$(GO) run ./cmd/cqp check --strict

deps: deps-go

deps-go:
	$(GO) mod download

# test runs everything; the browser tests are part of it and never skip.
test: deps-go vet test-go test-js test-browser check
	@echo "make test: all passed"

vet:
	@unformatted=$$(gofmt -l cmd generator); if [ -n "$$unformatted" ]; then echo "gofmt would change: $$unformatted"; exit 1; fi
	$(GO) vet ./...

# docs rewrites what is generated from the code: docs/schema/*.schema.json,
# docs/content-model.md and the marked parts of docs/edition.md; make test
# fails while they are stale.
docs:
	$(GO) test ./generator/schema ./generator/docs -run InSync -update

# The Go unit and integration tests; the fuzz tests run their seed corpus.
test-go:
	$(GO) test -count=1 ./...

# The JavaScript unit tests, with Node's own runner (no framework): the
# search engine's folding, stemming, matching, ranking, facets, URL state.
NODE    ?= node
test-js:
	@command -v $(NODE) >/dev/null 2>&1 || { echo "make: node is missing (apt-get install -y nodejs, version 20 or later); the JavaScript tests need it" >&2; exit 1; }
	$(NODE) --test generator/search/js/*.test.mjs

# The browser tests: files tagged `browser`, tests named TestBrowser…, in a
# real headless Chromium (see generator/browsertest and docs/testing.md).
# Plain `go test ./...` leaves them out and needs no browser.
test-browser: deps-browser
	$(GO) test -count=1 -tags browser -run '^TestBrowser' ./...

# deps-browser installs Debian's chromium when none is found (as root, or
# through sudo) and axe-core, pinned in generator/browsertest/package-lock.json,
# into generator/browsertest/node_modules (git-ignored). It fails loudly.
deps-browser: generator/browsertest/node_modules/.installed
	@if [ ! -x "$(CHROMIUM)" ] && ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then \
		echo "make: Chromium is missing; installing Debian's chromium package"; \
		sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
		{ $$sudo apt-get update && $$sudo apt-get install -y chromium; } || { echo "make: cannot install Chromium; run apt-get update && apt-get install -y chromium as root, or set CHROMIUM=/path/to/chromium" >&2; exit 1; }; \
	fi

generator/browsertest/node_modules/.installed: generator/browsertest/package.json generator/browsertest/package-lock.json
	@command -v $(NPM) >/dev/null 2>&1 || { echo "make: npm is missing (apt-get install -y npm); the browser tests need it to install axe-core" >&2; exit 1; }
	cd generator/browsertest && $(NPM) ci --no-audit --no-fund
	@touch $@

# bench runs the Go benchmarks, then measures the built cqp side by side
# with Hugo and Pagefind on the same synthetic catalogues (cmd/cqpbench,
# generator/bench) and writes docs/performance.md, .svg and .json. It
# installs Hugo (apt), Pagefind (npm, into .bench/) and Chromium when
# missing; without Hugo or Pagefind it measures cqp alone and says why.
# BENCH_RUNS=5 changes the runs per measure (medians); BENCH_LARGE=1 adds
# 30,000 CQPs. Everything it generates goes under .bench/ (git-ignored).
BENCH_RUNS  ?= 3
BENCH_LARGE ?=
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./generator/...
	$(GO) build -o .bench/bin/cqp ./cmd/cqp
	$(GO) run ./cmd/cqpbench -cqp .bench/bin/cqp -go $(GO) -runs $(BENCH_RUNS) $(if $(filter-out 0,$(BENCH_LARGE)),-large)

# bench-serve measures `cqp serve` (docs/devserver.md): 20 saves per case,
# on the sample and on 1,000 and 10,000 synthetic CQPs, from the rebuild
# alone (BenchmarkRebuild) and from the file written on disk to the reload
# message (BenchmarkSaveToReload); the medians are the ms-median-* columns.
bench-serve:
	$(GO) test -run '^$$' -bench 'Rebuild|SaveToReload' -benchtime 20x ./generator/devserver

clean:
	rm -rf public
