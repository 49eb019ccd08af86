// History store at scale: ingest B benchmarks × R runs of realistic results into a store, then
// time the queries `history`, `compare` and `check` make. Not a test: run it by hand.
//   swift run -c release metron-store-bench [--store LOCATION] [--benchmarks 1000] [--runs 100] [--samples 10]
//                                           [--rows packed|json]
// `--rows json` (SQLite only) writes each result as one whole JSON document with no packed
// samples, the rows stores held before samples were packed (`LegacyRows`); the store reads such
// rows as it always did, so the two can be timed side by side with one binary.
import Foundation
import GRDB
import MetronCore
import MetronJSON
import MetronStore

/// Unbuffered, so progress appears as it happens even through a pipe.
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

var options: [String: String] = [:]
var arguments = CommandLine.arguments.dropFirst()
while let key = arguments.popFirst() {
    guard key.hasPrefix("--"), let value = arguments.popFirst() else {
        FileHandle.standardError.write(Data("usage: metron-store-bench [--store L] [--benchmarks N] [--runs N] [--samples N]\n".utf8))
        exit(2)
    }
    options[String(key.dropFirst(2))] = value
}
let benchmarkCount = Int(options["benchmarks"] ?? "") ?? 1000
let runCount = Int(options["runs"] ?? "") ?? 100
let samplesPerBenchmark = Int(options["samples"] ?? "") ?? 10
let location = try StoreLocation(options["store"] ?? NSTemporaryDirectory() + "metron-store-bench-\(getpid())/metron.sqlite")
let jsonRows = options["rows"] == "json"

func seconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = ContinuousClock.now
    try await body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

// Statistics with bootstrap intervals cost ~1 ms per result to compute; a million results would
// spend longer generating than storing. Each benchmark gets a few precomputed variants instead,
// rotated across runs so consecutive runs differ.
let variantCount = 7
let variants: [[BenchmarkResult]] = (0..<benchmarkCount).map { index in
    (0..<variantCount).map { variant in
        var generator = SplitMix64(seed: UInt64(index * variantCount + variant))
        func noise() -> Double { Double(generator.next() % 1000) / 1e5 }
        let base = 0.001 * Double(index % 100 + 1)
        let runs = (0..<samplesPerBenchmark).map { _ in
            CommandRun(wallTime: base + noise(), userTime: base / 2, systemTime: base / 10, peakRSS: 4 << 20,
                       readChars: 1000, writeChars: 1000)
        }
        return BenchmarkResult(
            name: "suite\(index % 10)/bench\(index)", kind: .command, command: "cmd \(index)", suite: "suite\(index % 10)",
            metrics: CommandMetrics.summarize(runs, bootstrap: BootstrapOptions(resamples: 1000)), runs: runs)
    }
}

func makeReport(run: Int) -> RunReport {
    var report = RunReport(id: UUID().uuidString.lowercased(), metronVersion: MetronVersion.current,
                           startedAt: Timestamp(secondsSinceEpoch: 1_700_000_000 + Double(run) * 3600),
                           machine: MachineInfo(hostname: "bench", cpuModel: "cpu", logicalCores: 2, memoryBytes: 1 << 34,
                                                os: "Linux", kernel: "6", architecture: "x86_64"),
                           git: GitInfo(commit: String(format: "%040x", run), branch: "main", dirty: false))
    report.benchmarks = (0..<benchmarkCount).map { variants[$0][(run + $0) % variantCount] }
    return report
}

say("store: \(location); \(benchmarkCount) benchmarks × \(runCount) runs, \(samplesPerBenchmark) runs each")
let store = try await location.open()
var legacy: LegacyRows?
if jsonRows {
    guard case .sqlite(let path) = location else { fatalError("--rows json is for SQLite stores") }
    legacy = try LegacyRows(path: path)
}
// Samples stored per benchmark result: every metric's samples (15 metrics) × runs.
let metricsPerResult = makeReport(run: 0).benchmarks[0].metrics.count
var ingest = 0.0
var lastReport = makeReport(run: 0)
for run in 0..<runCount {
    let report = makeReport(run: run)
    ingest += try await seconds {
        if let legacy { try legacy.save(report) } else { try await store.save(report) }
    }
    lastReport = report
    if (run + 1) % max(1, runCount / 10) == 0 {
        say("  \(run + 1) runs stored, \(Int(Double((run + 1) * benchmarkCount) / ingest)) results/s")
    }
}
let samples = Double(runCount * benchmarkCount * samplesPerBenchmark * metricsPerResult)
say(String(format: "ingestion: %.1f s for %d results = %.0f results/s, %.0f samples/s (%d metrics × %d runs per result)",
             ingest, runCount * benchmarkCount, Double(runCount * benchmarkCount) / ingest, samples / ingest,
             metricsPerResult, samplesPerBenchmark))
let probe = benchmarkCount / 2 + 3
let history = try await seconds { _ = try await store.history(benchmark: "suite\(probe % 10)/bench\(probe)", limit: runCount) }
say(String(format: "history of one benchmark (all %d runs): %.3f s", runCount, history))
let latest = try await seconds { _ = try await store.latestRun(suite: nil) }
say(String(format: "load the latest run (%d benchmarks, all samples) — what check needs: %.3f s", benchmarkCount, latest))
let both = try await seconds {
    _ = try await store.run(id: lastReport.id)
    _ = try await store.run(commit: String(format: "%040x", 0))
}
say(String(format: "load current + baseline runs — what compare needs: %.3f s", both))
let list = try await seconds { _ = try await store.runs(limit: 20) }
say(String(format: "list the latest 20 runs: %.3f s", list))
try await store.close()
