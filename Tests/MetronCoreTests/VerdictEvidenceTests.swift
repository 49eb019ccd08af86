import Testing
@testable import MetronCore

/// Verdicts are never stronger than their evidence, and never contradict their own interval.
struct VerdictEvidenceTests {
    @Test func smallestReachablePValueOfTheRankTest() {
        #expect(abs(MetricComparison.smallestPValue(3, 3) - 0.1) < 1e-12)  // 2 / C(6, 3)
        #expect(abs(MetricComparison.smallestPValue(4, 4) - 2.0 / 70) < 1e-12)
        #expect(abs(MetricComparison.smallestPValue(2, 5) - 2.0 / 21) < 1e-12)
        #expect(MetricComparison.runsNeeded(alpha: 0.05) == 4)
    }

    /// Every run 20 % slower, but one cold run triples a side's mean: the interval of the mean's
    /// change spans −14 % … +69 %. That rules nothing out, so it is not "no change".
    @Test func aWideIntervalIsInconclusiveNotNoChange() {
        let baseline = [36.0] + (1..<12).map { 12 + Double($0 % 7) * 0.12 }
        let current = baseline.map { $0 * 1.2 }.enumerated().map { $0.offset == 0 ? 14.4 : $0.element }
        let result = MetricComparison.compare(benchmark: "b", metric: .wallTime, unit: .seconds, baseline: baseline, current: current)
        #expect(result.verdict == .inconclusive, "\(result.verdict)")
        #expect(result.evidence?.contains("cannot rule out a change that large") == true, "\(result.evidence ?? "")")
        // Quiet runs with no change: the interval lies within the floor, and that is "no change".
        let quiet = (0..<20).map { 10 + Double($0 % 5) * 0.01 }
        #expect(MetricComparison.compare(benchmark: "b", metric: .wallTime, unit: .seconds, baseline: quiet,
                                         current: quiet.reversed()).verdict == .noChange)
    }

    /// sleep 0.01 against sleep 0.05, three runs a side: the rank test cannot reach 5 %, the runs
    /// are far apart. It was "No significant change" beside "+367 %".
    @Test func aLargeSlowdownWithThreeRunsASideIsSlower() {
        let c = MetricComparison.compare(benchmark: "s", metric: .wallTime, unit: .seconds,
                                         baseline: [0.0101, 0.0102, 0.0103], current: [0.0501, 0.0502, 0.0503])
        #expect(c.verdict == .slower)
        #expect(c.band == .critical)
        #expect(c.evidence?.contains("too few runs for the rank test") == true)
    }

    @Test func overlappingSmallSamplesAreInconclusiveNeverNoChange() {
        let c = MetricComparison.compare(benchmark: "s", metric: .wallTime, unit: .seconds,
                                         baseline: [1.0, 1.2, 1.4], current: [1.1, 1.3, 1.5])
        #expect(c.verdict == .inconclusive)
        #expect(c.evidence?.contains("needs 4 a side") == true)
    }

    @Test func aCustomMetricThatIsBetterHigherRisingIsFaster() {
        let base = (0..<20).map { 0.50 + Double($0 % 5) * 0.001 }
        let now = base.map { $0 + 0.2 }
        let c = MetricComparison.compare(benchmark: "cache", metric: "hit_ratio", unit: .percent, polarity: .higherIsBetter,
                                         baseline: base, current: now)
        #expect(c.verdict == .faster)
        #expect(c.change < 0)  // positive always means worse
        // Without the declaration a rising percentage is worse (lower is better by default).
        let guessed = MetricComparison.compare(benchmark: "cache", metric: "hit_ratio", unit: .percent, baseline: base, current: now)
        #expect(guessed.verdict == .slower)
        #expect(MetricID.scalingEfficiency.polarity(unit: .percent) == .higherIsBetter)
        #expect(MetricID.wallTime.polarity(unit: .seconds) == .lowerIsBetter)
    }

    @Test func thePolarityAMetricDeclaresIsUsedByRunComparisons() {
        func run(_ id: String, _ value: Double) -> RunReport {
            var report = RunReport(id: id, metronVersion: "t", startedAt: Timestamp(secondsSinceEpoch: 0))
            let samples = (0..<20).map { value + Double($0 % 4) * 0.001 }
            report.benchmarks = [BenchmarkResult(name: "b", kind: .inProcess, metrics: [
                Metric(id: "hit_ratio", unit: .percent, samples: samples, bootstrap: nil, polarity: .higherIsBetter)])]
            return report
        }
        let comparison = RunComparison.compare(baseline: run("a", 50), current: run("b", 60), metrics: ["hit_ratio"])
        #expect(comparison.comparisons.first?.verdict == .faster)
    }

    @Test func aGateOnAnotherMachineFailsAndNamesWhatDiffers() throws {
        func run(_ id: String, kernel: String) -> RunReport {
            var report = RunReport(id: id, metronVersion: "t", startedAt: Timestamp(secondsSinceEpoch: 0),
                                   machine: MachineInfo(hostname: id, cpuModel: "c", logicalCores: 2, memoryBytes: 1 << 30,
                                                        os: "o", kernel: kernel, architecture: "a"))
            report.benchmarks = [BenchmarkResult(name: "b", kind: .command,
                                                 metrics: [Metric(id: .wallTime, unit: .seconds, samples: [1, 1.01, 0.99, 1], bootstrap: nil)])]
            return report
        }
        let base = run("a", kernel: "6.1.0"), now = run("b", kernel: "6.8.0")
        let failing = GateEvaluation.evaluate(run: now, baseline: base, baselineName: "main", budgets: [:])
        let check = try #require(failing.failures.first)
        #expect(check.severity == .error)
        #expect(check.message.contains("kernel: 6.1.0 → 6.8.0"))
        let warning = GateEvaluation.evaluate(run: now, baseline: base, baselineName: "main", budgets: [:], onDifferentMachine: .warn)
        #expect(warning.failures.map(\.severity) == [.warning])
        let judged = GateEvaluation.evaluate(run: now, baseline: base, baselineName: "main", budgets: [:], onDifferentMachine: .compare)
        #expect(judged.failures.isEmpty && judged.checks.contains { $0.kind == .regression })
    }
}
