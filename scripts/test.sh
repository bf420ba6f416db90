#!/usr/bin/env bash
# Every check, in order of cost: formatting, lints (server and browser builds), unit and
# integration tests on SQLite and PostgreSQL, then the browser suite against a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
# CI=1 and CI=true mean the same: this run is CI (the PostgreSQL suite is mandatory).
case "${CI:-}" in 1|true|TRUE|yes) export CI=true ;; esac

# Each step's wall time is printed as it ends and again in a summary at the end.
timings=()
step_name=""
step_start=0
end_step() {
  if [ -n "$step_name" ]; then
    local took=$(( $(date +%s) - step_start ))
    timings+=("$(printf '%4d:%02d  %s' $((took / 60)) $((took % 60)) "$step_name")")
    printf '\033[2m(%s took %dm%02ds)\033[0m\n' "$step_name" $((took / 60)) $((took % 60))
  fi
}
step() {
  end_step
  step_name="$*"
  step_start=$(date +%s)
  printf '\n\033[1m==> %s\033[0m\n' "$*"
}
summary() {
  end_step
  step_name=""
  printf '\n\033[1mStage times (m:ss)\033[0m\n'
  printf '%s\n' "${timings[@]}"
}
trap summary EXIT

# A clean build of every check needs about 10 GB under target/; say so before it fails late.
free_kb=$(df -Pk . | awk 'NR == 2 {print $4}')
if [ "$free_kb" -lt $((10 * 1024 * 1024)) ]; then
  printf '\033[33mOnly %s MB free here; a clean build of every check needs about 10 GB.\033[0m\n' "$((free_kb / 1024))"
fi
# Incremental caches only help repeated local builds; in CI they double the disk used.
if [ "${CI:-}" = "true" ]; then export CARGO_INCREMENTAL=0; fi

step "cargo fmt --check"
cargo fmt --all -- --check

step "script tests (node --test scripts/: the release build's wasm packing)"
node --test scripts/

step "clippy (ssr build)"
cargo clippy --features ssr --all-targets -- -D warnings

step "clippy (hydrate build)"
cargo clippy --features hydrate --lib --target wasm32-unknown-unknown -- -D warnings

export TEST_POSTGRES_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
pg_host_port="${TEST_POSTGRES_URL#*@}"; pg_host_port="${pg_host_port%%/*}"
pg_host="${pg_host_port%%:*}"; pg_port="${pg_host_port##*:}"; [ "$pg_port" = "$pg_host" ] && pg_port=5432
if (exec 3<>"/dev/tcp/$pg_host/$pg_port") 2>/dev/null; then
  export SHOPASSIST_POSTGRES_TESTS=run
  echo "PostgreSQL reachable at $pg_host:$pg_port: the integration tests run on SQLite and PostgreSQL."
elif [ "${CI:-}" = "true" ]; then
  echo "CI=true but PostgreSQL is not reachable at $pg_host:$pg_port; the PostgreSQL suite is mandatory in CI." >&2
  exit 1
else
  export SHOPASSIST_POSTGRES_TESTS=skip
  printf '\033[33mPostgreSQL is not reachable at %s:%s: the PostgreSQL integration suite is SKIPPED.\033[0m\n' "$pg_host" "$pg_port"
fi

step "unit and integration tests"
cargo test --features ssr

step "release build (cargo leptos build --release --split)"
make --no-print-directory build-release

step "browser tests (Playwright, Chromium)"
(cd end2end && npx playwright test)
