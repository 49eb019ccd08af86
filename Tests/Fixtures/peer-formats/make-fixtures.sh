#!/usr/bin/env bash
# make-fixtures.sh — regenerate the peer-tool output fixtures in this folder.
#
# Every data file here is written by the real tool running a tiny workload;
# nothing is hand-written. The only derived file is bmf/from-hyperfine.json
# (see below). The workload sources are written into a temp dir by this
# script (heredocs) and are not kept in the repo.
#
# Usage:  bash Tests/Fixtures/peer-formats/make-fixtures.sh
# Needs:  a Debian 12 (bookworm) machine. Missing tools are installed with
#         `apt-get install -y` / `pip install` (guarded by `command -v` or an
#         import/header check). Network is only needed for those installs;
#         the Rust build is offline against Debian's vendored crates.
#
# Files (versions of each tool are written to VERSIONS.txt on every run):
#   VERSIONS.txt
#       Tool versions and the date of the run that produced the files.
#   hyperfine/two-commands.json      hyperfine --export-json, 'sleep 0.01'
#                                    and 'sleep 0.02', --runs 5.
#   hyperfine/parameter-list.json    --parameter-list delay 0.01,0.02
#                                    'sleep {delay}': results carry
#                                    "parameters": {"delay": "..."}.
#   hyperfine/ignore-failure.json    -i with 'sleep 0.01' and
#                                    'sleep 0.01; exit 3': exit_codes [3,...].
#       (Debian package `hyperfine`, 1.15.0 at last run.)
#   pytest-benchmark/with-data.json  pytest --benchmark-json: per its --help,
#                                    this always includes the raw timings
#                                    (stats.data).
#   pytest-benchmark/without-data.json
#                                    the same run saved with --benchmark-save
#                                    WITHOUT --benchmark-save-data, so stats
#                                    has no "data" key (copied out of the
#                                    --benchmark-storage dir).
#       Benchmarks: test_sort[size=10], test_sort[size=100] (parametrized,
#       default group) and test_join (group "strings", extra_info).
#       (PyPI `pytest-benchmark`, 5.2.3 at last run.)
#   google-benchmark/out.json        --benchmark_out=... --benchmark_out_format=json
#                                    with --benchmark_repetitions=3: BM_Sum
#                                    (user counters items_per_iter, rate, and
#                                    items_per_second) and BM_Sort/64..1024
#                                    with ->Complexity(): iteration rows, the
#                                    _mean/_median/_stddev/_cv aggregates and
#                                    BM_Sort_BigO (big_o) / BM_Sort_RMS (rms).
#       (Debian `libbenchmark-dev`, 1.7.1 at last run; that version takes
#       --benchmark_min_time as a plain double, so the script tries "0.01s"
#       first and falls back to "0.01".)
#   go/bench.txt                     go test -bench . -benchmem -count 3 text:
#                                    BenchmarkSort/size=10, /size=100 (sub-
#                                    benchmarks) and BenchmarkJoin with two
#                                    b.ReportMetric units (bytes/op-out, parts/op).
#       (Debian `golang-go`, go1.19.8 at last run.)
#   criterion/fib/{fixed20,param/10,param/15}/{new,base,change}/*.json
#                                    Criterion.rs target/criterion JSON files
#                                    (benchmark.json, estimates.json,
#                                    sample.json, tukey.json; change/ has
#                                    estimates.json) after two runs of one
#                                    group "fib": bench_function("fixed20")
#                                    and bench_with_input(BenchmarkId::new(
#                                    "param", n)) with Throughput::Elements.
#                                    raw.csv and HTML reports are not kept.
#       (Debian `librust-criterion-dev`, criterion 0.3.6 at last run, built
#       offline with the vendored registry /usr/share/cargo/registry.)
#   bmf/from-hyperfine.json          Bencher Metric Format (BMF) JSON. DERIVED,
#                                    not written by Bencher: the `bencher` CLI
#                                    is neither in Debian nor on PyPI, so a
#                                    Python step converts
#                                    hyperfine/two-commands.json the way
#                                    Bencher's documented hyperfine adapter
#                                    does (default "mean" average): key =
#                                    command, measure "latency" in ns,
#                                    value = mean, lower/upper = mean -/+ stddev.
#
#   google-benchmark/aggregates-only.json
#                                    --benchmark_report_aggregates_only=true
#   package-benchmark/sorting.jmh.json
#                                    swift package benchmark --format jmh
#   package-benchmark/sorting-smaller-is-better.json
#                                    --format jsonSmallerIsBetter
#       (ordo-one/benchmark 1.38.1 from the mirrored Swift packages, with its
#       MallocInterposer trait; two benchmarks, wall clock, CPU, throughput,
#       mallocs; at most 40 iterations or 300 ms each.)
set -euo pipefail

