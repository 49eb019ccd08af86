/// One measured quantity of a benchmark: its raw samples (one per run or per sample batch) and
/// their statistics.
public struct Metric: Codable, Sendable, Equatable {
    public var id: MetricID
    public var unit: MetricUnit
    public var statistics: Statistics
    public var samples: [Double]
    /// Declared by the benchmark (custom counters such as a hit ratio); nil: the metric's default.
    public var polarity: Polarity?
    /// Counted on a simulated CPU (Valgrind, `CacheSimulation`): the same work gives the same
    /// figure, so a comparison needs no test, only the deterministic band
    /// (`RegressionBands.deterministic`). nil: measured, with the noise that brings.
    public var deterministic: Bool?

    public init(id: MetricID, unit: MetricUnit, samples: [Double], bootstrap: BootstrapOptions? = BootstrapOptions(),
                polarity: Polarity? = nil) {
        precondition(!samples.isEmpty, "a metric needs at least one sample")
        self.id = id
        self.unit = unit
        self.polarity = polarity
        self.samples = samples
        self.statistics = Statistics(samples: samples, bootstrap: bootstrap)
    }

    /// A metric whose statistics are already known (read back from a store).
    public init(id: MetricID, unit: MetricUnit, statistics: Statistics, samples: [Double],
                polarity: Polarity? = nil, deterministic: Bool? = nil) {
        self.id = id
        self.unit = unit
        self.statistics = statistics
        self.samples = samples
        self.polarity = polarity
        self.deterministic = deterministic
    }
}

extension Metric {
    /// Which way is better: declared, else the metric's default.
    public var effectivePolarity: Polarity { polarity ?? id.polarity(unit: unit) }

    public var isDeterministic: Bool { deterministic == true }
}

extension Array where Element == Metric {
    public subscript(id: MetricID) -> Metric? {
        first { $0.id == id }
    }
}
