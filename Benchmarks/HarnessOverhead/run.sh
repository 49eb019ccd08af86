#!/usr/bin/env bash
# Harness overhead per iteration, side by side: Metron's runner and package-benchmark
# (ordo-one/benchmark 1.38.1) on the same empty and tiny bodies, ROUNDS rounds, alternating which
# goes first. Prints the median time per iteration each reports (ns). Figures: docs/performance.md.
#   Benchmarks/HarnessOverhead/run.sh            (ROUNDS=3 by default)
set -euo pipefail
cd "$(dirname "$0")"
rounds=${ROUNDS:-3}
swift build -c release >/dev/null 2>&1 || swift build -c release
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

metron_round() {
  .build/release/MetronHarness --format json --output "$work/metron.json" >/dev/null
  python3 - "$work/metron.json" <<'PY'
import json, sys, statistics
run = json.load(open(sys.argv[1]))
for b in run["benchmarks"]:
    wall = next(m for m in b["metrics"] if m["id"] == "wall_time")
    print(f"metron            {b['name']:9} median {statistics.median(wall['samples']) * 1e9:8.3f} ns/iteration")
PY
}

package_benchmark_round() {
  # Throughput has the finer resolution: package-benchmark reports wall time in whole ns.
  swift package --disable-sandbox benchmark --target PackageBenchmarkHarness --no-progress 2>/dev/null \
    | python3 -c '
import re, sys
name = None
scale = {"": 1, "K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12}
for line in sys.stdin:
    line = line.rstrip()
    if line in ("empty", "tiny", "blackhole"): name = line
    m = re.match(r"│ Throughput \(# / s\) \((\w?)\)\s*│\s*([\d,]+)\s*│\s*([\d,]+)\s*│\s*([\d,]+)", line)
    if name and m:
        p50 = float(m.group(4).replace(",", "")) * scale[m.group(1)]
        print(f"package-benchmark {name:9} median {1e9 / p50:8.3f} ns/iteration (p50 throughput {p50:.4g}/s)")
        name = None
'
}

for round in $(seq "$rounds"); do
  echo "== round $round"
  if [ $((round % 2)) = 1 ]; then metron_round; package_benchmark_round; else package_benchmark_round; metron_round; fi
done
