#!/usr/bin/env bash
# Login as Customer measurements (see assist.py) against the release build on its own SQLite
# file and port. Needs wrk (installed from Debian if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
make --no-print-directory build-release
work=$(mktemp -d)
export DATABASE_URL="sqlite://$work/bench.db" LEPTOS_SITE_ADDR=127.0.0.1:3201 LEPTOS_SITE_ROOT=target/site \
  LEPTOS_ENV=PROD SHOPASSIST_ADMIN_PASSWORD=Bench-Admin-Passw0rd RUST_LOG=warn
target/release/shopassist serve --demo >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 50); do curl -fs http://127.0.0.1:3201/ready >/dev/null && break; sleep 0.2; done
python3 benches/assist.py http://127.0.0.1:3201 "$SHOPASSIST_ADMIN_PASSWORD" "${1:-1000}"
