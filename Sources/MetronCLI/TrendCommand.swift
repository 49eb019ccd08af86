import ArgumentParser
import Foundation
import MetronCore
import MetronExec
import MetronStore

struct TrendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trend",
        abstract: "A benchmark's recent trend, degradation of the latest run, and change points over its history.")

    @Argument(help: "Benchmark name (as in `metron history`).")
    var benchmark: String

    @Option(name: [.short, .long], help: "Window of recent runs for the rolling figures.")
    var window: Int = 20

    @Option(help: "Statistic followed: mean, median or p95.")
    var statistic: String = "mean"

    @Option(help: "Flag the latest run when it is this much above the window (percent).")
    var threshold: Double = 10

    @Flag(help: "Print JSON.")
    var json = false

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard window >= 2 else { throw ValidationError("--window must be at least 2") }
        guard ["mean", "median", "p95"].contains(statistic) else { throw ValidationError("--statistic must be mean, median or p95") }
        guard threshold > 0, threshold.isFinite else { throw ValidationError("--threshold must be a positive percentage, got \(threshold)") }
    }

    func run() async throws {
        let entries = try await storeOptions.withStore(creating: false) { store in try await store.history(benchmark: benchmark, limit: 100_000) }
        guard !entries.isEmpty else { throw UsageFailure("no stored results for benchmark '\(benchmark)'") }
        // One series per parameter combination.
        let keys = entries.map(\.parametersKey).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        var analyses: [String: TrendAnalysis] = [:]
        for key in keys {
            let points = entries.filter { $0.parametersKey == key }.compactMap { entry -> TrendPoint? in
                let value: Double? = statistic == "median" ? entry.median : statistic == "p95" ? entry.p95 : entry.mean
                return value.map { TrendPoint(runID: entry.runID, commit: entry.gitCommit, timestamp: entry.startedAt, value: $0) }
            }
            let analysis = TrendAnalysis.analyze(points, window: window, degradationThreshold: threshold / 100)
            analyses[key] = analysis
            if json { continue }
            print("\(benchmark)\(key.isEmpty ? "" : " [\(key)]") — \(statistic) wall time over \(points.count) runs")
            let recent = points.indices.suffix(window)
            var table = TextTable(header: ["run", "commit", statistic, "rolling mean", "rolling σ"])
            for index in recent {
                table.add([String(points[index].runID.prefix(8)), points[index].commit.map { String($0.prefix(10)) } ?? "-",
                           Formatting.duration(points[index].value), Formatting.duration(analysis.rollingMean[index]),
                           Formatting.duration(analysis.rollingStddev[index])])
            }
            print(table.render())
            if let change = analysis.latestChange {
                let text = "Latest run vs. the \(min(window, points.count - 1)) before it: \(ComparisonText.signed(change))"
                print(analysis.degraded ? "DEGRADED: \(text) (threshold \(Formatting.fixed(threshold, digits: 0))%)" : text)
            }
            if analysis.changePoints.isEmpty {
                print("No change points over the whole history.")
            } else {
                for point in analysis.changePoints {
                    print("Change point at run \(point.runID.prefix(8)) (commit \(point.commit.map { String($0.prefix(10)) } ?? "-")): "
                          + "\(Formatting.duration(point.meanBefore)) → \(Formatting.duration(point.meanAfter)) (\(ComparisonText.signed(point.change)))")
                }
            }
            print("")
        }
        if json { try printJSON(analyses) }
    }
}
