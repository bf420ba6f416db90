#!/usr/bin/env bash
# Installs what building and testing need, skipping whatever is already there.
# Versions are pinned (see ../shared/TOOLCHAIN.md for why each one).
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=0.2.130
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

if ! command -v cargo >/dev/null; then
  echo "Rust is not installed: see https://rustup.rs, then run this again." >&2
  exit 1
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "Adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
rustup component list --installed | grep -q '^clippy' || rustup component add clippy
rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt

if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
  # It only drives cargo, wasm-bindgen and wasm-opt, so an unoptimised build without debug
  # info serves as well and compiles in about half the time of a release one.
  say "Installing cargo-leptos $CARGO_LEPTOS_VERSION (unoptimised; about 10 minutes on 2 cores, once)"
  CARGO_PROFILE_DEV_DEBUG=0 cargo install cargo-leptos --locked --debug --version "$CARGO_LEPTOS_VERSION"
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Without --locked: its lock file wants a crate version the registry lacks.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if ! command -v chromium >/dev/null; then
  say "Installing Chromium (Debian package) for the browser tests"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq chromium
fi

# Traditional Chinese glyphs, so the browser tests measure and screenshot real text widths.
if ! fc-list :lang=zh-tw 2>/dev/null | grep -q .; then
  say "Installing Noto CJK fonts (Debian package) for the Traditional Chinese screenshots"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq fonts-noto-cjk
fi

if ! command -v jq >/dev/null || ! command -v curl >/dev/null; then
  say "Installing curl and jq (Debian packages): the API guide's curl session is run as a test"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq curl jq
fi

if ! command -v node >/dev/null; then
  echo "Node.js (with npm) is needed for wasm-opt and Playwright: install it, then run this again." >&2
  exit 1
fi

# wasm-opt from npm's binaryen (Debian's older one breaks the wasm) and Playwright.
if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ ! -d end2end/node_modules/@playwright/test ] \
   || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  say "Installing npm packages (Playwright, binaryen)"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi
