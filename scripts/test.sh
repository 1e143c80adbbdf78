#!/usr/bin/env bash
# The README's second command (and CI's): installs what is missing, starts the servers, then runs
# every check: formatting, lints, Rust unit and integration tests, web unit tests, and the
# Playwright API and browser tests against the running system.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ASTRO_ROOT"
started=$SECONDS

scripts/setup.sh
scripts/services.sh start
timed "cargo fmt --check" cargo fmt --check
timed "cargo clippy" cargo clippy --quiet --all-targets -- -D warnings
timed "cargo test" cargo test --quiet

if [[ -f web/package.json ]]; then
  timed "web unit tests (jest)" bash -c 'cd web && npx jest --silent'
  timed "web build" bash -c 'cd web && npm run --silent build >/dev/null'
fi

# The whole system behind the edge, for the Playwright API (and browser) tests.
BIN="$ASTRO_ROOT/target/debug/astro-bookings"
cargo build --quiet --bin astro-bookings
"$BIN" migrate >>"$ASTRO_LOCAL/logs/astro-test.log" 2>&1
"$BIN" seed >>"$ASTRO_LOCAL/logs/astro-test.log" 2>&1
scripts/edge.sh start
"$BIN" serve >>"$ASTRO_LOCAL/logs/astro-test.log" 2>&1 &
app=$!
trap 'kill -TERM $app 2>/dev/null || true; wait $app 2>/dev/null || true' EXIT
for role in customer admin system scheduler; do
  until curl -fs "$ASTRO_EDGE_URL/api/$role/health/ready" >/dev/null; do
    kill -0 $app 2>/dev/null || die "the application exited; see .local/logs/astro-test.log"
    sleep 0.2
  done
done
timed "Playwright tests" bash -c 'cd e2e && npx playwright test'
log "all checks passed in $((SECONDS - started)) s"
