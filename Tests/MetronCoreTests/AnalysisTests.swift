import Foundation
import Testing
@testable import MetronCore

struct MannWhitneyTests {
    struct Case: Decodable { var x: [Double]; var y: [Double]; var u: Double; var p: Double }

    static let cases: [String: Case] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/mannwhitney.json")
        return (try? JSONDecoder().decode([String: Case].self, from: Data(contentsOf: url))) ?? [:]
    }()

    @Test(arguments: ["small_ties", "shifted", "identical", "separated"])
    func matchesScipy(name: String) throws {
        let reference = try #require(Self.cases[name])
        let result = MannWhitney.test(reference.x, reference.y)
        #expect(result.u == reference.u)
        #expect(abs(result.pValue - reference.p) <= 1e-9 * max(reference.p, 1e-300) + 1e-15, "\(result.pValue) vs \(reference.p)")
    }
}

struct ComparisonTests {
    func noisy(_ mean: Double, count: Int = 200, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in mean * (1 + (Double(rng.next() % 10_000) / 10_000 - 0.5) * 0.04) }
    }

    @Test func tenPercentSlowerIsSlowerAndMinor() {
        let c = MetricComparison.compare(benchmark: "b", metric: .wallTime, unit: .seconds,
                                         baseline: noisy(0.100, seed: 1), current: noisy(0.110, seed: 2))
        #expect(c.verdict == .slower)
        #expect(c.band == .minor)
        #expect(abs(c.change - 0.10) < 0.01)
        let ci = try! #require(c.changeCI)
        #expect(ci.lower > 0 && ci.lower < 0.10 && ci.upper > 0.10)
        #expect(c.pValue < 1e-6)
    }

    @Test func sameDistributionIsNoChange() {
        let c = MetricComparison.compare(benchmark: "b", metric: .wallTime, unit: .seconds,
                                         baseline: noisy(0.1, seed: 3), current: noisy(0.1, seed: 4))
        #expect(c.verdict == .noChange)
        #expect(c.band == .acceptable)
        #expect(c.changeCI!.lower < 0 && c.changeCI!.upper > 0)
    }

    @Test func fortyPercentFasterIsFaster() {
        let c = MetricComparison.compare(benchmark: "b", metric: .wallTime, unit: .seconds,
                                         baseline: noisy(0.1, seed: 5), current: noisy(0.06, seed: 6))
        #expect(c.verdict == .faster)
        #expect(c.band == .acceptable)
    }

    @Test func higherIsBetterForRates() {
        let c = MetricComparison.compare(benchmark: "b", metric: "ops_per_second", unit: .perSecond,
                                         baseline: noisy(1000, seed: 7), current: noisy(600, seed: 8))
        #expect(c.verdict == .slower, "fewer operations per second is worse")
        #expect(c.change > 0.35)
        #expect(c.band == .critical)
    }

    @Test func bandsAtTheirEdges() {
        let bands = RegressionBands()
        #expect(bands.band(for: 0.05) == .acceptable)
        #expect(bands.band(for: 0.0501) == .minor)
        #expect(bands.band(for: 0.15) == .minor)
        #expect(bands.band(for: 0.2) == .warning)
        #expect(bands.band(for: 0.31) == .critical)
        #expect(bands.band(for: -0.5) == .acceptable)
    }

    func report(_ id: String, _ means: [String: Double], cores: Int = 2) -> RunReport {
        var report = RunReport(id: id, metronVersion: "t", startedAt: Timestamp(secondsSinceEpoch: 0),
                               machine: MachineInfo(hostname: id, cpuModel: "c", logicalCores: cores, memoryBytes: 1 << 30,
                                                    os: "o", kernel: "k", architecture: "a"))
        for (index, name) in means.keys.sorted().enumerated() {
            let samples = noisy(means[name]!, count: 50, seed: UInt64(index) + (id == "a" ? 100 : 200))
            report.benchmarks.append(BenchmarkResult(name: name, kind: .command,
                                                     metrics: [Metric(id: .wallTime, unit: .seconds, samples: samples, bootstrap: nil)]))
        }
        return report
    }

    @Test func runsAreMatchedByNameWithGeometricMean() throws {
        let comparison = RunComparison.compare(baseline: report("a", ["x": 1.0, "y": 1.0, "gone": 1]),
                                               current: report("b", ["x": 2.0, "y": 0.5, "new": 1]))
        #expect(comparison.comparisons.map(\.benchmark) == ["x", "y"])
        #expect(comparison.added == ["new"])
        #expect(comparison.removed == ["gone"])
        #expect(abs(try #require(comparison.geometricMeanRatio) - 1.0) < 0.02)
        #expect(!comparison.machinesDiffer)
        #expect(RunComparison.compare(baseline: report("a", ["x": 1]), current: report("b", ["x": 1], cores: 8)).machinesDiffer)
    }
}

struct BudgetTests {
    let result: BenchmarkResult = {
        let runs = (0..<20).map { index in
            CommandRun(wallTime: 1.0 + Double(index) * 0.02, userTime: 0.5, systemTime: 0.1, peakRSS: 100 << 20)
        }
        return BenchmarkResult(name: "lane", kind: .command, metrics: CommandMetrics.summarize(runs, bootstrap: nil), runs: runs)
    }()

