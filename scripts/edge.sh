#!/usr/bin/env bash
# edge.sh start|stop: the nginx edge on ASTRO_EDGE_PORT, as its own instance (not /etc/nginx).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
CONF_DIR="$ASTRO_LOCAL/nginx"
mkdir -p "$CONF_DIR" "$ASTRO_LOCAL/logs"

render() {
  local template="$ASTRO_ROOT/deploy/nginx/astro.conf.template" text
  text=$(<"$template")
  for name in ASTRO_LOCAL ASTRO_ROOT ASTRO_EDGE_PORT ASTRO_CUSTOMER_PORT ASTRO_ADMIN_PORT ASTRO_SYSTEM_PORT ASTRO_SCHEDULER_PORT; do
    text=${text//"\${$name}"/${!name}}
  done
  # Running as root, the workers read the web build as root too.
  printf 'user root;\n%s\n' "$text" >"$CONF_DIR/nginx.conf"
}

case "${1:-start}" in
  start)
    render
    nginx -t -q -c "$CONF_DIR/nginx.conf" -p "$CONF_DIR" -e "$ASTRO_LOCAL/logs/nginx-error.log"
    if [[ -f $CONF_DIR/nginx.pid ]] && kill -0 "$(cat "$CONF_DIR/nginx.pid")" 2>/dev/null; then
      nginx -c "$CONF_DIR/nginx.conf" -p "$CONF_DIR" -e "$ASTRO_LOCAL/logs/nginx-error.log" -s reload
    else
      nginx -c "$CONF_DIR/nginx.conf" -p "$CONF_DIR" -e "$ASTRO_LOCAL/logs/nginx-error.log"
    fi
    wait_for_port "$ASTRO_EDGE_PORT" nginx "$ASTRO_LOCAL/logs/nginx-error.log" 10
    log "edge on $ASTRO_EDGE_URL"
    ;;
  stop)
    [[ -f $CONF_DIR/nginx.pid ]] && kill "$(cat "$CONF_DIR/nginx.pid")" 2>/dev/null || true
    ;;
  *) die "usage: edge.sh start|stop" ;;
esac
