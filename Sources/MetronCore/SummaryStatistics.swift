/// What a harness reports of a metric when it keeps no raw samples: its own summary (Bencher
/// Metric Format's value and bounds, pytest-benchmark saved without `--benchmark-save-data`,
/// Google Benchmark's aggregate rows, github-action-benchmark's one value). Every figure but the
/// mean may be missing; a missing figure stays unknown (NaN in `Statistics`, printed as "–")
/// rather than being made up from the others.
public struct StatisticsSummary: Sendable, Equatable {
    /// How many runs or samples the summary is of; nil when the source does not say.
    public var count: Int?
    public var mean: Double
    public var median: Double?
    public var stddev: Double?
    public var min: Double?
    public var max: Double?
    /// Percentiles the source reports, by percent (25 = the first quartile).
    public var percentiles: [Double: Double]
    /// The source's own lower and upper value around the mean, whatever the source means by them.
    public var bounds: ReportedBounds?

    public init(count: Int? = nil, mean: Double, median: Double? = nil, stddev: Double? = nil, min: Double? = nil,
                max: Double? = nil, percentiles: [Double: Double] = [:], bounds: ReportedBounds? = nil) {
        self.count = count
        self.mean = mean
        self.median = median
        self.stddev = stddev
        self.min = min
        self.max = max
        self.percentiles = percentiles
        self.bounds = bounds
    }
}

/// A lower and an upper value a source reports around its figure (BMF's `lower_value` and
/// `upper_value`, JMH's `scoreConfidence`). What they are — a confidence interval, ± one
/// standard deviation, a min–max range — is the source's convention, so Metron uses them only
/// to ask whether two summaries overlap.
public struct ReportedBounds: Codable, Sendable, Equatable {
    public var lower: Double
    public var upper: Double

    public init(lower: Double, upper: Double) {
        self.lower = Swift.min(lower, upper)
        self.upper = Swift.max(lower, upper)
    }
}

extension Statistics {
    /// The statistics of a summary: what it reports, NaN for what it does not. `count` is the
    /// summary's, or 1 (the one figure reported) when the source does not say.
    public init(summary: StatisticsSummary) {
        let unknown = Double.nan
        count = summary.count ?? 1
        mean = summary.mean
        stddev = summary.stddev ?? (summary.count == 1 ? 0 : unknown)
        min = summary.min ?? summary.percentiles[0] ?? unknown
        max = summary.max ?? summary.percentiles[100] ?? unknown
        median = summary.median ?? summary.percentiles[50] ?? unknown
        let p = summary.percentiles
        percentiles = Percentiles(p25: p[25] ?? unknown, p50: median, p75: p[75] ?? unknown, p90: p[90] ?? unknown,
                                  p95: p[95] ?? unknown, p99: p[99] ?? unknown, p999: p[99.9] ?? unknown)
        iqr = percentiles.p75 - percentiles.p25
        mad = unknown
        coefficientOfVariation = mean == 0 ? 0 : stddev / mean
        outliers = OutlierCounts()
        meanCI = nil
        medianCI = nil
        bounds = summary.bounds
    }

    /// The range a summary-only comparison asks to overlap: the source's bounds, else its
    /// minimum and maximum when it has several runs.
    var reportedRange: ReportedBounds? {
        if let bounds { return bounds }
        guard count >= 2, min.isFinite, max.isFinite else { return nil }
        return ReportedBounds(lower: min, upper: max)
    }
}

extension Metric {
    /// A metric known only from its source's summary: no samples.
    public init(id: MetricID, unit: MetricUnit, summary: StatisticsSummary, polarity: Polarity? = nil) {
        self.id = id
        self.unit = unit
        self.polarity = polarity
        samples = []
        statistics = Statistics(summary: summary)
    }

    /// True when the metric has no raw samples, only its source's summary: no test that needs
    /// samples (rank test, bootstrap) can be run on it.
    public var isSummary: Bool { samples.isEmpty }
}

extension Double {
    /// The value, or nil when it is unknown (NaN) or infinite.
    public var finiteValue: Double? { isFinite ? self : nil }
}
