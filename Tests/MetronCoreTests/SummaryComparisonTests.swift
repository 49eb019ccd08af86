import Foundation
import MetronCore
import Testing

/// Comparisons where a side is a summary without samples (an import from BMF, a custom JSON,
/// pytest-benchmark without data): no test is run, and the verdict is never stronger than the
/// reported ranges allow.
struct SummaryComparisonTests {
    func summary(_ mean: Double, _ lower: Double? = nil, _ upper: Double? = nil) -> Statistics {
        Statistics(summary: StatisticsSummary(mean: mean, bounds: lower.map { ReportedBounds(lower: $0, upper: upper!) }))
    }

    func compare(_ baseline: Statistics, _ current: Statistics, history: SessionNoise? = nil) -> MetricComparison {
        MetricComparison.compareSummaries(benchmark: "b", metric: .wallTime, unit: .seconds, baseline: baseline, current: current,
                                          history: history)
    }

    @Test func rangesApartAndBeyondTheBandAreAChange() {
        let slower = compare(summary(1.0, 0.95, 1.05), summary(1.2, 1.15, 1.25))
        #expect(slower.verdict == .slower && slower.band == .warning && slower.pValue.isNaN && slower.changeCI == nil)
        #expect(slower.evidence?.contains("no significance test") == true)
        #expect(compare(summary(1.0, 0.95, 1.05), summary(0.7, 0.65, 0.75)).verdict == .faster)
    }

    @Test func overlappingOrMissingRangesAreInconclusive() {
        // +30 % with ranges that overlap: no verdict.
        let wide = compare(summary(1.0, 0.5, 1.5), summary(1.3, 0.8, 1.8))
        #expect(wide.verdict == .inconclusive && abs(wide.change - 0.3) < 1e-12)
        // One figure each, no bounds: whatever the change, nothing can be claimed.
        let bare = compare(summary(1.0), summary(2.0))
        #expect(bare.verdict == .inconclusive && bare.evidence?.contains("reports no range") == true)
        // Apart, but within the acceptable band: not a regression, and not "no change" either
        // unless both ranges are inside the band.
        #expect(compare(summary(1.0, 0.99, 1.01), summary(1.03, 1.025, 1.035)).verdict == .noChange)
        #expect(compare(summary(1.0, 0.90, 1.10), summary(1.01, 0.91, 1.11)).verdict == .inconclusive)
    }

    @Test func sessionNoiseRaisesTheFloor() {
        let noisy = SessionNoise(means: [1.0, 1.3, 0.8, 1.2, 0.9])
        let comparison = compare(summary(1.0, 0.95, 1.05), summary(1.2, 1.15, 1.25), history: noisy)
        #expect(comparison.verdict != .slower, "a +20 % change inside the sessions' spread is not called")
    }

    @Test func runComparisonComparesSummariesInsteadOfSkippingThem() {
        func run(_ id: String, _ metric: Metric) -> RunReport {
            RunReport(id: id, metronVersion: "t", startedAt: Timestamp(secondsSinceEpoch: 0), machine: nil, git: nil,
                      benchmarks: [BenchmarkResult(name: "b", kind: .inProcess, metrics: [metric])])
        }
        let before = run("a", Metric(id: .wallTime, unit: .seconds, summary: StatisticsSummary(mean: 1, bounds: ReportedBounds(lower: 0.9, upper: 1.1))))
        let after = run("b", Metric(id: .wallTime, unit: .seconds, samples: [2.0, 2.1, 2.2, 1.9, 2.05]))
        let comparison = RunComparison.compare(baseline: before, current: after)
        #expect(comparison.comparisons.count == 1)
        #expect(comparison.comparisons.first?.verdict == .slower, "the current samples' min–max is its range")
        #expect(comparison.comparisons.first?.evidence?.contains("the baseline") == true)
    }

    @Test func unknownFiguresPrintAsUnknown() {
        let statistics = Statistics(summary: StatisticsSummary(count: 5, mean: 0.002))
        #expect(statistics.percentiles.p99.isNaN && Formatting.duration(statistics.percentiles.p99) == Formatting.unknown)
        #expect(Formatting.pValue(.nan) == Formatting.unknown && Formatting.duration(statistics.mean) == "2.00 ms")
        #expect(BenchmarkKey.parse("sort [n=10, mode=fast]").parameters == [Parameter(name: "n", value: "10"), Parameter(name: "mode", value: "fast")])
        #expect(BenchmarkKey.parse("sort [n=10, mode=fast]").name == "sort" && BenchmarkKey.parse("a [b]").name == "a [b]")
    }
}

