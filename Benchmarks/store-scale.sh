#!/usr/bin/env bash
# History at scale: fills a store with B benchmarks × R runs (metron-store-bench, which also times
# ingestion and the raw queries), then times the real `metron` commands a team runs on it:
# history, compare, check and trend. Figures go to docs/performance.md.
#   Benchmarks/store-scale.sh [--benchmarks 1000] [--runs 1000] [--store LOCATION] [--no-fill]
# LOCATION defaults to a fresh SQLite file (deleted afterwards); pass a path to keep it, or
# postgres://… for PostgreSQL (the tables are dropped first, so use a scratch database).
# --no-fill times the commands on a store filled by an earlier call with the same sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
benchmarks=1000 runs=1000 store="" fill=1
while [ $# -gt 0 ]; do
  case "$1" in
    --benchmarks) benchmarks=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --store) store=$2; shift 2 ;;
    --no-fill) fill=0; shift ;;
    *) echo "usage: $0 [--benchmarks N] [--runs N] [--store LOCATION]" >&2; exit 2 ;;
  esac
done
work=$(mktemp -d /tmp/metron-scale.XXXXXX)
trap 'rm -rf "$work"' EXIT
if [ -z "$store" ]; then store="$work/metron.sqlite"; fi
if [ $fill = 1 ] && [[ "$store" == postgres* ]]; then
  psql "$store" -q -c "drop table if exists metron_benchmarks, metron_baselines, metron_runs, metron_schema cascade" 2>/dev/null || true
fi

./scripts/build-release.sh metron-store-bench >/dev/null
bin=.build/release

if [ $fill = 1 ]; then
  [[ "$store" == postgres* ]] || rm -f "$store" "$store-wal" "$store-shm"
  echo "== ingestion and raw queries"
  "$bin/metron-store-bench" --store "$store" --benchmarks "$benchmarks" --runs "$runs"
fi

# A suite file that declares every stored benchmark with a budget, so `check` evaluates them all.
python3 - "$benchmarks" > "$work/metron.yml" <<'PY'
import sys
n = int(sys.argv[1])
print("version: 1\nsuites:")
for s in range(10):
    names = [i for i in range(n) if i % 10 == s]
    if not names: continue
    print(f"  suite{s}:\n    budgets:\n      p95: {{ max: 2s, severity: error }}\n    benchmarks:")
    for i in names:
        print(f"      - {{ name: bench{i}, command: 'true' }}")
PY

# The oldest run (commit 000…0) becomes the baseline "main".
"$bin/metron" baseline save main 0000000000000000000000000000000000000000 --store "$store" >/dev/null

time_command() {
  local label=$1; shift
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null || { status=$?; [ $status -le 1 ] || { echo "$label failed with $status" >&2; exit 1; }; }
  end=$(date +%s.%N)
  printf '%-58s %6.3f s\n' "$label" "$(echo "$end - $start" | bc)"
}
probe_index=$((benchmarks / 2 + 3))
probe="suite$((probe_index % 10))/bench$probe_index"
echo "== metron commands on $benchmarks benchmarks × $runs runs (end to end, process start included)"
for round in 1 2 3; do
  time_command "metron history $probe (all $runs runs)" "$bin/metron" history $probe --limit "$runs" --store "$store"
  time_command "metron compare (latest vs baseline, $benchmarks benchmarks)" "$bin/metron" compare --config "$work/metron.yml" --store "$store"
  time_command "metron check ($benchmarks budgets + regressions)" "$bin/metron" check --config "$work/metron.yml" --store "$store"
  time_command "metron trend $probe (change points over $runs runs)" "$bin/metron" trend $probe --store "$store"
done
# What a stored result takes: its record and packed samples, and the whole table with indexes.
if [[ "$store" == postgres* ]]; then
  psql "$store" -At -F ' ' -c "select 'results', count(*), 'record bytes', round(avg(octet_length(result_json))),
    'samples bytes', round(avg(coalesce(octet_length(samples), 0))),
    'table bytes per result', pg_total_relation_size('metron_benchmarks') / greatest(count(*), 1) from metron_benchmarks"
else
  sqlite3 "$store" "select 'results', count(*), 'record bytes', round(avg(length(result_json))),
    'samples bytes', round(avg(coalesce(length(samples), 0))) from benchmarks" | tr '|' ' '
  du -h "$store"* | sed 's/^/store size: /'
fi