OUT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/peer-formats.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
START=$(date +%s)
NICE="nice -n 19"

log() { printf '== %s\n' "$*" >&2; }

# ---------------------------------------------------------------- tools
APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" = 0 ]; then apt-get update; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
}
command -v hyperfine >/dev/null || apt_install hyperfine
command -v go >/dev/null || apt_install golang-go
command -v g++ >/dev/null || apt_install g++
[ -f /usr/include/benchmark/benchmark.h ] || apt_install libbenchmark-dev
ls -d /usr/share/cargo/registry/criterion-0.3.* >/dev/null 2>&1 || apt_install librust-criterion-dev
command -v cargo >/dev/null || apt_install cargo
command -v python3 >/dev/null || apt_install python3 python3-pip
python3 -c 'import pytest_benchmark' 2>/dev/null \
  || python3 -m pip install --break-system-packages pytest-benchmark

# ---------------------------------------------------------------- versions
pkgver() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo "not a dpkg package"; }
{
  echo "# Written by make-fixtures.sh; one line per tool that produced files here."
  echo "generated: $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(. /etc/os-release && echo "$PRETTY_NAME") $(uname -m)"
  echo "hyperfine: $(hyperfine --version) (dpkg: $(pkgver hyperfine))"
  echo "pytest: $(python3 -c 'import importlib.metadata as m; print(m.version("pytest"))')"
  echo "pytest-benchmark: $(python3 -c 'import importlib.metadata as m; print(m.version("pytest-benchmark"))')"
  echo "python: $(python3 -c 'import platform; print(platform.python_implementation(), platform.python_version())')"
  echo "google-benchmark: libbenchmark-dev $(pkgver libbenchmark-dev)"
  echo "g++: $(g++ --version | head -n1)"
  echo "go: $(go version)"
  echo "criterion: librust-criterion-dev $(pkgver librust-criterion-dev)"
  echo "cargo: $(cargo --version)"
  echo "rustc: $(rustc --version)"
  echo "package-benchmark: ordo-one/benchmark 1.38.1 ($(swift --version 2>/dev/null | head -n1))"
  echo "bmf: derived by this script from hyperfine/two-commands.json (no bencher CLI)"
} > "$WORK/VERSIONS.txt"

rm -rf "$OUT/hyperfine" "$OUT/pytest-benchmark" "$OUT/google-benchmark" "$OUT/package-benchmark" \
       "$OUT/go" "$OUT/criterion" "$OUT/bmf"
mkdir -p "$OUT/hyperfine" "$OUT/pytest-benchmark" "$OUT/google-benchmark" "$OUT/package-benchmark" \
         "$OUT/go" "$OUT/criterion" "$OUT/bmf"

# ---------------------------------------------------------------- hyperfine
log hyperfine
(
  cd "$WORK"
  hyperfine --style basic --runs 5 --export-json "$OUT/hyperfine/two-commands.json" \
    'sleep 0.01' 'sleep 0.02' >/dev/null
  hyperfine --style basic --runs 5 --parameter-list delay 0.01,0.02 \
    --export-json "$OUT/hyperfine/parameter-list.json" 'sleep {delay}' >/dev/null
  hyperfine --style basic --runs 5 -i --export-json "$OUT/hyperfine/ignore-failure.json" \
    'sleep 0.01' 'sleep 0.01; exit 3' >/dev/null 2>&1
)

