#!/usr/bin/env bash
# services.sh start|stop|status: the project's own PostgreSQL, FerretDB, RabbitMQ and Mailpit,
# bound to loopback, started without systemd. Idempotent: a running service is left alone.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
LOGS="$ASTRO_LOCAL/logs"; RUN="$ASTRO_LOCAL/run"
mkdir -p "$LOGS" "$RUN"
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)

as_postgres() { runuser -u postgres -- "$@"; }

start_postgres() {
  port_open "$ASTRO_PG_PORT" && return 0
  [[ -n $PG_BIN ]] || die "PostgreSQL is not installed; run scripts/setup.sh"
  if [[ ! -f $ASTRO_PG_DATA/PG_VERSION ]]; then
    mkdir -p "$ASTRO_PG_DATA" && chown postgres:postgres "$ASTRO_PG_DATA" && chmod 700 "$ASTRO_PG_DATA"
    as_postgres "$PG_BIN/initdb" -D "$ASTRO_PG_DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 >"$LOGS/postgres-init.log"
    cat >>"$ASTRO_PG_DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $ASTRO_PG_PORT
max_connections = 300
unix_socket_directories = '$ASTRO_PG_DATA'
fsync = on
CONF
  fi
  touch "$LOGS/postgres.log" && chown postgres "$LOGS/postgres.log"
  as_postgres "$PG_BIN/pg_ctl" -D "$ASTRO_PG_DATA" -l "$LOGS/postgres.log" -w start >/dev/null
  wait_for_port "$ASTRO_PG_PORT" PostgreSQL "$LOGS/postgres.log"
  # The project's role may create databases: tests make a fresh one each.
  as_postgres psql -h "$ASTRO_PG_DATA" -p "$ASTRO_PG_PORT" -U postgres -qtAc \
    "SELECT 1 FROM pg_roles WHERE rolname='astro'" | grep -q 1 || \
    as_postgres psql -h "$ASTRO_PG_DATA" -p "$ASTRO_PG_PORT" -U postgres -qc \
      "CREATE ROLE astro LOGIN CREATEDB PASSWORD 'astro'"
  as_postgres psql -h "$ASTRO_PG_DATA" -p "$ASTRO_PG_PORT" -U postgres -qtAc \
    "SELECT 1 FROM pg_database WHERE datname='astro_ops'" | grep -q 1 || \
    as_postgres psql -h "$ASTRO_PG_DATA" -p "$ASTRO_PG_PORT" -U postgres -qc "CREATE DATABASE astro_ops OWNER astro"
}

start_ferretdb() {
  port_open "$ASTRO_MONGO_PORT" && return 0
  mkdir -p "$ASTRO_LOCAL/ferretdb"
  nohup ferretdb --listen-addr="127.0.0.1:$ASTRO_MONGO_PORT" --handler=sqlite \
    --sqlite-url="file:$ASTRO_LOCAL/ferretdb/" --telemetry=disable --state-dir="$ASTRO_LOCAL/ferretdb" --debug-addr=- \
    --log-level=warn >"$LOGS/ferretdb.log" 2>&1 &
  echo $! >"$RUN/ferretdb.pid"
  wait_for_port "$ASTRO_MONGO_PORT" FerretDB "$LOGS/ferretdb.log"
}

rabbit_env() {
  export RABBITMQ_NODENAME=astro@localhost RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=5672
  export RABBITMQ_DIST_PORT=25672 ERL_EPMD_ADDRESS=127.0.0.1 HOME="$ASTRO_LOCAL/rabbitmq"
  export RABBITMQ_MNESIA_BASE="$ASTRO_LOCAL/rabbitmq/mnesia" RABBITMQ_LOG_BASE="$LOGS/rabbitmq"
  export RABBITMQ_PID_FILE="$RUN/rabbitmq.pid" RABBITMQ_ENABLED_PLUGINS_FILE="$ASTRO_LOCAL/rabbitmq/enabled_plugins"
  export RABBITMQ_CONFIG_FILE="$ASTRO_LOCAL/rabbitmq/rabbitmq"
}

