#!/usr/bin/env bash
# Per-run and fixed cost of `metron exec` and `hyperfine -N` on `true`, side by side: ROUNDS
# rounds (default 12) of `--runs 1` and `--runs 401` of each tool, alternating, both exporting
# JSON; the per-run cost is the difference of the medians over 400 runs. Timed with bash's
# $EPOCHREALTIME (docs/performance.md quotes it).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine is required (apt-get install hyperfine)" >&2; exit 2; }
rounds=${ROUNDS:-12}
bin="$(./scripts/build-release.sh)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
elapsed() { local start=$EPOCHREALTIME; "$@" >/dev/null 2>&1; local end=$EPOCHREALTIME; python3 -c "print($end - $start)"; }
for _ in $(seq "$rounds"); do
  m1=$(elapsed "$bin/metron" exec --runs 1 --color never --export-json "$work/m.json" true)
  h1=$(elapsed hyperfine -N --runs 1 --style none --export-json "$work/h.json" true)
  m401=$(elapsed "$bin/metron" exec --runs 401 --color never --export-json "$work/m.json" true)
  h401=$(elapsed hyperfine -N --runs 401 --style none --export-json "$work/h.json" true)
  echo "$m1 $h1 $m401 $h401"
done | python3 -c "
import sys, statistics
m1, h1, m401, h401 = [statistics.median(column) for column in zip(*[map(float, line.split()) for line in sys.stdin])]
print(f'--runs 1:  metron {m1 * 1000:.2f} ms, hyperfine {h1 * 1000:.2f} ms')
print(f'per run:   metron {(m401 - m1) / 400 * 1000:.3f} ms, hyperfine {(h401 - h1) / 400 * 1000:.3f} ms')
print(f'--runs 401: metron {m401 * 1000:.1f} ms, hyperfine {h401 * 1000:.1f} ms')
"
