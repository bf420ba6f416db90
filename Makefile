# The two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := run
export PATH := $(CURDIR)/end2end/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

DATABASE_URL ?= sqlite://data/shopassist.db
export DATABASE_URL

# cargo-leptos regenerates every wasm chunk (wasm-bindgen and wasm-opt, ~45 s) even when
# nothing changed, so the release build is skipped while no source (or folder of sources,
# which a deletion touches) is newer than its stamp.
# Deleting target/site (or the binary) forces a rebuild.
SOURCES := $(shell find src style public migrations locales 2>/dev/null) build.rs Cargo.toml Cargo.lock scripts/pack-wasm.js
RELEASE_STAMP := target/site/.release-built

.PHONY: run test setup build-release

setup:
	@start=$$(date +%s); bash scripts/setup.sh && echo "(setup took $$(( $$(date +%s) - start )) s)"

build-release:
	@if [ ! -x target/release/shopassist ]; then rm -f $(RELEASE_STAMP); fi
	@$(MAKE) --no-print-directory $(RELEASE_STAMP)

# Source paths in panic locations are written relative (this checkout, the crates registry):
# the release is the same wherever it is built, and the shoppers' wasm carries no long paths.
CARGO_HOME ?= $(HOME)/.cargo
RELEASE_RUSTFLAGS := --remap-path-prefix=$(CURDIR)/= --remap-path-prefix=$(CARGO_HOME)/registry/src/=

$(RELEASE_STAMP): $(SOURCES)
	RUSTFLAGS="$(RELEASE_RUSTFLAGS)" cargo leptos build --release --split
	node scripts/pack-wasm.js target/site/pkg
	@touch $@

## Sets up what is missing, builds, and serves the store with demo data on 127.0.0.1:3000.
run: setup build-release
	LEPTOS_ENV=PROD LEPTOS_SITE_ROOT=target/site target/release/shopassist serve --demo

## Sets up what is missing and runs every check (see scripts/test.sh).
test: setup
	bash scripts/test.sh
