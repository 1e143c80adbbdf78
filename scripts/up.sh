#!/usr/bin/env bash
# The README's first command: installs what is missing, starts every server, builds the
# backend and the web apps, then runs all four roles in one process behind the nginx edge.
# Ctrl-C (or SIGTERM) stops the roles gracefully; the servers keep running (services.sh stop).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ASTRO_ROOT"
started=$SECONDS

scripts/setup.sh
scripts/services.sh start
timed "backend build" cargo build --quiet --bin astro-bookings
if [[ -f web/package.json ]]; then
  timed "web build" bash -c 'cd web && npm run --silent build >/dev/null'
fi
start_system "$ASTRO_LOCAL/logs/astro.log"
trap 'kill -TERM $APP_PID 2>/dev/null; wait $APP_PID' INT TERM
log "system up in $((SECONDS - started)) s: $ASTRO_EDGE_URL (customer), $ASTRO_EDGE_URL/supplier/, $ASTRO_EDGE_URL/employee/"
log "IT sign-in: $ASTRO_SEED_IT_EMAIL / $ASTRO_SEED_IT_PASSWORD; mail catcher: $ASTRO_MAIL_API_URL; JSON logs: .local/logs/astro.log"
tail -n +1 -f --pid="$APP_PID" "$ASTRO_LOCAL/logs/astro.log" &
wait $APP_PID