start_rabbitmq() {
  port_open 5672 && return 0
  rabbit_env
  mkdir -p "$HOME" "$RABBITMQ_MNESIA_BASE" "$RABBITMQ_LOG_BASE"
  [[ -f $RABBITMQ_ENABLED_PLUGINS_FILE ]] || echo '[].' >"$RABBITMQ_ENABLED_PLUGINS_FILE"
  printf 'listeners.tcp.default = 127.0.0.1:5672\nloopback_users = none\n' >"$RABBITMQ_CONFIG_FILE.conf"
  # Every durable queue holds a file handle while it is recovered: under the default soft limit
  # (1024) a broker that kept more queues than that never gets past its recovery step.
  local server='ulimit -n "$(ulimit -Hn)"; exec /usr/lib/rabbitmq/bin/rabbitmq-server -detached'
  if [[ $(id -u) == 0 ]] && id rabbitmq >/dev/null 2>&1; then
    # As Debian's wrapper does, the broker runs as its own user; su resets the limits.
    chown -R rabbitmq:rabbitmq "$HOME" "$RABBITMQ_LOG_BASE"
    su rabbitmq -s /bin/sh -c "$server" >"$LOGS/rabbitmq-start.log" 2>&1
  else
    sh -c "$server" >"$LOGS/rabbitmq-start.log" 2>&1
  fi
  wait_for_port 5672 RabbitMQ "$LOGS/rabbitmq" 90
  local tries=0
  until rabbitmq-diagnostics -q ping >/dev/null 2>&1; do
    sleep 0.5; tries=$((tries + 1)); (( tries < 120 )) || die "RabbitMQ did not answer; see $LOGS/rabbitmq"
  done
  # A failed test keeps its namespace for a look; an hour unused, its queues go.
  rabbitmqctl -q set_policy --apply-to queues test-namespaces '^test-' '{"expires":3600000}' >/dev/null
}

start_mailpit() {
  port_open "$ASTRO_SMTP_PORT" && return 0
  nohup mailpit --smtp "127.0.0.1:$ASTRO_SMTP_PORT" --listen "127.0.0.1:${ASTRO_MAIL_API_URL##*:}" \
    --smtp-auth-accept-any --smtp-auth-allow-insecure >"$LOGS/mailpit.log" 2>&1 &
  echo $! >"$RUN/mailpit.pid"
  wait_for_port "$ASTRO_SMTP_PORT" Mailpit "$LOGS/mailpit.log"
}

stop_pidfile() {
  local pidfile="$RUN/$1.pid"
  [[ -f $pidfile ]] || return 0
  kill "$(cat "$pidfile")" 2>/dev/null || true
  rm -f "$pidfile"
}

case "${1:-start}" in
  start)
    timed "PostgreSQL :$ASTRO_PG_PORT" start_postgres
    timed "FerretDB :$ASTRO_MONGO_PORT" start_ferretdb
    timed "RabbitMQ :5672" start_rabbitmq
    timed "Mailpit :$ASTRO_SMTP_PORT" start_mailpit
    ;;
  stop)
    [[ -n $PG_BIN && -f $ASTRO_PG_DATA/postmaster.pid ]] && as_postgres "$PG_BIN/pg_ctl" -D "$ASTRO_PG_DATA" -m fast stop >/dev/null || true
    stop_pidfile ferretdb
    stop_pidfile mailpit
    (rabbit_env; rabbitmqctl -q stop >/dev/null 2>&1 || true)
    log "services stopped"
    ;;
  status)
    for entry in "PostgreSQL:$ASTRO_PG_PORT" "FerretDB:$ASTRO_MONGO_PORT" "RabbitMQ:5672" "Mailpit:$ASTRO_SMTP_PORT"; do
      if port_open "${entry#*:}"; then echo "${entry%%:*} up (:${entry#*:})"; else echo "${entry%%:*} down"; fi
    done
    ;;
  *) die "usage: services.sh start|stop|status" ;;
esac
