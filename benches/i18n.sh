#!/usr/bin/env bash
# The cost of the translations, before and after, in one run: the shoppers' download (wasm and
# JS, brotli) and the storefront page's request rate, each build on its own fresh SQLite file
# and port, measured in alternating rounds so drift hits both alike (medians are printed).
#
#   bash benches/i18n.sh [BASELINE_DIR]
#
# BASELINE_DIR holds the "before" build: `shopassist` (the binary), its `hash.txt` (the hashed
# asset names, which the server reads beside its binary) and `site/` (its target/site). Without it, the build of BASELINE_REV (default: the commit before the
# translations) is made in a worktree under target/, once (about 20 minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
make --no-print-directory build-release

baseline=${1:-}
if [ -z "$baseline" ]; then
  rev=${BASELINE_REV:-d1fc3bc}
  tree=target/baseline-$rev
  if [ ! -x "$tree/target/release/shopassist" ]; then
    [ -d "$tree" ] || git worktree add --detach "$tree" "$rev"
    modules="$PWD/end2end/node_modules"
    (cd "$tree" && ln -sfn "$modules" end2end/node_modules && make --no-print-directory build-release)
  fi
  baseline=target/baseline-bench
  mkdir -p "$baseline"
  cp "$tree/target/release/shopassist" "$tree/target/release/hash.txt" "$baseline/"
  rm -rf "$baseline/site" && cp -r "$tree/target/site" "$baseline/site"
fi

echo "== the shoppers' download, before"
node benches/sizes.js "$baseline/site/pkg" | grep -E "^(download|storefront)"
echo "== after"
node benches/sizes.js target/site/pkg | grep -E "^(download|storefront)"
before_bytes=$(node benches/sizes.js "$baseline/site/pkg" --storefront-bytes)
after_bytes=$(node benches/sizes.js target/site/pkg --storefront-bytes)
python3 - "$before_bytes" "$after_bytes" <<'PY'
import sys
b, a = (int(x) for x in sys.argv[1:])
grew = (a - b) / 1024
print(f"== the shoppers' whole download (main wasm + every js + its locale's texts, the larger locale), brotli: {b / 1024:.1f} -> {a / 1024:.1f} KiB, "
      f"{grew:+.1f} KiB   goal <= +15 KiB: {'met' if grew <= 15 else 'MISSED'}")
PY

work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; sleep 0.5; rm -rf "$work"' EXIT
# Each server runs in a loop that starts it again if it ends: the baseline aborts when a render
# a client abandoned (wrk closes its connections at the end of a round) reaches an <A> link
# (fixed in e904e74). Restarts are counted and printed; a round they hit reads low, and the
# medians of the rounds stand.
start() { # name binary site port
  mkdir -p "$work/$1"
  (
    child=
    trap '[ -n "$child" ] && kill "$child" 2>/dev/null; exit 0' TERM
    while :; do
      DATABASE_URL="sqlite://$work/$1/bench.db" LEPTOS_SITE_ADDR="127.0.0.1:$4" LEPTOS_SITE_ROOT="$3" LEPTOS_ENV=PROD \
        SHOPASSIST_ADMIN_PASSWORD=Bench-Admin-Passw0rd RUST_LOG=warn "$2" serve --demo >>"$work/$1/server.log" 2>&1 &
      child=$!
      wait "$child" || true
      echo "== restarted" >>"$work/$1/server.log"
      sleep 0.2
    done
  ) &
  pids+=($!)
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$4/ready" >/dev/null && return; sleep 0.2; done
  echo "the $1 server did not start" >&2; cat "$work/$1/server.log" >&2; exit 1
}
start before "$baseline/shopassist" "$baseline/site" 3210
start after target/release/shopassist target/site 3211
status=0
python3 benches/i18n.py http://127.0.0.1:3210 http://127.0.0.1:3211 "${ROUNDS:-5}" || status=$?
for s in before after; do
  echo "== the $s server ended and was started again $(grep -c '^== restarted' "$work/$s/server.log") times"
done
if [ "$status" -ne 0 ]; then
  for s in before after; do echo "== the $s server's log, last lines"; grep -v '^  ' "$work/$s/server.log" | tail -5; done
  exit 1
fi
