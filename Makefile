# policy-guard: every entry point a developer or CI needs. `make help` lists them.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV       := .venv/tools
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
CARGO      ?= cargo

.PHONY: help bootstrap build test lint demo bench catalog package check-deps fuzz clean

help: ## List every target with what it does
	@awk 'BEGIN {FS = ":.*?## "} /^[a-zA-Z_-]+:.*?## / {printf "  %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

bootstrap: ## Install the pinned Python tools (moto, cargo-lambda, zig, ...) into .venv/ (idempotent)
	@scripts/bootstrap

build: ## Build every crate (debug)
	$(CARGO) build --workspace --all-targets

test: bootstrap check-deps ## Run every test: unit, corpus, snapshot, property, end-to-end
	$(CARGO) test --workspace --no-fail-fast

lint: ## rustfmt check and clippy with warnings denied
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

check-deps: ## Fail if tokio, aws-* or lambda_runtime reach the rule crate
	@scripts/check-deps policy-guard

demo: ## Run the guard end to end on emulated AWS (moto) and print the findings
	@echo "demo: not built yet (see the guard issue)" >&2; exit 1

bench: ## Run the benchmarks and write BENCHMARKS.md
	@echo "bench: not built yet (see the benchmark issue)" >&2; exit 1

catalog: ## Regenerate the embedded AWS action catalog from the pinned IAM definition data
	@scripts/bootstrap tools
	$(VENV)/bin/python scripts/gen-catalog.py

package: ## Build the Lambda zips with cargo-lambda (target/lambda/<function>/bootstrap.zip)
	@echo "package: not built yet (see the guard issue)" >&2; exit 1

fuzz: ## Run each fuzz target for a bounded time (FUZZ_SECONDS, default 60)
	@echo "fuzz: not built yet (see the hostile-input issue)" >&2; exit 1

clean: ## Remove build outputs (keeps .venv)
	$(CARGO) clean
