# policy-guard: every entry point a developer or CI needs. `make help` lists them.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV       := .venv/tools
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
CARGO      ?= cargo

.PHONY: help bootstrap build test test-infra test-fuzz lint demo bench load catalog package check-deps fuzz fuzz-smoke fuzz-long clean

help: ## List every target with what it does
	@awk 'BEGIN {FS = ":.*?## "} /^[a-zA-Z_-]+:.*?## / {printf "  %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

bootstrap: ## Install the pinned Python tools (moto, cargo-lambda, zig, ...) into .venv/ (idempotent)
	@scripts/bootstrap

build: ## Build every crate (debug)
	$(CARGO) build --workspace --all-targets

test: bootstrap check-deps ## Run every test: unit, corpus, snapshot, property, end-to-end, Terraform, fuzzing
	$(CARGO) test --workspace --no-fail-fast
	$(MAKE) --no-print-directory test-fuzz
	$(MAKE) --no-print-directory test-infra

test-fuzz: ## Replay every saved fuzz crash (stable), then run every fuzz target for 20 s (fuzz-smoke)
	$(CARGO) test --manifest-path fuzz/Cargo.toml --no-default-features
	$(MAKE) --no-print-directory fuzz-smoke

test-infra: bootstrap ## Terraform fmt/validate, apply + destroy on moto, event routing, self-audit, checkov
	$(CARGO) build -p policy-guard-cli
	infra/tests/run.sh

lint: ## rustfmt check and clippy with warnings denied
	$(CARGO) fmt --all -- --check
	$(CARGO) fmt --manifest-path fuzz/Cargo.toml -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

check-deps: ## Fail if tokio, aws-* or lambda_runtime reach a pure crate (rules, inputs, managed policies)
	@scripts/check-deps policy-guard policy-guard-inputs policy-guard-managed

demo: bootstrap ## Run the guard end to end on emulated AWS (moto) and print the findings
	$(CARGO) run --quiet -p policy-guard-e2e --bin policy-guard-demo

bench: ## Run the benchmarks and write BENCHMARKS.md
	scripts/bench

load: bootstrap ## Replay 10,000 events through one warm instance of each guard on moto (release): none lost, flat RSS and fds
	POLICY_GUARD_LOAD_EVENTS=10000 $(CARGO) test --release -p policy-guard-e2e --test load -- --nocapture

catalog: ## Regenerate the embedded AWS action catalog and AWS managed-policy snapshot from their pinned sources
	@scripts/bootstrap tools
	$(VENV)/bin/python scripts/gen-catalog.py
	$(VENV)/bin/python scripts/gen-managed.py

package: bootstrap ## Build the Lambda zips with cargo-lambda (target/lambda/<function>/bootstrap.zip)
	$(CARGO) lambda build --release --x86-64 --output-format zip -p iam-guard
	$(CARGO) lambda build --release --x86-64 --output-format zip -p lambda-guard
	@ls -l target/lambda/iam-guard/bootstrap.zip target/lambda/lambda-guard/bootstrap.zip

fuzz: ## Run each fuzz target for a bounded time (FUZZ_SECONDS, default 60)
	@FUZZ_SECONDS=$(or $(FUZZ_SECONDS),60) scripts/fuzz

fuzz-smoke: ## Run each fuzz target for 20 s, seed corpora included; fails on a crash (part of make test)
	@FUZZ_SECONDS=20 scripts/fuzz

fuzz-long: ## Each fuzz target to 10 million executions or FUZZ_LONG_SECONDS (3600); results into BENCHMARKS.md
	@scripts/fuzz-long

clean: ## Remove build outputs (keeps .venv)
	$(CARGO) clean
