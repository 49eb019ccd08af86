import MetronCore

/// Everything `metron report` shows, as one pure value: the run (scoped to a suite), its
/// comparison with the baseline, every gate check (statuses, budgets, regressions), each
/// benchmark's history, the parameter scans with their complexity fits, and the
/// recommendations. Every format (HTML, Markdown, CSV, JSON, JUnit) renders from it, and the
/// live dashboard of `metron serve` too.
///
/// Build it with `ReportData.assemble(...)` from values, with the history a store gives
/// (`ResultStore.runs(before:limit:)`).
public struct ReportData: Codable, Sendable {
    /// A run's identity, for headers and the history.
    public struct RunInfo: Codable, Sendable, Equatable {
        public var id: String
        public var startedAt: Timestamp
        public var finishedAt: Timestamp?
        public var status: RunStatus
        public var commit: String?
        public var branch: String?
        public var dirty: Bool
        public var metronVersion: String
        public var machine: MachineInfo?

        public init(_ run: RunReport) {
            id = run.id
            startedAt = run.startedAt
            finishedAt = run.finishedAt
            status = run.status
            commit = run.git?.commit
            branch = run.git?.branch
            dirty = run.git?.dirty ?? false
            metronVersion = run.metronVersion
            machine = run.machine
        }
    }

    public var title: String
    public var generatedAt: Timestamp
    /// The suite the report is scoped to (nil: every benchmark of the run).
    public var suite: String?
    /// The run, its benchmarks limited to `suite`.
    public var run: RunReport
    public var baselineName: String?
    public var baseline: RunInfo?
    public var comparison: RunComparison?
    /// The baseline comes from another machine: regressions were not judged.
    public var regressionsSkippedForMachine: Bool
    public var checks: [GateCheck]
    /// Points by benchmark key (`BenchmarkResult.key`), oldest first, ending with this run.
    public var history: [String: [HistoryPoint]]
    /// The runs the history spans, oldest first (this run last).
    public var historyRuns: [RunInfo]
    public var scans: [ParameterScan]
    public var recommendations: [Recommendation]
    /// Differential flame graphs (`FlameGraph.svg(_:title:baseline:)`) of regressed benchmarks
    /// whose two newest stored profiles differ, by benchmark key; the caller fills it in.
    public var profileDiffs: [String: String] = [:]

    /// Assembles a report. Pure: give it the runs and the suite file's budgets and bands.
    /// - Parameters:
    ///   - history: earlier runs (any order; later ones and `run` itself are ignored).
    ///   - budgets: budgets by (suite-qualified) benchmark name.
    ///   - profiles: the newest stored profile by benchmark name, for the recommendations.
    public static func assemble(run: RunReport, baseline: RunReport?, baselineName: String = "main",
                                history: [RunReport] = [], budgets: [String: [Budget]] = [:],
                                bands: RegressionBands = RegressionBands(), suite: String? = nil,
                                profiles: [String: ProfileSummary] = [:],
                                title: String = "Metron performance report", generatedAt: Timestamp) -> ReportData {
        var scoped = run
        scoped.benchmarks = run.benchmarks.filter { suite == nil || $0.suite == suite }
        let gate = GateEvaluation.evaluate(run: run, baseline: baseline, baselineName: baselineName, budgets: budgets,
                                           bands: bands, suite: suite)
        let earlier = history.filter { $0.id != run.id && $0.startedAt <= run.startedAt }.sorted { $0.startedAt < $1.startedAt }
        let wanted = Set(scoped.benchmarks.map(\.key))
        var points: [String: [HistoryPoint]] = [:]
        var spanned: [RunInfo] = []
        for past in earlier + [scoped] {
            var contributes = false
            for result in past.benchmarks where wanted.contains(result.key) {
                guard let point = HistoryPoint(run: past, result: result) else { continue }
                points[result.key, default: []].append(point)
                contributes = true
            }
            if contributes || past.id == run.id { spanned.append(RunInfo(past)) }
        }
        let recommendations = Recommendations.analyze(scoped.benchmarks, history: points, budgets: budgets,
                                                      logicalCores: run.machine?.logicalCores, profiles: profiles)
        return ReportData(
            title: title, generatedAt: generatedAt, suite: suite, run: scoped,
            baselineName: baseline == nil ? nil : baselineName, baseline: baseline.map(RunInfo.init),
            comparison: gate.comparison, regressionsSkippedForMachine: gate.regressionsSkippedForMachine,
            checks: gate.checks, history: points, historyRuns: spanned,
            scans: ParameterScan.scans(in: scoped.benchmarks), recommendations: recommendations)
    }

    // MARK: Views the renderers share

    /// Benchmarks grouped by suite, in the run's order ("" for benchmarks without a suite).
    public var suites: [(name: String, benchmarks: [BenchmarkResult])] {
        var order: [String] = []
        var groups: [String: [BenchmarkResult]] = [:]
        for result in run.benchmarks {
            let name = result.suite ?? ""
            if groups[name] == nil { order.append(name) }
            groups[name, default: []].append(result)
        }
        return order.map { ($0, groups[$0]!) }
    }

    /// The wall-time comparison of a benchmark with the baseline.
    public func comparison(for key: String) -> MetricComparison? {
        comparisonsByKey[key]
    }

    private var comparisonsByKey: [String: MetricComparison] {
        Dictionary((comparison?.comparisons ?? []).filter { $0.metric == .wallTime }
            .map { (BenchmarkKey.of(name: $0.benchmark, parameters: $0.parameters), $0) }, uniquingKeysWith: { a, _ in a })
    }

    public func checks(for key: String) -> [GateCheck] { checks.filter { $0.key == key } }

    public var budgetChecks: [GateCheck] { checks.filter { $0.kind == .budget } }

    /// Significant slowdowns, largest first.
    public var regressions: [MetricComparison] {
        guard !regressionsSkippedForMachine else { return [] }
        return (comparison?.comparisons ?? []).filter { $0.verdict == .slower && $0.metric == .wallTime }.sorted { $0.change > $1.change }
    }

    /// Significant speed-ups, largest first.
    public var improvements: [MetricComparison] {
        guard !regressionsSkippedForMachine else { return [] }
        return (comparison?.comparisons ?? []).filter { $0.verdict == .faster && $0.metric == .wallTime }.sorted { $0.change < $1.change }
    }

    /// Failed checks at `threshold` or above decide the overall verdict.
    public func passed(failOn threshold: Severity = .error) -> Bool {
        !checks.contains { $0.outcome == .failed && ($0.severity ?? .error) >= threshold }
    }
}