# ---------------------------------------------------------------- pytest-benchmark
log pytest-benchmark
mkdir -p "$WORK/pytest/peerfix"
cat > "$WORK/pytest/peerfix/test_peer.py" <<'EOF'
import pytest


def build(n):
    return sorted(range(n, 0, -1))


@pytest.mark.parametrize("size", [10, 100], ids=lambda n: f"size={n}")
def test_sort(benchmark, size):
    result = benchmark(build, size)
    assert len(result) == size


@pytest.mark.benchmark(group="strings")
def test_join(benchmark):
    benchmark.extra_info["parts"] = 4
    assert benchmark(",".join, ["a", "b", "c", "d"]) == "a,b,c,d"
EOF
(
  cd "$WORK/pytest/peerfix"
  # --benchmark-json always embeds stats.data; --benchmark-save (without
  # --benchmark-save-data) stores the same run without it.
  python3 -m pytest -q -p no:cacheprovider test_peer.py \
    --benchmark-json="$OUT/pytest-benchmark/with-data.json" \
    --benchmark-save=nodata --benchmark-storage="file://$WORK/pytest/storage" \
    --benchmark-min-rounds=10 --benchmark-max-time=0.00001 --benchmark-warmup=off \
    >/dev/null
)
cp "$(find "$WORK/pytest/storage" -name '*_nodata.json' | head -n1)" \
   "$OUT/pytest-benchmark/without-data.json"

# ---------------------------------------------------------------- google-benchmark
log google-benchmark
mkdir -p "$WORK/gbench"
cat > "$WORK/gbench/bm.cc" <<'EOF'
#include <benchmark/benchmark.h>
#include <algorithm>
#include <numeric>
#include <vector>

static void BM_Sum(benchmark::State& state) {
  std::vector<int> v(1000);
  std::iota(v.begin(), v.end(), 0);
  long total = 0;
  for (auto _ : state) {
    total = std::accumulate(v.begin(), v.end(), 0L);
    benchmark::DoNotOptimize(total);
  }
  state.counters["items_per_iter"] = 1000;
  state.counters["rate"] =
      benchmark::Counter(state.iterations() * 1000.0, benchmark::Counter::kIsRate);
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_Sum);

static void BM_Sort(benchmark::State& state) {
  std::vector<int> base(state.range(0));
  for (size_t i = 0; i < base.size(); ++i) base[i] = (int)((i * 2654435761u) % 1000003);
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<int> v = base;
    state.ResumeTiming();
    std::sort(v.begin(), v.end());
    benchmark::ClobberMemory();
  }
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_Sort)->RangeMultiplier(4)->Range(64, 1024)->Complexity();

BENCHMARK_MAIN();
EOF
(
  cd "$WORK/gbench"
  $NICE g++ -O2 -std=c++17 bm.cc -o bm -lbenchmark -lpthread
  # Newer google-benchmark wants "0.01s"; 1.7.x only accepts a double.
  MIN_TIME=0.01s
  ./bm --benchmark_min_time=$MIN_TIME --benchmark_list_tests=true >/dev/null 2>&1 \
    || MIN_TIME=0.01
  ./bm --benchmark_min_time=$MIN_TIME --benchmark_repetitions=3 \
    --benchmark_format=json \
    --benchmark_out="$OUT/google-benchmark/out.json" --benchmark_out_format=json \
    >/dev/null
  ./bm --benchmark_min_time=$MIN_TIME --benchmark_repetitions=3 --benchmark_filter=BM_Sum \
    --benchmark_report_aggregates_only=true \
    --benchmark_out="$OUT/google-benchmark/aggregates-only.json" --benchmark_out_format=json \
    >/dev/null
)

