# Shared helpers: timestamped messages, timing, waiting for a port.
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# timed NAME COMMAND...: runs the command and says how long it took.
timed() {
  local name=$1; shift
  local started=$SECONDS
  "$@"
  log "$name: $((SECONDS - started)) s"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_for_port PORT NAME LOGFILE [SECONDS]
wait_for_port() {
  local port=$1 name=$2 logfile=$3 limit=${4:-60} waited=0
  until port_open "$port"; do
    sleep 0.2; waited=$((waited + 1))
    if (( waited > limit * 5 )); then
      die "$name did not open port $port within ${limit}s; see $logfile"
    fi
  done
}

# start_system LOGFILE: migrates, seeds the IT employee, starts the edge and all roles in one
# process (in the background; its pid in APP_PID) and waits until every role is ready.
start_system() {
  local logfile=$1 bin="$ASTRO_ROOT/target/debug/astro-bookings"
  timed "operations DB migrations" "$bin" migrate >>"$logfile" 2>&1
  timed "seed IT employee" "$bin" seed >>"$logfile" 2>&1
  "$ASTRO_ROOT/scripts/edge.sh" start
  "$bin" serve >>"$logfile" 2>&1 &
  APP_PID=$!
  for role in customer admin system scheduler; do
    until curl -fs "$ASTRO_EDGE_URL/api/$role/health/ready" >/dev/null; do
      kill -0 "$APP_PID" 2>/dev/null || die "the application exited; see $logfile"
      sleep 0.2
    done
  done
}
