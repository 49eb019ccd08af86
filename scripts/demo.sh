#!/usr/bin/env bash
# Metron's main job on the example that ships in the repo: build metron (release) and benchmark
# three gzip levels on a generated corpus, with exports under results/.
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
"$metron" exec \
  --setup "sh Examples/commands/make-corpus.sh results/corpus.txt" \
  --warmup 2 \
  -L level 1,6,9 --name "gzip -{level}" \
  "gzip -{level} -c results/corpus.txt" \
  --export-json results/exec.json \
  --export-csv results/exec.csv \
  --export-markdown results/exec.md "$@"
echo
echo "Exports: results/exec.json results/exec.csv results/exec.md"
