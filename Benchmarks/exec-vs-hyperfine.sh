#!/usr/bin/env bash
# Metron's command runner next to hyperfine, side by side in one run: `metron exec` and
# `hyperfine -N` each run 200 measured runs of `true` and of a 50 ms sleep, alternating which goes
# first, for ROUNDS rounds. Prints a Markdown table of the mean each reports and the total wall
# time each took, with the ratios (the figures in docs/performance.md come from this script).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-3}
runs=${RUNS:-200}
command -v hyperfine >/dev/null || { echo "hyperfine is required (apt-get install hyperfine)" >&2; exit 2; }

bin="$(./scripts/build-release.sh)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
mean_of() { python3 -c "import json,sys; d=json.load(open('$1')); print(d['results'][0]['mean'] if 'results' in d else d['benchmarks'][0]['metrics'][0]['statistics']['mean'])"; }

echo "| command | tool | round | mean reported | total wall of $runs runs |"
echo "|---|---|---:|---:|---:|"
for cmd in "true" "sleep 0.05"; do
  for round in $(seq 1 "$rounds"); do
    order=("hyperfine" "metron")
    [ $((round % 2)) -eq 0 ] && order=("metron" "hyperfine")
    for tool in "${order[@]}"; do
      out="$work/$tool-$round.json"
      start=$(now)
      if [ "$tool" = hyperfine ]; then
        hyperfine -N --runs "$runs" --style none --export-json "$out" "$cmd" >/dev/null
      else
        "$bin/metron" exec --runs "$runs" --color never --export-json "$out" "$cmd" >/dev/null
      fi
      end=$(now)
      printf "| %s | %s | %d | %.6f s | %.3f s |\n" "$cmd" "$tool" "$round" "$(mean_of "$out")" "$(python3 -c "print($end - $start)")"
    done
  done
done