# ---------------------------------------------------------------- package-benchmark
log package-benchmark
mkdir -p "$WORK/pb/Benchmarks/Sorting"
cat > "$WORK/pb/Package.swift" <<'EOF'
// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "pbfix",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "Sorting",
            dependencies: [.product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/Sorting",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
EOF
cat > "$WORK/pb/Benchmarks/Sorting/Sorting.swift" <<'EOF'
import Benchmark

nonisolated(unsafe) let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .cpuTotal, .throughput, .mallocCountTotal],
                                           maxDuration: .milliseconds(300), maxIterations: 40)
    Benchmark("sort 1000") { benchmark in
        for _ in benchmark.scaledIterations {
            var values = (0..<1000).map { ($0 &* 7919) % 1000 }
            values.sort()
            blackHole(values)
        }
    }
    Benchmark("sort 10000") { benchmark in
        for _ in benchmark.scaledIterations {
            var values = (0..<10000).map { ($0 &* 7919) % 10000 }
            values.sort()
            blackHole(values)
        }
    }
}
EOF
(
  cd "$WORK/pb"
  $NICE swift build -c release >/dev/null
  for format in jmh jsonSmallerIsBetter; do
    swift package --allow-writing-to-package-directory benchmark --format $format --path out --no-progress >/dev/null
  done
  cp out/Current_run.jmh.json "$OUT/package-benchmark/sorting.jmh.json"
  cp out/Current_run.json "$OUT/package-benchmark/sorting-smaller-is-better.json"
)

# ---------------------------------------------------------------- go
log go
mkdir -p "$WORK/go/src"
cat > "$WORK/go/src/go.mod" <<'EOF'
module example.com/peerfix

go 1.19
EOF
cat > "$WORK/go/src/peer_test.go" <<'EOF'
package peerfix

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

func BenchmarkSort(b *testing.B) {
	for _, n := range []int{10, 100} {
		b.Run(fmt.Sprintf("size=%d", n), func(b *testing.B) {
			src := make([]int, n)
			for i := range src {
				src[i] = (i * 7919) % 1009
			}
			buf := make([]int, n)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				copy(buf, src)
				sort.Ints(buf)
			}
		})
	}
}

func BenchmarkJoin(b *testing.B) {
	parts := []string{"a", "b", "c", "d"}
	var total int
	for i := 0; i < b.N; i++ {
		total += len(strings.Join(parts, ","))
	}
	b.ReportMetric(float64(total)/float64(b.N), "bytes/op-out")
	b.ReportMetric(4, "parts/op")
}
EOF
(
  cd "$WORK/go/src"
  export GOFLAGS=-mod=mod GOCACHE="$WORK/go/cache" GOPATH="$WORK/go/path" \
         GOPROXY=off GOTOOLCHAIN=local GO111MODULE=on
  $NICE go test -run '^$' -bench . -benchmem -count 3 -benchtime 20ms . \
    > "$OUT/go/bench.txt"
)

# ---------------------------------------------------------------- criterion
log criterion
mkdir -p "$WORK/crit/benches" "$WORK/crit/src" "$WORK/crit/.cargo"
cat > "$WORK/crit/Cargo.toml" <<'EOF'
[package]
name = "peerfix"
version = "0.1.0"
edition = "2021"

[dev-dependencies]
criterion = { version = "0.3", default-features = false }

[[bench]]
name = "fib"
harness = false
EOF
: > "$WORK/crit/src/lib.rs"
# Offline build against Debian's vendored crates (as dh-cargo does).
cat > "$WORK/crit/.cargo/config.toml" <<'EOF'
[source.crates-io]
replace-with = "debian"

[source.debian]
directory = "/usr/share/cargo/registry"

[net]
offline = true
EOF
cat > "$WORK/crit/benches/fib.rs" <<'EOF'
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::time::Duration;

