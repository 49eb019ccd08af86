#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server for the test suite (installing it with apt if needed) and
# prints its URL. The data directory lives under .build/; the server listens on 127.0.0.1 only.
#   scripts/postgres-test-server.sh start   -> prints postgres://metron:metron@127.0.0.1:PORT/postgres
#   scripts/postgres-test-server.sh stop
set -euo pipefail
cd "$(dirname "$0")/.."
port=${METRON_TEST_POSTGRES_PORT:-55432}
data="$(pwd)/.build/postgres-test"

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >&2
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

# PostgreSQL refuses to run as root: run it as the postgres user when we are root.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-start}" in
  start)
    if [ "$(id -u)" = 0 ]; then id postgres >/dev/null 2>&1 || useradd --system --home /nonexistent postgres; fi
    if as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      echo "postgres://metron:metron@127.0.0.1:$port/postgres"; exit 0
    fi
    rm -rf "$data"; mkdir -p "$data"
    [ "$(id -u)" = 0 ] && chown postgres "$data"
    pwfile=$(mktemp); echo metron > "$pwfile"; chmod 644 "$pwfile"
    as_owner "$bindir/initdb" -D "$data" -U metron --pwfile="$pwfile" -A scram-sha-256 >/dev/null
    rm -f "$pwfile"
    as_owner "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $data -c fsync=off -c max_connections=200" start >/dev/null
    echo "postgres://metron:metron@127.0.0.1:$port/postgres"
    ;;
  stop)
    as_owner "$bindir/pg_ctl" -D "$data" -m fast stop >/dev/null 2>&1 || true
    ;;
esac
