#!/usr/bin/env bash
# The store's figures (benches/store.py) on a release build with 100,000 products and 100,000
# customers, on SQLite, then on PostgreSQL when one answers at TEST_POSTGRES_URL. Needs wrk (installed from Debian
# if missing). Uses its own databases and port.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
make --no-print-directory build-release
products=${PRODUCTS:-100000}
customers=${CUSTOMERS:-100000}
work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$work"' EXIT
export LEPTOS_SITE_ADDR=127.0.0.1:3210 LEPTOS_SITE_ROOT=target/site LEPTOS_ENV=PROD \
  SHOPASSIST_ADMIN_PASSWORD=Bench-Admin-Passw0rd RUST_LOG=warn

bench() {
  target/release/shopassist migrate >/dev/null
  echo "== $1: demo data with $products products and $customers customers"
  time target/release/shopassist demo-data --products "$products" --customers "$customers" --orders 1000 >/dev/null
  target/release/shopassist serve --demo >"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -fs http://127.0.0.1:3210/ready >/dev/null && break; sleep 0.2; done
  python3 benches/store.py http://127.0.0.1:3210 "$SHOPASSIST_ADMIN_PASSWORD"
  kill $server; wait $server 2>/dev/null || true; server=""
}

export DATABASE_URL="sqlite://$work/bench.db"
bench SQLite
pg="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if psql "$pg" -c 'select 1' >/dev/null 2>&1; then
  name="shopassist_bench_$$"
  psql "$pg" -qc "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null
  export DATABASE_URL="${pg%/*}/$name"
  bench PostgreSQL
  psql "$pg" -qc "DROP DATABASE $name WITH (FORCE)" >/dev/null
else
  echo "PostgreSQL does not answer at $pg: its figures are skipped."
fi
