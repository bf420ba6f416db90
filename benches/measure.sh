#!/usr/bin/env bash
# First measurements: wasm sizes, storefront request rate as a ratio to a trivial route, and
# the admin customer grid at 100,000 customers. Builds the release if needed; uses its own
# SQLite file and port. Needs wrk (installed from Debian if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
make --no-print-directory build-release

echo "== release wasm sizes"
node benches/sizes.js

work=$(mktemp -d)
export DATABASE_URL="sqlite://$work/bench.db" LEPTOS_SITE_ADDR=127.0.0.1:3200 LEPTOS_SITE_ROOT=target/site \
  LEPTOS_ENV=PROD SHOPASSIST_ADMIN_PASSWORD=Bench-Admin-Passw0rd RUST_LOG=warn
target/release/shopassist migrate >/dev/null
echo; echo "== generating 100,000 customers"
time target/release/shopassist demo-data --customers 100000
target/release/shopassist serve --demo >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 50); do curl -fs http://127.0.0.1:3200/ready >/dev/null && break; sleep 0.2; done
echo; echo "== load (wrk: 2 threads, 16 connections, 10 s each)"
python3 benches/load.py http://127.0.0.1:3200 "$SHOPASSIST_ADMIN_PASSWORD"
