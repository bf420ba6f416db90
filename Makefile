# The two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := run
export PATH := $(CURDIR)/end2end/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

DATABASE_URL ?= sqlite://data/shopassist.db
export DATABASE_URL

.PHONY: run test setup build-release

setup:
	@bash scripts/setup.sh

build-release:
	cargo leptos build --release --split

## Sets up what is missing, builds, and serves the store with demo data on 127.0.0.1:3000.
run: setup build-release
	LEPTOS_ENV=PROD LEPTOS_SITE_ROOT=target/site target/release/shopassist serve --demo

## Sets up what is missing and runs every check (see scripts/test.sh).
test: setup
	bash scripts/test.sh
