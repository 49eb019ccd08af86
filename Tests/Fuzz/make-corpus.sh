#!/usr/bin/env bash
# Writes the fuzzers' seed corpus (Tests/Fuzz/corpus/TARGET/) from the repository's own inputs:
# metron.yml and suite snippets for `suite`, the peer-format fixtures for `import` (each prefixed
# with its selector byte: 0 lets the content tell the format, as metron import does), the golden
# run report and each of its benchmarks alone for `report`. Rerun when those change; inputs the
# fuzzer found that broke a promise go to Tests/Fuzz/regressions/TARGET/ by hand, with the fix.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=Tests/Fuzz/corpus
rm -rf "$out"
mkdir -p "$out/suite" "$out/import" "$out/report"
cp metron.yml "$out/suite/metron.yml"
printf 'version: 1\nsuites:\n  s:\n    defaults: {runs: 5, warmup: 1, timeout: 2s}\n    benchmarks:\n      - name: a\n        command: echo {n}\n        parameters: {n: [1, 2]}\n        budgets: {max_mean: 10ms}\n' > "$out/suite/params.yml"
printf 'version: 1\nsuites:\n  s:\n    benchmarks:\n      - {name: b, command: "true", valgrind: true, bands: {deterministic: {warning: 0.2%%}}}\n' > "$out/suite/valgrind.yml"
n=0
for file in $(find Tests/Fixtures/peer-formats -type f \( -name '*.json' -o -name '*.txt' \) ! -name VERSIONS.txt ! -path '*/base/*' ! -path '*/change/*' | sort); do
  [ "$(stat -c %s "$file")" -le 16384 ] || continue
  n=$((n + 1))
  { printf '\000'; cat "$file"; } > "$out/import/$n-$(basename "$file")"
done
cp Tests/MetronReportTests/Golden/export.json "$out/report/export.json"
# Each benchmark of the golden report also alone, compact: smaller reports that decode, for the
# mutations to start from.
python3 - "$out/report" <<'PY'
import json, sys
report = json.load(open("Tests/MetronReportTests/Golden/export.json"))
for n, benchmark in enumerate(report["benchmarks"], 1):
    alone = dict(report, benchmarks=[benchmark])
    with open(f"{sys.argv[1]}/{n}-alone.json", "w") as f:
        json.dump(alone, f, separators=(",", ":"), sort_keys=True)
PY
echo "corpus: $(ls "$out/suite" | wc -l) suite, $(ls "$out/import" | wc -l) import, $(ls "$out/report" | wc -l) report inputs"
