#!/usr/bin/env bash
# Soak (see soak.py): 10,000 page requests at 64 connections, a third of whose clients leave
# mid-response, against the release build on SQLite and then on PostgreSQL (when a server
# answers at TEST_POSTGRES_URL). Exits 1 when a request stalls or a worker stays blocked.
# Usage: benches/soak.sh [REQUESTS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
make --no-print-directory build-release
work=$(mktemp -d)
pg_url="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
pg_db="shopassist_soak_$$"
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  psql "$pg_url" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

run() {
  local name=$1 url=$2
  echo "== $name"
  DATABASE_URL="$url" LEPTOS_SITE_ADDR=127.0.0.1:3202 LEPTOS_SITE_ROOT=target/site LEPTOS_ENV=PROD \
    SHOPASSIST_ADMIN_PASSWORD=Soak-Admin-Passw0rd RUST_LOG=warn \
    target/release/shopassist serve --demo >"$work/$name.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -fs http://127.0.0.1:3202/ready >/dev/null && break; sleep 0.2; done
  local status=0
  python3 benches/soak.py http://127.0.0.1:3202 Soak-Admin-Passw0rd "${3:-10000}" "${4:-64}" || status=$?
  if ! kill "$server" 2>/dev/null; then echo "the server had stopped by itself"; status=1; fi
  wait "$server" 2>/dev/null || true; server=""
  if grep -q " ERROR " "$work/$name.log"; then
    echo "the server logged errors:"; grep " ERROR " "$work/$name.log" | head -5; status=1
  fi
  # A panic ends only its own task (the server unwinds): counted, and shown, but the run fails
  # only if a request went unanswered or the server stopped.
  echo "  panics contained in a request's task: $(grep -c "panicked at" "$work/$name.log" || true)"
  grep -m1 -A1 "panicked at" "$work/$name.log" | sed 's/^/    /' || true
  mkdir -p target/soak && cp "$work/$name.log" "target/soak/$name.log"
  return $status
}

status=0
run sqlite "sqlite://$work/soak.db" "$@" || status=1
if command -v psql >/dev/null && psql "$pg_url" -qc "CREATE DATABASE $pg_db" >/dev/null 2>&1; then
  run postgres "${pg_url%/*}/$pg_db" "$@" || status=1
else
  echo "== postgres: no PostgreSQL answered at $pg_url (or psql is missing); skipped"
fi
exit $status
