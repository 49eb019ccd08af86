/// Two runs compared benchmark by benchmark (matched by name and parameters).
public struct RunComparison: Codable, Sendable, Equatable {
    public var baselineRunID: String
    public var currentRunID: String
    public var comparisons: [MetricComparison]
    /// Benchmarks present only in the current run, or only in the baseline.
    public var added: [String]
    public var removed: [String]
    /// Geometric mean over benchmarks of current/baseline mean wall time (< 1: faster overall).
    public var geometricMeanRatio: Double?
    /// Both runs carry machine information and their fingerprints differ.
    public var machinesDiffer: Bool

    /// `history`: wall-time means of the baseline side's stored sessions on the baseline's machine,
    /// by benchmark key (the baseline run included), when the two runs are separate sessions;
    /// see `MetricComparison.compare`. Benchmarks missing from it are judged on the noise floor.
    /// Two runs measured interleaved with each other (`RunReport.pairedRun`, `metron run
    /// --against`) are compared round by round (`MetricComparison.comparePaired`) on every
    /// metric whose runs carry rounds; `history` then does not apply. Deterministic counts
    /// (`Metric.deterministic`) are compared by `MetricComparison.compareDeterministic`, and
    /// `MetricID.judgedDeterministic` ones whenever both sides have them, asked for or not.
    public static func compare(baseline: RunReport, current: RunReport, metrics: [MetricID] = [.wallTime],
                               bands: RegressionBands = RegressionBands(), alpha: Double = 0.05,
                               history: [String: [Double]]? = nil,
                               noiseFloor: Double = SessionNoise.defaultNoiseFloor) -> RunComparison {
        func key(_ result: BenchmarkResult) -> String { result.key }
        let baselineByKey = Dictionary(baseline.benchmarks.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
        let currentKeys = Set(current.benchmarks.map(key))
        var comparisons: [MetricComparison] = []
        var added: [String] = []
        var logRatios: [Double] = []
        let paired = current.pairedRun == baseline.id || baseline.pairedRun == current.id
        for result in current.benchmarks {
            guard let old = baselineByKey[key(result)] else {
                added.append(key(result))
                continue
            }
            // Deterministic counts are judged whenever both sides have them.
            let judged = metrics + MetricID.judgedDeterministic.filter { id in
                !metrics.contains(id) && result.metric(id)?.isDeterministic == true && old.metric(id)?.isDeterministic == true
            }
            for id in judged {
                guard let now = result.metric(id), let before = old.metric(id) else { continue }
                let comparison: MetricComparison
                if now.isDeterministic && before.isDeterministic && !now.isSummary && !before.isSummary {
                    comparison = MetricComparison.compareDeterministic(
                        benchmark: result.name, parameters: result.parameters, metric: id, unit: now.unit,
                        polarity: now.effectivePolarity, baseline: before.samples, current: now.samples, bands: bands)
                } else if now.isSummary || before.isSummary {
                    comparison = MetricComparison.compareSummaries(
                        benchmark: result.name, parameters: result.parameters, metric: id, unit: now.unit,
                        polarity: now.effectivePolarity, baseline: before.statistics, current: now.statistics,
                        baselineHasSamples: !before.isSummary, currentHasSamples: !now.isSummary, bands: bands,
                        history: id == .wallTime ? history.map { SessionNoise(means: $0[key(result)] ?? [before.statistics.mean]) } : nil,
                        noiseFloor: noiseFloor)
                } else if paired, let rounds = CommandMetrics.byRound(id, baseline: old, current: result) {
                    comparison = MetricComparison.comparePaired(
                        benchmark: result.name, parameters: result.parameters, metric: id, unit: now.unit,
                        polarity: now.effectivePolarity, baseline: rounds.baseline, current: rounds.current, bands: bands)
                } else {
                    comparison = MetricComparison.compare(
                        benchmark: result.name, parameters: result.parameters, metric: id, unit: now.unit,
                        polarity: now.effectivePolarity, baseline: before.samples, current: now.samples, bands: bands, alpha: alpha,
                        history: id == .wallTime ? history.map { SessionNoise(means: $0[key(result)] ?? [before.statistics.mean]) } : nil,
                        noiseFloor: noiseFloor)
                }
                comparisons.append(comparison)
                if id == .wallTime, comparison.baseline.mean > 0, comparison.current.mean > 0 {
                    logRatios.append(log(comparison.current.mean / comparison.baseline.mean))
                }
            }
        }
        let removed = baseline.benchmarks.map(key).filter { !currentKeys.contains($0) }
        var differ = false
        if let a = baseline.machine, let b = current.machine { differ = a.fingerprint != b.fingerprint }
        return RunComparison(
            baselineRunID: baseline.id, currentRunID: current.id, comparisons: comparisons, added: added,
            removed: removed,
            geometricMeanRatio: logRatios.isEmpty ? nil : exp(logRatios.reduce(0, +) / Double(logRatios.count)),
            machinesDiffer: differ)
    }
}

#if canImport(Glibc)
import Glibc
#endif
