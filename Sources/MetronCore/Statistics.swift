/// Descriptive statistics of one metric's samples, with bootstrap confidence intervals of the
/// mean and the median.
///
/// Conventions (checked against numpy/scipy in the tests):
/// - `stddev` is the sample standard deviation (n − 1 denominator, numpy's `std(ddof=1)`), 0 for a
///   single sample.
/// - Percentiles, the median, the IQR and the outlier fences use linear interpolation between
///   closest ranks (type 7, numpy's default); see `percentile(sorted:_:)`.
/// - `mad` is the unscaled median absolute deviation, `median(|x - median(x)|)` (scipy's
///   `median_abs_deviation(x, scale=1.0)`); multiply by 1.4826 to estimate σ of normal data.
/// - Outliers are counted against Tukey's fences on Q1/Q3; see `TukeyFences`.
///
/// Samples are expected to be finite; NaN or infinite samples give unspecified (NaN-laden)
/// figures.
public struct Statistics: Codable, Sendable, Equatable {
    public var count: Int
    /// Arithmetic mean, from a compensated (Neumaier) sum: accurate to about one rounding even for
    /// data with a large offset.
    public var mean: Double
    public var median: Double
    /// Sample standard deviation (n − 1 denominator); 0 when `count < 2`.
    public var stddev: Double
    public var min: Double
    public var max: Double
    public var percentiles: Percentiles
    /// Median absolute deviation from the median, unscaled.
    public var mad: Double
    /// Interquartile range, p75 − p25.
    public var iqr: Double
    /// stddev / mean; 0 when the mean is 0.
    public var coefficientOfVariation: Double
    public var outliers: OutlierCounts
    /// Percentile-bootstrap confidence interval of the mean; nil without bootstrap options, with
    /// 0 resamples, or with fewer than 2 samples.
    public var meanCI: ConfidenceInterval?
    /// Percentile-bootstrap confidence interval of the median (same resamples as `meanCI`).
    public var medianCI: ConfidenceInterval?
    /// The source's own bounds when these statistics are an imported summary
    /// (`init(summary:)`); nil for statistics computed from samples.
    public var bounds: ReportedBounds?

    /// Operations per second when each sample is the time of one operation in seconds: 1 / mean
    /// (0 when the mean is not positive). Not stored or encoded.
    public var opsPerSecond: Double { mean > 0 ? 1 / mean : 0 }

    /// Computes the statistics of `samples` (in any order).
    ///
    /// - Parameters:
    ///   - bootstrap: how to compute `meanCI` and `medianCI` (see `Bootstrap.intervals`); nil for
    ///     no intervals.
    /// - Precondition: `samples` is non-empty. Use `summarize(_:bootstrap:)` when it may be empty.
    public init(samples: [Double], bootstrap: BootstrapOptions? = BootstrapOptions()) {
        precondition(!samples.isEmpty,
                     "Statistics needs at least one sample; use Statistics.summarize for possibly empty input")
        let sorted = samples.sorted()
        let n = sorted.count

        count = n
        min = sorted[0]
        max = sorted[n - 1]
        mean = Self.compensatedSum(sorted) / Double(n)
        stddev = Self.sampleStandardDeviation(sorted, mean: mean)

        percentiles = Percentiles(sorted: sorted)
        median = percentiles.p50
        iqr = percentiles.p75 - percentiles.p25
        let median = self.median
        mad = percentile(sorted: sorted.map { abs($0 - median) }.sorted(), 50)
        coefficientOfVariation = mean == 0 ? 0 : stddev / mean

        outliers = OutlierCounts(samples: sorted,
                                 fences: TukeyFences(q1: percentiles.p25, q3: percentiles.p75))

        if let bootstrap, let intervals = Bootstrap.intervals(sorted: sorted, options: bootstrap) {
            meanCI = intervals.mean
            medianCI = intervals.median
        } else {
            meanCI = nil
            medianCI = nil
        }
        bounds = nil
    }

    /// The statistics of `samples`, or nil when there are none.
    public static func summarize(_ samples: [Double], bootstrap: BootstrapOptions? = BootstrapOptions()) -> Statistics? {
        samples.isEmpty ? nil : Statistics(samples: samples, bootstrap: bootstrap)
    }

    /// Neumaier's improved Kahan–Babuška summation: the running compensation also captures the
    /// low-order bits of the running sum when an addend is larger than it.
    static func compensatedSum(_ values: [Double]) -> Double {
        var sum = 0.0
        var compensation = 0.0
        for x in values {
            let t = sum + x
            if abs(sum) >= abs(x) {
                compensation += (sum - t) + x
            } else {
                compensation += (x - t) + sum
            }
            sum = t
        }
        return sum + compensation
    }

    /// Two-pass sample standard deviation with the Björck correction term
    /// (Σd² − (Σd)²/n) / (n − 1), d = x − mean, which cancels most of the error left in `mean`.
    static func sampleStandardDeviation(_ values: [Double], mean: Double) -> Double {
        let n = values.count
        guard n >= 2 else { return 0 }
        var sumOfSquares = 0.0
        var sum = 0.0
        for x in values {
            let d = x - mean
            sum += d
            sumOfSquares += d * d
        }
        let variance = (sumOfSquares - sum * sum / Double(n)) / Double(n - 1)
        return variance > 0 ? variance.squareRoot() : 0
    }
}
