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
BIN="$ASTRO_ROOT/target/debug/astro-bookings"
timed "operations DB migrations" "$BIN" migrate >>"$ASTRO_LOCAL/logs/astro.log"
timed "seed IT employee" "$BIN" seed >>"$ASTRO_LOCAL/logs/astro.log"
scripts/edge.sh start

log "starting the roles; JSON logs follow (also in .local/logs/astro.log)"
"$BIN" serve > >(tee -a "$ASTRO_LOCAL/logs/astro.log") 2>&1 &
app=$!
trap 'kill -TERM $app 2>/dev/null; wait $app' INT TERM
for role in customer admin system scheduler; do
  until curl -fs "$ASTRO_EDGE_URL/api/$role/health/ready" >/dev/null; do
    kill -0 $app 2>/dev/null || die "the application exited; see .local/logs/astro.log"
    sleep 0.2
  done
done
log "system up in $((SECONDS - started)) s: $ASTRO_EDGE_URL (customer), $ASTRO_EDGE_URL/supplier/, $ASTRO_EDGE_URL/employee/"
log "IT sign-in: $ASTRO_SEED_IT_EMAIL / $ASTRO_SEED_IT_PASSWORD; mail catcher: $ASTRO_MAIL_API_URL"
wait $app
