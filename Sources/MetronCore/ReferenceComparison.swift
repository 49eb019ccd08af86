/// `metron exec --reference`: every other benchmark of the run against the reference.
public enum ReferenceComparison {
    /// Wall time of each benchmark (but the reference) against the reference's: per-round pairs
    /// when both carry rounds, the within-run rule otherwise. Benchmarks without completed runs
    /// are left out.
    public static func compare(_ results: [BenchmarkResult], reference: Int,
                               bands: RegressionBands = RegressionBands()) -> [MetricComparison] {
        guard results.indices.contains(reference) else { return [] }
        let base = results[reference]
        return results.indices.filter { $0 != reference }.compactMap { index in
            let result = results[index]
            if let rounds = CommandMetrics.byRound(.wallTime, baseline: base, current: result) {
                return MetricComparison.comparePaired(
                    benchmark: result.name, parameters: result.parameters, metric: .wallTime, unit: .seconds,
                    baseline: rounds.baseline, current: rounds.current, bands: bands)
            }
            guard let baseline = base.metric(.wallTime)?.samples, let current = result.metric(.wallTime)?.samples,
                  !baseline.isEmpty, !current.isEmpty else { return nil }
            return MetricComparison.compare(benchmark: result.name, parameters: result.parameters, metric: .wallTime,
                                            unit: .seconds, baseline: baseline, current: current, bands: bands)
        }
    }
}
