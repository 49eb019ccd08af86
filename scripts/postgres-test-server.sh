#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server for the test suite (installing it with apt if needed) and
# prints its URL. The data directory lives under .build/; the server listens on 127.0.0.1 only.
#   scripts/postgres-test-server.sh start   -> prints postgres://metron:metron@127.0.0.1:PORT/postgres
#   scripts/postgres-test-server.sh stop
set -euo pipefail
cd "$(dirname "$0")/.."
port=${METRON_TEST_POSTGRES_PORT:-}
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
      echo "postgres://metron:metron@127.0.0.1:$(cat "$data/metron-port")/postgres"; exit 0
    fi
    # The first free port from 55432 (another checkout's test server may hold one).
    if [ -z "$port" ]; then
      for candidate in $(seq 55432 55499); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break; fi
      done
    fi
    [ -n "$port" ] || { echo "postgres-test-server: no free port in 55432-55499" >&2; exit 1; }
    rm -rf "$data"; mkdir -p "$data"
    [ "$(id -u)" = 0 ] && chown postgres "$data"
    pwfile=$(mktemp); echo metron > "$pwfile"; chmod 644 "$pwfile"
    as_owner "$bindir/initdb" -D "$data" -U metron --pwfile="$pwfile" -A scram-sha-256 >/dev/null
    rm -f "$pwfile"
    if ! as_owner "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $data -c fsync=off -c max_connections=200" start >/dev/null; then
      echo "postgres-test-server: PostgreSQL did not start; its log:" >&2
      tail -n 20 "$data/server.log" >&2
      exit 1
    fi
    echo "$port" > "$data/metron-port"
    echo "postgres://metron:metron@127.0.0.1:$port/postgres"
    ;;
  stop)
    as_owner "$bindir/pg_ctl" -D "$data" -m fast stop >/dev/null 2>&1 || true
    ;;
esac
