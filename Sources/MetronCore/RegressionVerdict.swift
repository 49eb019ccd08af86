/// Thresholds on a relative slowdown: within `acceptable` it is noise; up to `warning` a minor
/// regression; up to `critical` a warning; beyond it critical (seed 004's ±5/15/30 %).
public struct RegressionBands: Codable, Sendable, Equatable {
    public var acceptable: Double
    public var warning: Double
    public var critical: Double

    public init(acceptable: Double = 0.05, warning: Double = 0.15, critical: Double = 0.30) {
        self.acceptable = acceptable
        self.warning = warning
        self.critical = critical
    }

    public func band(for change: Double) -> RegressionBand {
        if change <= acceptable { return .acceptable }
        if change <= warning { return .minor }
        if change <= critical { return .warning }
        return .critical
    }
}

public enum RegressionBand: String, Codable, Sendable, Comparable, CaseIterable {
    case acceptable, minor, warning, critical

    public static func < (lhs: RegressionBand, rhs: RegressionBand) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

public enum Verdict: String, Codable, Sendable {
    case faster, noChange, slower
}

/// One metric of one benchmark, baseline against current.
public struct MetricComparison: Codable, Sendable, Equatable {
    public struct Side: Codable, Sendable, Equatable {
        public var count: Int
        public var mean: Double
        public var median: Double
        public var p95: Double
    }

    public var benchmark: String
    public var parameters: [Parameter]
    public var metric: MetricID
    public var unit: MetricUnit
    public var baseline: Side
    public var current: Side
    /// current.mean / baseline.mean − 1; positive means more time, bytes, … (worse), except for
    /// rates (unit 1/s), where the sign is flipped so that positive always means worse.
    public var change: Double
    /// 95 % bootstrap interval of `change` (Criterion's `change: [-5.0% +2.3% +8.1%]`).
    public var changeCI: ConfidenceInterval?
    /// Mann-Whitney U, two-sided.
    public var pValue: Double
    public var verdict: Verdict
    public var band: RegressionBand

    /// Slower (faster) when the difference is significant (p < alpha) *and* the whole confidence
    /// interval of the change lies above (below) zero; otherwise no significant change. The band
    /// grades a slowdown; anything else is `.acceptable`.
    public static func compare(benchmark: String, parameters: [Parameter] = [], metric: MetricID, unit: MetricUnit,
                               baseline: [Double], current: [Double], bands: RegressionBands = RegressionBands(),
                               alpha: Double = 0.05, bootstrap: BootstrapOptions = BootstrapOptions(resamples: 2_000))
        -> MetricComparison
    {
        let worseIsHigher = unit != .perSecond
        func side(_ samples: [Double]) -> Side {
            let sorted = samples.sorted()
            return Side(count: samples.count, mean: samples.reduce(0, +) / Double(samples.count),
                        median: percentile(sorted: sorted, 50), p95: percentile(sorted: sorted, 95))
        }
        let b = side(baseline), c = side(current)
        let sign = worseIsHigher ? 1.0 : -1.0
        let change = b.mean != 0 ? sign * (c.mean / b.mean - 1) : 0
        let interval = ratioInterval(baseline, current, options: bootstrap).map {
            worseIsHigher ? $0 : ConfidenceInterval(level: $0.level, lower: -$0.upper, upper: -$0.lower)
        }
        let p = MannWhitney.test(baseline, current).pValue
        var verdict = Verdict.noChange
        if p < alpha, let interval {
            if interval.lower > 0 { verdict = .slower } else if interval.upper < 0 { verdict = .faster }
        }
        return MetricComparison(benchmark: benchmark, parameters: parameters, metric: metric, unit: unit, baseline: b,
                                current: c, change: change, changeCI: interval, pValue: p, verdict: verdict,
                                band: verdict == .slower ? bands.band(for: change) : .acceptable)
    }

    /// Percentile bootstrap of mean(current)/mean(baseline) − 1, both samples resampled.
    static func ratioInterval(_ baseline: [Double], _ current: [Double], options: BootstrapOptions) -> ConfidenceInterval? {
        guard baseline.count >= 2, current.count >= 2, options.resamples >= 1 else { return nil }
        var rng = SplitMix64(seed: options.seed)
        func resampledMean(_ values: [Double]) -> Double {
            var sum = 0.0
            let n = UInt64(values.count)
            for _ in 0..<values.count { sum += values[rng.nextIndex(below: n)] }
            return sum / Double(values.count)
        }
        var ratios: [Double] = []
        ratios.reserveCapacity(options.resamples)
        for _ in 0..<options.resamples {
            let b = resampledMean(baseline)
            let c = resampledMean(current)
            if b != 0 { ratios.append(c / b - 1) }
        }
        guard !ratios.isEmpty else { return nil }
        ratios.sort()
        let alpha = (1 - options.level) / 2
        return ConfidenceInterval(level: options.level, lower: percentile(sorted: ratios, 100 * alpha),
                                  upper: percentile(sorted: ratios, 100 * (1 - alpha)))
    }
}