fn fib(n: u64) -> u64 {
    if n < 2 { n } else { fib(n - 1) + fib(n - 2) }
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("fib");
    g.warm_up_time(Duration::from_millis(200));
    g.measurement_time(Duration::from_millis(500));
    g.sample_size(10);
    g.bench_function("fixed20", |b| b.iter(|| fib(black_box(20))));
    for n in [10u64, 15] {
        g.throughput(Throughput::Elements(n));
        g.bench_with_input(BenchmarkId::new("param", n), &n, |b, &n| b.iter(|| fib(black_box(n))));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
EOF
(
  cd "$WORK/crit"
  export CARGO_TARGET_DIR="$WORK/crit/target"
  # Run twice so that base/ and change/ exist.
  for run in 1 2; do
    log "criterion run $run"
    $NICE cargo bench --offline --bench fib -- --noplot >/dev/null 2>&1
  done
  cd target/criterion
  find . -path '*/new/*.json' -o -path '*/base/*.json' -o -path '*/change/*.json' \
    | sort | while read -r f; do
        mkdir -p "$OUT/criterion/$(dirname "$f")"
        cp "$f" "$OUT/criterion/$f"
      done
  grep -A1 '^name = "criterion"' "$WORK/crit/Cargo.lock" | sed -n 's/^version = "\(.*\)"/criterion crate (Cargo.lock): \1/p' \
    >> "$WORK/VERSIONS.txt"
)

# ---------------------------------------------------------------- bmf (derived)
log bmf
python3 - "$OUT/hyperfine/two-commands.json" "$OUT/bmf/from-hyperfine.json" <<'EOF'
# Derived BMF, following Bencher's hyperfine adapter with the default "mean"
# average: seconds -> nanoseconds, lower/upper = mean -/+ stddev.
import json, sys
src, dst = sys.argv[1], sys.argv[2]
ns = 1e9
bmf = {}
for r in json.load(open(src))["results"]:
    metric = {"value": r["mean"] * ns}
    if r.get("stddev") is not None:
        metric["lower_value"] = (r["mean"] - r["stddev"]) * ns
        metric["upper_value"] = (r["mean"] + r["stddev"]) * ns
    bmf[r["command"]] = {"latency": metric}
with open(dst, "w") as f:
    json.dump(bmf, f, indent=2)
    f.write("\n")
EOF

# ---------------------------------------------------------------- checks
log checks
cp "$WORK/VERSIONS.txt" "$OUT/VERSIONS.txt"
find "$OUT" -name '*.json' -print0 | while IFS= read -r -d '' f; do
  python3 -m json.tool "$f" >/dev/null || { echo "invalid JSON: $f" >&2; exit 1; }
done
python3 - "$OUT" <<'EOF'
import json, os, sys
o = sys.argv[1]
j = lambda p: json.load(open(os.path.join(o, p)))
assert any("parameters" in r for r in j("hyperfine/parameter-list.json")["results"])
assert any(any(c for c in r["exit_codes"]) for r in j("hyperfine/ignore-failure.json")["results"])
wd, nd = j("pytest-benchmark/with-data.json"), j("pytest-benchmark/without-data.json")
assert all("data" in b["stats"] for b in wd["benchmarks"])
assert not any("data" in b["stats"] for b in nd["benchmarks"])
names = {b["name"] for b in wd["benchmarks"]}
assert "test_sort[size=10]" in names and any(b["group"] for b in wd["benchmarks"]), names
gb = j("google-benchmark/out.json")["benchmarks"]
aggs = {b.get("aggregate_name") for b in gb}
assert {"mean", "median", "stddev", "cv", "BigO", "RMS"} <= aggs, aggs
assert any("big_o" in b for b in gb) and any("rms" in b for b in gb)
ga = j("google-benchmark/aggregates-only.json")["benchmarks"]
assert ga and all(b["run_type"] == "aggregate" for b in ga), ga
jmh = j("package-benchmark/sorting.jmh.json")
assert all(e["primaryMetric"]["rawData"][0] and "Time (wall clock)" in e["secondaryMetrics"] for e in jmh)
assert all(" - " in e["name"] for e in j("package-benchmark/sorting-smaller-is-better.json"))
txt = open(os.path.join(o, "go/bench.txt")).read()
assert "BenchmarkSort/size=100" in txt and "parts/op" in txt and "B/op" in txt
crit = [p for p, _, fs in os.walk(os.path.join(o, "criterion")) if p.endswith("change")]
assert crit, "no criterion change/ dirs"
for k, v in j("bmf/from-hyperfine.json").items():
    for m in v.values():
        assert isinstance(m["value"], (int, float))
print("checks ok", file=sys.stderr)
EOF

du -sh "$OUT" >&2
echo "wall time: $(( $(date +%s) - START )) s" >&2