    @Test func eachStatisticIsCheckedAgainstItsLimit() {
        let stats = result.wallTime!
        let budgets = [
            Budget(statistic: .mean, limit: stats.mean - 0.01),           // violated
            Budget(statistic: .median, limit: stats.median + 0.01),       // met
            Budget(statistic: .p95, limit: 1.2, severity: .warning),      // violated: p95 ≈ 1.36
            Budget(statistic: .p99, limit: 2),                            // met
            Budget(statistic: .maxMemory, limit: Double(64 << 20)),       // violated
            Budget(statistic: .cpuPercent, limit: 80),                    // met: ~50 %
            Budget(statistic: .minOpsPerSecond, limit: 2),                // violated: < 1 op/s
            Budget(statistic: .maxOverheadPercent, limit: 100),           // not measured
        ]
        let evaluation = BudgetEvaluation.evaluate(result, budgets: budgets)
        #expect(evaluation.violations.map(\.budget.statistic) == [.mean, .p95, .maxMemory, .minOpsPerSecond])
        #expect(evaluation.notMeasured.map(\.statistic) == [.maxOverheadPercent])
        #expect(evaluation.violations[1].message == "wall_time_p95: \(Formatting.duration(stats.percentiles.p95)) > 1.20 s (warning)")
        #expect(evaluation.violations[2].message == "max_memory: 100.0 MiB > 64.0 MiB (error)")
        #expect(evaluation.violations[3].message.hasPrefix("min_ops_per_second: 0.8 ops/s < 2.0 ops/s"))
    }

    /// Seed 001's "decorator overhead < 100 %" and "> 500 ops/sec" on the metrics the in-process
    /// library records: throughput is the aggregate rate it measured (50 workers at once), not the
    /// inverse of the per-iteration wall time.
    @Test func inProcessOverheadAndThroughputBudgetsReadTheLibrarysMetrics() {
        let result = BenchmarkResult(name: "counter", kind: .inProcess, metrics: [
            Metric(id: .wallTime, unit: .seconds, samples: [0.004, 0.004, 0.004], bootstrap: nil),
            Metric(id: .operationsPerSecond, unit: .perSecond, samples: [400, 420, 410], bootstrap: nil),
            Metric(id: .overhead, unit: .percent, samples: [140, 150, 160], bootstrap: nil),
        ])
        let evaluation = BudgetEvaluation.evaluate(result, budgets: [
            Budget(statistic: .minOpsPerSecond, limit: 500),
            Budget(statistic: .maxOverheadPercent, limit: 100),
        ])
        #expect(evaluation.notMeasured.isEmpty)
        #expect(evaluation.violations.map(\.budget.statistic) == [.minOpsPerSecond, .maxOverheadPercent])
        #expect(evaluation.violations.first?.actual == 410)  // not 1 / 4 ms = 250
        #expect(evaluation.violations.last?.actual == 150)
    }

    @Test func severitiesOrder() {
        #expect(Severity.warning < Severity.error)
    }
}

struct TrendTests {
    func points(_ values: [Double]) -> [TrendPoint] {
        values.enumerated().map { TrendPoint(runID: "r\($0.offset)", commit: "c\($0.offset)",
                                             timestamp: Timestamp(secondsSinceEpoch: Double($0.offset)), value: $0.element) }
    }

    func noisy(_ count: Int, level: Double, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in level * (1 + (Double(rng.next() % 1000) / 1000 - 0.5) * 0.02) }
    }

    @Test func rollingFiguresMatchHandComputedOnes() {
        let analysis = TrendAnalysis.analyze(points([1, 2, 3, 4]), window: 2)
        #expect(analysis.rollingMean == [1, 1.5, 2.5, 3.5])
        #expect(analysis.rollingStddev[0] == 0)
        #expect(abs(analysis.rollingStddev[1] - 0.5.squareRoot()) < 1e-12)
        #expect(abs(analysis.latestChange! - (4.0 / 2.5 - 1)) < 1e-12)
    }

    @Test func flatNoiseHasNoChangePoint() {
        let analysis = TrendAnalysis.analyze(points(noisy(60, level: 1, seed: 1)))
        #expect(analysis.changePoints.isEmpty)
        #expect(!analysis.degraded)
    }

    @Test func aStepIsFoundWithItsCommit() throws {
        let analysis = TrendAnalysis.analyze(points(noisy(30, level: 1, seed: 2) + noisy(30, level: 1.2, seed: 3)))
        #expect(analysis.changePoints.count == 1)
        let point = try #require(analysis.changePoints.first)
        #expect(abs(point.index - 30) <= 1)
        #expect(point.commit == "c\(point.index)")
        #expect(abs(point.change - 0.2) < 0.02)
    }

    @Test func twoStepsAreTwoChangePoints() {
        let values = noisy(20, level: 1, seed: 4) + noisy(20, level: 1.3, seed: 5) + noisy(20, level: 0.9, seed: 6)
        #expect(TrendAnalysis.analyze(points(values)).changePoints.map(\.index) == [20, 40])
    }

    @Test func aSlowLatestRunIsFlagged() {
        let analysis = TrendAnalysis.analyze(points(noisy(25, level: 1, seed: 7) + [1.15]))
        #expect(analysis.degraded)
        #expect(abs(analysis.latestChange! - 0.15) < 0.02)
    }
}
