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

# The whole system behind the edge, for the Playwright API (and browser) tests; the binary is
# the one `cargo test` just built.
start_system "$ASTRO_LOCAL/logs/astro-test.log"
trap 'kill -TERM $APP_PID 2>/dev/null || true; wait $APP_PID 2>/dev/null || true' EXIT
timed "Playwright tests" bash -c 'cd e2e && npx playwright test'
log "all checks passed in $((SECONDS - started)) s"
