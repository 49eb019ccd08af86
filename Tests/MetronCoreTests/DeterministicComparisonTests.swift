import Testing
@testable import MetronCore

/// Deterministic counts (Valgrind's simulated CPU): parsed from the files Valgrind writes,
/// judged by the deterministic band without a test, and gated and budgeted like any metric.
struct DeterministicComparisonTests {
    // The head and tail of a file cachegrind 3.19 wrote for `true` (--cache-sim=yes).
    static let cachegrindOutput = """
        desc: I1 cache:         32768 B, 64 B, 8-way associative
        desc: D1 cache:         32768 B, 64 B, 8-way associative
        desc: LL cache:         33554432 B, 64 B, 16-way associative
        cmd: /usr/bin/true
        events: Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw
        fl=???
        fn=0x0000000000001100
        0 3 1 1 1 0 0 0 0 0
        summary: 128858 1091 1072 29611 1228 1018 10265 343 311

        """

    @Test func parsesTheSummaryByEventName() throws {
        let counts = try CacheSimulation.parse(Self.cachegrindOutput)
        #expect(counts.instructions == 128_858 && counts.dataReads == 29_611 && counts.dataWrites == 10_265)
        #expect(counts.l1Misses == 1091 + 1228 + 343 && counts.llMisses == 1072 + 1018 + 311)
        // L1 hits + 5 × LL hits + 35 × RAM hits.
        let l1Hits: Int64 = 128_858 + 29_611 + 10_265 - (1091 + 1228 + 343)
        let llHits: Int64 = (1091 + 1228 + 343) - (1072 + 1018 + 311)
        #expect(counts.estimatedCycles == l1Hits + 5 * llHits + 35 * (1072 + 1018 + 311))
        // Columns in another order (callgrind's), and a file with Ir only (no cache simulation).
        let callgrind = try CacheSimulation.parse("events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw\ntotals: 100 20 10 4 3 2 1 1 1\n")
        #expect(callgrind.instructions == 100 && callgrind.dataReads == 20 && callgrind.l1WriteMisses == 2 && callgrind.llReadMisses == 1)
        let plain = try CacheSimulation.parse("events: Ir\nsummary: 5000\n")
        #expect(plain.instructions == 5000 && plain.l1Misses == 0 && plain.estimatedCycles == 5000)
        #expect(throws: CacheSimulation.ParseError.self) { try CacheSimulation.parse("events: Ir\n") }
        #expect(throws: CacheSimulation.ParseError.self) { try CacheSimulation.parse("summary: 1 2\n") }
        #expect(throws: CacheSimulation.ParseError.self) { try CacheSimulation.parse("events: Dr\nsummary: 1\n") }
        #expect(throws: CacheSimulation.ParseError.self) { try CacheSimulation.parse("events: Ir\nsummary: 12x\n") }
    }

    @Test func aOnePercentChangeIsFoundWithOneRunASide() {
        let bands = RegressionBands()
        let slower = MetricComparison.compareDeterministic(benchmark: "b", metric: .instructions, unit: .count,
                                                           baseline: [1_000_000], current: [1_010_000], bands: bands)
        #expect(slower.verdict == .slower && slower.band == .warning && slower.pValue.isNaN && slower.deterministic == true)
        let faster = MetricComparison.compareDeterministic(benchmark: "b", metric: .instructions, unit: .count,
                                                           baseline: [1_000_000], current: [990_000], bands: bands)
        #expect(faster.verdict == .faster)
        let same = MetricComparison.compareDeterministic(benchmark: "b", metric: .instructions, unit: .count,
                                                         baseline: [1_000_000], current: [1_000_400], bands: bands)
        #expect(same.verdict == .noChange && same.evidence?.contains("deterministic band") == true)
        // Counts that scatter more than the band cannot say "no change".
        let scattered = MetricComparison.compareDeterministic(benchmark: "b", metric: .instructions, unit: .count,
                                                              baseline: [1_000_000, 1_030_000], current: [1_010_000], bands: bands)
        #expect(scattered.verdict == .inconclusive)
        // The same work measured by a noisy metric would need a test; a deterministic one is graded
        // by its own bands: +3 % is critical for a count, a minor change for wall time.
        let critical = MetricComparison.compareDeterministic(benchmark: "b", metric: .instructions, unit: .count,
                                                             baseline: [1_000_000], current: [1_030_000], bands: bands)
        #expect(critical.band == .critical && bands.band(for: 0.03) == .acceptable)
    }

    func run(_ id: String, instructions: Double, wall: [Double]) -> RunReport {
        var result = BenchmarkResult(name: "work", kind: .command)
        result.simulations = [CacheSimulation(instructions: Int64(instructions))]
        result.metrics = [Metric(id: .wallTime, unit: .seconds, samples: wall, bootstrap: nil)]
            + CacheSimulation.metrics(result.simulations!)
        return RunReport(id: id, metronVersion: "test", startedAt: Timestamp(secondsSinceEpoch: 1_000), benchmarks: [result])
    }

    @Test func comparisonsAndTheGateJudgeCountsWithoutBeingAsked() {
        let wall = (0..<10).map { 0.010 + Double($0) * 1e-5 }
        let base = run("base", instructions: 2_000_000, wall: wall)
        let now = run("now", instructions: 2_020_000, wall: wall)
        let comparison = RunComparison.compare(baseline: base, current: now)
        let counted = comparison.comparisons.filter { $0.metric == .instructions }
        #expect(counted.count == 1 && counted.first?.verdict == .slower)
        #expect(comparison.comparisons.contains { $0.metric == .estimatedCycles })
        #expect(comparison.comparisons.first { $0.metric == .wallTime }?.verdict == .noChange)
        let gate = GateEvaluation.evaluate(run: now, baseline: base, baselineName: "main", budgets: [:])
        let failed = gate.checks.filter { $0.outcome == .failed }
        #expect(failed.count == 2 && failed.allSatisfy { $0.message.contains("instructions") || $0.message.contains("estimated_cycles") },
                "\(gate.checks.map(\.message))")
        #expect(failed.first?.limit == RegressionBands().deterministicWarning)
        // Equal counts pass.
        let again = GateEvaluation.evaluate(run: run("again", instructions: 2_000_000, wall: wall), baseline: base,
                                            baselineName: "main", budgets: [:])
        #expect(!again.checks.contains { $0.outcome == .failed })
    }

    @Test func budgetsLimitCounts() throws {
        let result = run("r", instructions: 12_500_000, wall: [0.01]).benchmarks[0]
        #expect(Quantities.count("12M") == 12_000_000 && Quantities.count("800k") == 800_000 && Quantities.count("7") == 7)
        #expect(Quantities.count("12 MiB") == nil)
        let budget = Budget(statistic: .maxInstructions, limit: 12_000_000)
        let evaluation = BudgetEvaluation.evaluate(result, budgets: [budget])
        #expect(evaluation.violations.count == 1 && evaluation.violations[0].message.contains("max_instructions: 12.5 M > 12.0 M"),
                "\(evaluation.violations)")
        #expect(BudgetEvaluation.evaluate(result, budgets: [Budget(statistic: .maxInstructions, limit: 13_000_000)]).violations.isEmpty)
    }
}
