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