/// The summary rule on data from a known model (docs/validity.md): how often it calls a change
/// that is not there, and finds one that is, when all it gets is each side's summary.
struct SummaryValidityTests {
    /// Sessions: mean × (1 + N(0, 2 %)); runs of a session: × (1 + N(0, 3 %)), 10 of them.
    /// `bounds`: what the source reports around the mean (± σ as Bencher's hyperfine adapter,
    /// or min–max as pytest-benchmark's summary).
    func rates(shift: Double, trials: Int = 1_000, minMax: Bool) -> (slower: Int, faster: Int, noChange: Int) {
        var rng = SplitMix64(seed: minMax ? 17 : 7)
        func normal() -> Double {
            let u = max(Double.random(in: 0..<1, using: &rng), 1e-12), v = Double.random(in: 0..<1, using: &rng)
            return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
        }
        func side(_ truth: Double) -> Statistics {
            let session = truth * (1 + 0.02 * normal())
            let runs = (0..<10).map { _ in session * (1 + 0.03 * normal()) }
            let s = Statistics(samples: runs, bootstrap: nil)
            let bounds = minMax ? ReportedBounds(lower: s.min, upper: s.max) : ReportedBounds(lower: s.mean - s.stddev, upper: s.mean + s.stddev)
            return Statistics(summary: StatisticsSummary(count: 10, mean: s.mean, stddev: s.stddev, bounds: bounds))
        }
        var counts = (slower: 0, faster: 0, noChange: 0)
        for _ in 0..<trials {
            let verdict = MetricComparison.compareSummaries(benchmark: "b", metric: .wallTime, unit: .seconds,
                                                            baseline: side(1), current: side(1 + shift)).verdict
            switch verdict {
            case .slower: counts.slower += 1
            case .faster: counts.faster += 1
            case .noChange: counts.noChange += 1
            case .inconclusive: break
            }
        }
        return counts
    }

    @Test func summariesRarelyCryWolfAndFindLargeChanges() {
        for minMax in [false, true] {
            let aa = rates(shift: 0, minMax: minMax)
            #expect(aa.slower + aa.faster <= 10, "A/A called in at most 1 % of 1000 (min–max: \(minMax)): \(aa)")
            let large = rates(shift: 0.20, minMax: minMax)
            // Min–max ranges of 10 runs are about twice as wide as ± σ: fewer +20 % changes clear them.
            #expect(large.slower >= (minMax ? 850 : 950), "+20 % found (min–max: \(minMax)): \(large)")
            let small = rates(shift: 0.10, minMax: minMax)
            #expect(small.faster == 0 && small.noChange <= 10, "+10 % is never an improvement, and no change at most 1 %: \(small)")
            print("summary validity (bounds: \(minMax ? "min–max" : "±σ")): A/A \(aa), +10 % \(small), +20 % \(large) of 1000")
        }
    }
}

/// The checks every entrance to the store applies (import, upload).
struct RunAdmissionTests {
    let now = Timestamp(secondsSinceEpoch: 1_800_000_000)

    func report(id: String = "1b2c-run", names: [String] = ["sort"], startedAt: Double = 1_800_000_000) -> RunReport {
        RunReport(id: id, metronVersion: "t", startedAt: Timestamp(secondsSinceEpoch: startedAt), machine: nil, git: nil,
                  benchmarks: names.map { BenchmarkResult(name: $0, kind: .inProcess) })
    }

    @Test func idsNamesAndDatesAreChecked() {
        #expect(RunAdmission.problem(with: report(), now: now) == nil)
        #expect(RunAdmission.problem(with: report(startedAt: 1_800_000_000 + 3_600), now: now) == nil, "an hour of clock skew is fine")
        for id in ["", "../../etc/passwd", "a/b", "latest", ".hidden", "tab\there", String(repeating: "a", count: 201), "ünï"] {
            #expect(RunAdmission.problem(with: report(id: id), now: now) != nil, "\(id)")
        }
        #expect(RunAdmission.problem(with: report(names: []), now: now) == "the run has no benchmarks")
        #expect(RunAdmission.problem(with: report(names: ["ok", ""]), now: now)?.contains("benchmarks[1]") == true)
        #expect(RunAdmission.problem(with: report(names: ["clear\u{1B}[2J"]), now: now)?.contains("control characters") == true)
        let future = RunAdmission.problem(with: report(startedAt: 4_070_908_800), now: now)
        #expect(future?.contains("2099-01-01") == true && future?.contains("latest") == true, "\(future ?? "")")
        #expect(RunAdmission.printable("a\u{1B}b") == "a\\u{1B}b")
        var newer = report()
        newer.schemaVersion = RunReport.currentSchemaVersion + 1
        #expect(RunAdmission.problem(with: newer, now: now)?.contains("upgrade metron") == true)
        newer.schemaVersion = 0
        #expect(RunAdmission.problem(with: newer, now: now)?.contains("schemaVersion 0") == true)
    }
}
