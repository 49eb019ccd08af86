/// Turns raw command runs into per-metric statistics.
public enum CommandMetrics {
    /// Metrics over the runs that completed (timed-out runs are excluded: their wall time is the
    /// timeout, not a measurement). I/O metrics appear only when every run has them.
    public static func summarize(_ runs: [CommandRun], bootstrap: BootstrapOptions? = BootstrapOptions()) -> [Metric] {
        let completed = runs.filter { !$0.timedOut }
        guard !completed.isEmpty else { return [] }
        func metric(_ id: MetricID, _ unit: MetricUnit, _ value: (CommandRun) -> Double) -> Metric {
            Metric(id: id, unit: unit, samples: completed.map(value), bootstrap: bootstrap)
        }
        // Bootstrap intervals are only worth their cost on the headline metric.
        func plain(_ id: MetricID, _ unit: MetricUnit, _ value: (CommandRun) -> Double) -> Metric {
            Metric(id: id, unit: unit, samples: completed.map(value), bootstrap: nil)
        }
        func optional(_ id: MetricID, _ unit: MetricUnit, _ value: (CommandRun) -> Int64?) -> Metric? {
            let values = completed.compactMap(value)
            guard values.count == completed.count else { return nil }
            return Metric(id: id, unit: unit, samples: values.map(Double.init), bootstrap: nil)
        }
        var metrics = [
            metric(.wallTime, .seconds) { $0.wallTime },
            plain(.userTime, .seconds) { $0.userTime },
            plain(.systemTime, .seconds) { $0.systemTime },
            plain(.cpuPercent, .percent) { $0.cpuPercent },
            plain(.peakRSS, .bytes) { Double($0.peakRSS) },
        ]
        let optionalMetrics: [Metric?] = [
            optional(.peakRSSTree, .bytes) { $0.peakRSSTree ?? $0.peakRSS },
            optional(.readBytes, .bytes) { $0.readBytes },
            optional(.writeBytes, .bytes) { $0.writeBytes },
            optional(.readChars, .bytes) { $0.readChars },
            optional(.writeChars, .bytes) { $0.writeChars },
        ]
        metrics += optionalMetrics.compactMap { $0 }
        metrics += [
            plain(.voluntaryContextSwitches, .count) { Double($0.voluntaryContextSwitches) },
            plain(.involuntaryContextSwitches, .count) { Double($0.involuntaryContextSwitches) },
            plain(.minorPageFaults, .count) { Double($0.minorPageFaults) },
            plain(.majorPageFaults, .count) { Double($0.majorPageFaults) },
        ]
        // Hardware counters, where every run was counted.
        metrics += [optional(.instructions, .count) { $0.instructions }, optional(.cycles, .count) { $0.cycles }].compactMap { $0 }
        return metrics
    }

    /// A value of each completed run that has a round, by round.
    public static func byRound(_ result: BenchmarkResult, _ value: (CommandRun) -> Double) -> [Int: Double] {
        Dictionary(result.runs.filter { !$0.timedOut && $0.round != nil }.map { ($0.round!, value($0)) },
                   uniquingKeysWith: { first, _ in first })
    }

    /// The values of `metric` of two results measured in the same interleaved rounds, paired by
    /// round (rounds where either timed out are left out); nil when the runs carry no rounds, none
    /// are shared, or the metric is not one read from each run.
    public static func byRound(_ metric: MetricID, baseline: BenchmarkResult,
                               current: BenchmarkResult) -> (baseline: [Double], current: [Double])? {
        let value: (CommandRun) -> Double
        switch metric {
        case .wallTime: value = { $0.wallTime }
        case .userTime: value = { $0.userTime }
        case .systemTime: value = { $0.systemTime }
        case .cpuPercent: value = { $0.cpuPercent }
        case .peakRSS: value = { Double($0.peakRSS) }
        case .instructions, .cycles:
            let counted: (CommandRun) -> Int64? = metric == .instructions ? { $0.instructions } : { $0.cycles }
            guard (baseline.runs + current.runs).allSatisfy({ $0.timedOut || counted($0) != nil }) else { return nil }
            value = { Double(counted($0) ?? 0) }
        default: return nil
        }
        let before = byRound(baseline, value), after = byRound(current, value)
        let shared = Set(before.keys).intersection(after.keys).sorted()
        guard !shared.isEmpty else { return nil }
        return (shared.map { before[$0]! }, shared.map { after[$0]! })
    }
}
