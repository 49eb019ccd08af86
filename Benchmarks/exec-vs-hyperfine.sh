#!/usr/bin/env bash
# Metron's command runner next to hyperfine, side by side in one run: `metron exec` and
# `hyperfine -N` each run 200 measured runs of `true` and of a 50 ms sleep (both exporting JSON),
# alternating which goes first, for ROUNDS rounds of `true` (default 15) and SLEEP_ROUNDS rounds
# of the sleep (default 3). Prints a Markdown table of the mean each reports and the total wall
# time each took, then per command the medians of the totals, their ratio, and the median of the
# rounds' own ratios (the two tools of a round run back to back and share the machine's state of
# the moment) with its 95 % bootstrap confidence interval. docs/performance.md quotes it. Wall time is bash's $EPOCHREALTIME around the
# tool's process, so no helper process is timed with it.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-15}
sleep_rounds=${SLEEP_ROUNDS:-3}
runs=${RUNS:-200}
command -v hyperfine >/dev/null || { echo "hyperfine is required (apt-get install hyperfine)" >&2; exit 2; }

bin="$(./scripts/build-release.sh)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

mean_of() { python3 -c "import json,sys; d=json.load(open('$1')); print(d['results'][0]['mean'] if 'results' in d else d['benchmarks'][0]['metrics'][0]['statistics']['mean'])"; }

echo "| command | tool | round | mean reported | total wall of $runs runs |"
echo "|---|---|---:|---:|---:|"
for cmd in "true" "sleep 0.05"; do
  count=$rounds
  [ "$cmd" = "true" ] || count=$sleep_rounds
  [ "$count" -gt 0 ] || continue
  for round in $(seq 1 "$count"); do
    order=("hyperfine" "metron")
    [ $((round % 2)) -eq 0 ] && order=("metron" "hyperfine")
    for tool in "${order[@]}"; do
      out="$work/$tool-$round.json"
      start=$EPOCHREALTIME
      if [ "$tool" = hyperfine ]; then
        hyperfine -N --runs "$runs" --style none --export-json "$out" "$cmd" >/dev/null
      else
        "$bin/metron" exec --runs "$runs" --color never --export-json "$out" "$cmd" >/dev/null
      fi
      end=$EPOCHREALTIME
      total=$(python3 -c "print(f'{$end - $start:.4f}')")
      echo "$cmd|$tool|$round|$total" >> "$work/totals"
      printf "| %s | %s | %d | %.6f s | %s s |\n" "$cmd" "$tool" "$round" "$(mean_of "$out")" "$total"
    done
  done
done
echo
python3 - "$work/totals" <<'PY'
import sys, statistics, collections, random
totals = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    cmd, tool, round_, total = line.strip().split("|")
    totals[cmd].setdefault(int(round_), {})[tool] = float(total)
print("| command | rounds | median total, hyperfine | median total, metron | ratio of medians | median of the rounds' ratios | its 95 % bootstrap CI |")
print("|---|---:|---:|---:|---:|---:|---:|")
rng = random.Random(1)
for cmd, rounds in totals.items():
    h = statistics.median(r["hyperfine"] for r in rounds.values())
    m = statistics.median(r["metron"] for r in rounds.values())
    ratios = [r["metron"] / r["hyperfine"] for r in rounds.values()]
    paired = statistics.median(ratios)
    medians = sorted(statistics.median(rng.choices(ratios, k=len(ratios))) for _ in range(10_000))
    low, high = medians[249], medians[9_749]
    print(f"| {cmd} | {len(rounds)} | {h:.4f} s | {m:.4f} s | {m / h:.3f} | {paired:.3f} | [{low:.3f}, {high:.3f}] |")
PY
