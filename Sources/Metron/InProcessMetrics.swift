import MetronCore

/// Turns a recording into MetronCore metrics: one sample per measured sample, per iteration
/// where the quantity is per-iteration work, in SI units.
enum ResultBuilder {
    static func metrics(_ recording: Recording, state: BenchmarkState) -> [Metric] {
        let samples = recording.samples
        guard !samples.isEmpty else { return [] }
        func perOperation(_ value: (SampleRecord) -> Double) -> [Double] {
            samples.map { value($0) / Double($0.operations) }
        }
        func plain(_ id: MetricID, _ unit: MetricUnit, _ values: [Double]) -> Metric {
            Metric(id: id, unit: unit, samples: values, bootstrap: nil)
        }
        var metrics = [
            Metric(id: .wallTime, unit: .seconds, samples: perOperation(\.wall)),
            plain(.cpuTime, .seconds, perOperation(\.cpu)),
        ]
        if samples.allSatisfy({ $0.allocations != nil }) {
            metrics.append(plain(.allocations, .count, perOperation { Double($0.allocations!) }))
            metrics.append(plain(.allocatedBytes, .bytes, perOperation { Double($0.allocatedBytes!) }))
        }
        if samples.allSatisfy({ $0.instructions != nil }) {
            metrics.append(plain(.instructions, .count, perOperation { Double($0.instructions!) }))
            metrics.append(plain(.cycles, .count, perOperation { Double($0.cycles!) }))
        }
        metrics.append(plain(.peakRSS, .bytes, samples.map { Double($0.peakRSS) }))
        if let before = recording.rssBefore, samples.allSatisfy({ $0.rss != nil }) {
            metrics.append(plain(.rssGrowth, .bytes, samples.map { Double($0.rss! - before) }))
        }
        metrics.append(plain(.voluntaryContextSwitches, .count, perOperation { Double($0.voluntarySwitches) }))
        metrics.append(plain(.involuntaryContextSwitches, .count, perOperation { Double($0.involuntarySwitches) }))
        if recording.workers != nil || state.itemsPerIteration != nil {
            metrics.append(plain(.operationsPerSecond, .perSecond, samples.map { Double($0.operations) / $0.wall }))
        }
        if let items = state.itemsPerIteration {
            metrics.append(plain(.itemsPerSecond, .perSecond, samples.map { Double($0.operations * items) / $0.wall }))
        }
        if let efficiencies = recording.efficiencies, !efficiencies.isEmpty {
            metrics.append(plain(.scalingEfficiency, .percent, efficiencies))
        }
        for (index, counter) in state.counters.enumerated() {
            metrics.append(plain(MetricID(counter.name), .count, perOperation { Double($0.counters[index]) }))
        }
        for ratio in state.ratios {
            guard let numerator = state.counters.firstIndex(where: { $0 === ratio.numerator }) else { continue }
            let denominators = ratio.denominator.compactMap { d in state.counters.firstIndex { $0 === d } }
            let values = samples.compactMap { sample -> Double? in
                let total = denominators.reduce(0) { $0 + sample.counters[$1] }
                return total > 0 ? Double(sample.counters[numerator]) / Double(total) * 100 : nil
            }
            if !values.isEmpty { metrics.append(plain(MetricID(ratio.id), .percent, values)) }
        }
        return metrics
    }

    /// The `overhead` metric of a result: each wall-time sample against its baseline's median.
    static func overhead(of result: BenchmarkResult, baselineMedian: Double) -> Metric? {
        guard baselineMedian > 0, let wall = result.metric(.wallTime) else { return nil }
        return Metric(id: .overhead, unit: .percent, samples: wall.samples.map { ($0 / baselineMedian - 1) * 100 },
                      bootstrap: nil)
    }
}
