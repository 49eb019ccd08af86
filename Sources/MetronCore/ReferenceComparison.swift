/// `metron exec --reference`: every other benchmark of the run against the reference.
public enum ReferenceComparison {
    /// Wall time of each benchmark (but the reference) against the reference's: per-round pairs
    /// when both carry rounds, the within-run rule otherwise. Benchmarks without completed runs
    /// are left out.
    public static func compare(_ results: [BenchmarkResult], reference: Int,
                               bands: RegressionBands = RegressionBands()) -> [MetricComparison] {
        guard results.indices.contains(reference) else { return [] }
        func times(_ result: BenchmarkResult) -> [Int: Double] {
            Dictionary(result.runs.filter { !$0.timedOut && $0.round != nil }.map { ($0.round!, $0.wallTime) },
                       uniquingKeysWith: { first, _ in first })
        }
        let base = results[reference]
        let baseRounds = times(base)
        return results.indices.filter { $0 != reference }.compactMap { index in
            let result = results[index]
            let rounds = times(result)
            let shared = Set(baseRounds.keys).intersection(rounds.keys).sorted()
            if !shared.isEmpty {
                return MetricComparison.comparePaired(
                    benchmark: result.name, parameters: result.parameters, metric: .wallTime, unit: .seconds,
                    baseline: shared.map { baseRounds[$0]! }, current: shared.map { rounds[$0]! }, bands: bands)
            }
            guard let baseline = base.metric(.wallTime)?.samples, let current = result.metric(.wallTime)?.samples,
                  !baseline.isEmpty, !current.isEmpty else { return nil }
            return MetricComparison.compare(benchmark: result.name, parameters: result.parameters, metric: .wallTime,
                                            unit: .seconds, baseline: baseline, current: current, bands: bands)
        }
    }
}
