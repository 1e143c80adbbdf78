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
  if [[ -f web/playwright.config.ts ]]; then
    timed "web build" bash -c 'cd web && npm run --silent build >/dev/null'
    BIN="$ASTRO_ROOT/target/debug/astro-bookings"
    "$BIN" migrate >>"$ASTRO_LOCAL/logs/astro-test.log"
    "$BIN" seed >>"$ASTRO_LOCAL/logs/astro-test.log"
    scripts/edge.sh start
    "$BIN" serve >>"$ASTRO_LOCAL/logs/astro-test.log" 2>&1 &
    app=$!
    trap 'kill -TERM $app 2>/dev/null || true; wait $app 2>/dev/null || true' EXIT
    for role in customer admin system scheduler; do
      until curl -fs "$ASTRO_EDGE_URL/api/$role/health/ready" >/dev/null; do sleep 0.2; done
    done
    timed "Playwright API and browser tests" bash -c 'cd web && npx playwright test'
  fi
fi
log "all checks passed in $((SECONDS - started)) s"
