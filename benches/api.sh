#!/usr/bin/env bash
# The JSON API's measurements (see api.py) against the release build, on its own SQLite file
# and port: the start's latency over 1,000 calls, the action log's first page and page 20,000
# at 1,000,000 entries, and the storefront's request rate while one token floods the API.
# Needs wrk (installed from Debian if missing). `bash benches/api.sh [RUNS] [LOG_ENTRIES]`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
make --no-print-directory build-release
runs=${1:-1000}
entries=${2:-1000000}
work=$(mktemp -d)
port=3202
export DATABASE_URL="sqlite://$work/bench.db" LEPTOS_SITE_ADDR=127.0.0.1:$port LEPTOS_SITE_ROOT=target/site \
  LEPTOS_ENV=PROD SHOPASSIST_ADMIN_PASSWORD=Bench-Admin-Passw0rd RUST_LOG=warn
bin=target/release/shopassist
server=
stop() { [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true; }
trap 'stop; rm -rf "$work"' EXIT
serve() {
  "$bin" serve --demo >>"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/ready" >/dev/null && return; sleep 0.2; done
  echo "the server did not start"; cat "$work/server.log"; exit 1
}
"$bin" migrate >/dev/null
echo "== generating $entries action log entries"
time "$bin" demo-data --log-entries "$entries" >/dev/null

# Latencies with a budget that does not get in the way.
SHOPASSIST_API_CALLS_PER_MINUTE=10000000 serve
token=$("$bin" token create --username admin --name "Bench" --expires 1d | tail -1)
python3 benches/api.py latency "http://127.0.0.1:$port" "$token" "$SHOPASSIST_ADMIN_PASSWORD" "$work/bench.db" "$runs"
stop

# The flood, with the default budget (600 calls a minute per token).
serve
token=$("$bin" token create --username admin --name "Runaway" --expires 1d | tail -1)
python3 benches/api.py flood "http://127.0.0.1:$port" "$token" "$SHOPASSIST_ADMIN_PASSWORD" "$work/bench.db" "$runs"
