#!/usr/bin/env bash
# Metron's main job on the example that ships in the repo: build metron (release), run the suites
# of ./metron.yml (gzip levels on a generated corpus, start-up of common tools), store the run in
# the embedded SQLite history (.metron/metron.sqlite) and show the history.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f /usr/include/sqlite3.h ]; then
  echo "==> installing libsqlite3-dev (the history store is SQLite)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libsqlite3-dev >/dev/null
fi

echo "==> building metron (release)"
swift build -c release --product metron
swift build -c release --product metron-spawner   # the fork server metron starts commands from
metron="$(swift build -c release --show-bin-path)/metron"

mkdir -p results
echo "==> metron run (metron.yml)"
"$metron" run --export-json results/run.json "$@"
echo
echo "==> metron history"
"$metron" history
