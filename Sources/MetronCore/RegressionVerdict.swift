/// Thresholds on a relative slowdown: within `acceptable` it is noise; up to `warning` a minor
/// regression; up to `critical` a warning; beyond it critical (seed 004's ±5/15/30 %).
/// Deterministic metrics (`Metric.deterministic`, counts on Valgrind's simulated CPU) have their
/// own, much narrower thresholds: the same work gives the same count, so 0.2 % is already more
/// than the drift of a real program's count with its environment (docs/deterministic.md), and a
/// 1 % rise in work — a warning — fails the gate.
public struct RegressionBands: Codable, Sendable, Equatable {
    public var acceptable: Double
    public var warning: Double
    public var critical: Double
    public var deterministicAcceptable: Double
    public var deterministicWarning: Double
    public var deterministicCritical: Double

    public init(acceptable: Double = 0.05, warning: Double = 0.15, critical: Double = 0.30,
                deterministicAcceptable: Double = 0.002, deterministicWarning: Double = 0.005,
                deterministicCritical: Double = 0.02) {
        self.acceptable = acceptable
        self.warning = warning
        self.critical = critical
        self.deterministicAcceptable = deterministicAcceptable
        self.deterministicWarning = deterministicWarning
        self.deterministicCritical = deterministicCritical
    }

    /// These bands with the deterministic thresholds in the place of the measured ones.
    public var forDeterministic: RegressionBands {
        var bands = self
        bands.acceptable = deterministicAcceptable
        bands.warning = deterministicWarning
        bands.critical = deterministicCritical
        return bands
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
    /// The evidence is too thin, or its parts disagree: neither "changed" nor "no change" can be
    /// said (`MetricComparison.evidence` says why).
    case inconclusive
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
    /// current.mean / baseline.mean − 1, signed so that positive always means worse: flipped for
    /// metrics where higher is better (`polarity`).
    public var change: Double
    /// 95 % bootstrap interval of `change` (Criterion's `change: [-5.0% +2.3% +8.1%]`).
    public var changeCI: ConfidenceInterval?
    /// Mann-Whitney U, two-sided.
    public var pValue: Double
    public var verdict: Verdict
    public var band: RegressionBand
    /// Which way is better for this metric.
    public var polarity: Polarity?
    /// What the verdict rests on when it is not the plain rule (too few runs for the rank test,
    /// an interval and a test that disagree); nil otherwise.
    public var evidence: String?
    /// Both sides are deterministic counts (`Metric.deterministic`), judged against the
    /// deterministic band (`MetricComparison.compareDeterministic`); nil otherwise.
    public var deterministic: Bool?

    /// The smallest two-sided p-value the Mann-Whitney U test can give for samples of these sizes
    /// (complete separation, no ties): 2 / C(n1 + n2, n1). With 3 runs a side it is 0.1, so the
    /// test can never call a change at 5 %, however large.
    public static func smallestPValue(_ n1: Int, _ n2: Int) -> Double {
        guard n1 > 0, n2 > 0 else { return 1 }
        var combinations = 1.0
        for i in 0..<min(n1, n2) { combinations = combinations * Double(n1 + n2 - i) / Double(i + 1) }
        return min(1, 2 / combinations)
    }

    /// The fewest runs a side for which the test can reach `alpha` (equal sizes).
    public static func runsNeeded(alpha: Double) -> Int {
        var n = 2
        while smallestPValue(n, n) >= alpha { n += 1 }
        return n
    }

    /// Slower (faster) when the difference is significant (p < alpha) *and* the whole confidence
    /// interval of the change lies above (below) zero; otherwise no significant change. Two cases
    /// are never "no change":
    /// - too few runs for the test to reach `alpha` (`smallestPValue`): then the change is called
    ///   only when each side has at least 2 runs, the samples are completely separated (every
    ///   current run above, or below, every baseline run) and the change exceeds
    ///   `bands.acceptable`; otherwise `.inconclusive`;
    /// - an interval that lies wholly beyond ±`bands.acceptable` while the test does not agree:
    ///   `.inconclusive`, so a report never prints "+367 %" next to "no significant change".
    /// The band grades a slowdown; anything else is `.acceptable`. `polarity` says which way is
    /// worse (default: the metric's own, `MetricID.polarity(unit:)`).
    ///
    /// `history`: the baseline is a stored run from another session, and these are the stored
    /// sessions of its side (`SessionNoise`). Then a change is called only when the within-run
    /// evidence says so *and* it exceeds what the session-to-session spread allows — the current
    /// mean outside the 99 % prediction interval of the history's means, or, with fewer than 5
    /// sessions, a change beyond `noiseFloor`. Without `history` (runs of one session) the
    /// within-run evidence decides alone.
    public static func compare(benchmark: String, parameters: [Parameter] = [], metric: MetricID, unit: MetricUnit,
                               polarity: Polarity? = nil,
                               baseline: [Double], current: [Double], bands: RegressionBands = RegressionBands(),
                               alpha: Double = 0.05, bootstrap: BootstrapOptions = BootstrapOptions(resamples: 2_000),
                               history: SessionNoise? = nil, noiseFloor: Double = SessionNoise.defaultNoiseFloor)
        -> MetricComparison
    {
        let polarity = polarity ?? metric.polarity(unit: unit)
        let worseIsHigher = polarity == .lowerIsBetter
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
        var evidence: String?
        let session = history.map { $0.threshold(noiseFloor: noiseFloor) }
        let floor = max(bands.acceptable, session?.value ?? 0)
        if smallestPValue(baseline.count, current.count) >= alpha {
            let worse = worseIsHigher ? current.min()! > baseline.max()! : current.max()! < baseline.min()!
            let better = worseIsHigher ? current.max()! < baseline.min()! : current.min()! > baseline.max()!
            let runs = runsNeeded(alpha: alpha)
            if baseline.count < 2 || current.count < 2 {
                // One run shows nothing of the spread: "apart" would be true of any two runs.
                verdict = .inconclusive
                evidence = "one run on \(baseline.count < 2 ? "the baseline" : "the current") side shows nothing of the noise, "
                    + "so no verdict on a measured metric: measure \(runs) runs a side (or count instructions with --valgrind)"
            } else if (worse || better) && abs(change) > floor {
                verdict = worse ? .slower : .faster
                evidence = "too few runs for the rank test (\(baseline.count) and \(current.count); it needs \(runs) a side): "
                    + "judged by complete separation of the runs and a change beyond \(Formatting.fixed(floor * 100, digits: 1)) %"
            } else {
                verdict = .inconclusive
                evidence = "too few runs to tell (\(baseline.count) and \(current.count)): the rank test needs \(runs) a side, "
                    + "and the runs are not clearly apart"
            }
        } else if p < alpha, let interval, interval.lower > 0 {
            verdict = .slower
        } else if p < alpha, let interval, interval.upper < 0 {
            verdict = .faster
        } else if let interval, interval.lower > floor || interval.upper < -floor {
            verdict = .inconclusive
            evidence = "the interval of the change lies beyond ±\(Formatting.fixed(floor * 100, digits: 1)) % "
                + "but the rank test does not confirm it (p = \(Formatting.fixed(p, digits: 3))): measure more runs"
        } else if let interval, interval.lower < -floor || interval.upper > floor {
            // "No change" is a claim too: only when the interval rules out a change beyond the floor.
            verdict = .inconclusive
            evidence = "the interval of the change [\(MetricComparison.signedPercent(interval.lower)), "
                + "\(MetricComparison.signedPercent(interval.upper))] reaches beyond ±\(Formatting.fixed(floor * 100, digits: 1)) %"
                + (p < alpha ? " and the rank test finds a difference (p = \(Formatting.fixed(p, digits: 3)))" : "")
                + ": it cannot rule out a change that large; measure more runs"
        }
        // Between sessions the mean itself moves: a change the within-run evidence calls must
        // also stand out of the stored sessions' spread.
        if let history, let session, verdict == .slower || verdict == .faster {
            let outside: Bool
            if let width = history.predictionHalfWidth() {
                let reference = history.mean
                let distance = reference > 0 ? (c.mean - reference) / reference : 0
                outside = abs(distance) > width && (distance > 0) == (c.mean > b.mean)
            } else {
                outside = abs(change) > session.value
            }
            if !outside {
                // Within the sessions' spread. That is "no change" only when the spread itself is
                // within the acceptable band; wider, a change of the band's size cannot be ruled out.
                let spread = history.predictionHalfWidth() ?? session.value
                if spread <= bands.acceptable {
                    verdict = .noChange
                    evidence = "within session-to-session noise: \(session.note)"
                } else {
                    verdict = .inconclusive
                    evidence = "within session-to-session noise, which is wider than the \(Formatting.fixed(bands.acceptable * 100, digits: 0)) % "
                        + "acceptable band: \(session.note); compare interleaved in one session (metron exec --reference, metron run --against) "
                        + "to resolve changes that small"
                }
            } else {
                evidence = evidence.map { "\($0); \(session.note)" } ?? session.note
            }
        } else if let session {
            // Whatever decided, the verdict says what is known of the sessions' spread.
            evidence = evidence.map { "\($0); \(session.note)" } ?? session.note
        }
        return MetricComparison(benchmark: benchmark, parameters: parameters, metric: metric, unit: unit, baseline: b,
                                current: c, change: change, changeCI: interval, pValue: p, verdict: verdict,
                                band: verdict == .slower ? bands.band(for: change) : .acceptable,
                                polarity: polarity, evidence: evidence)
    }

    /// Percentile bootstrap of mean(current)/mean(baseline) − 1, both samples resampled.
    static func ratioInterval(_ baseline: [Double], _ current: [Double], options: BootstrapOptions) -> ConfidenceInterval? {
        guard baseline.count >= 2, current.count >= 2, options.resamples >= 1 else { return nil }
        var rng = SplitMix64(seed: options.seed)
        var ratios: [Double] = []
        ratios.reserveCapacity(options.resamples)
        for _ in 0..<options.resamples {
            let b = Bootstrap.resampleMean(baseline, rng: &rng)
            let c = Bootstrap.resampleMean(current, rng: &rng)
            if b != 0 { ratios.append(c / b - 1) }
        }
        guard !ratios.isEmpty else { return nil }
        ratios.sort()
        let alpha = (1 - options.level) / 2
        return ConfidenceInterval(level: options.level, lower: percentile(sorted: ratios, 100 * alpha),
                                  upper: percentile(sorted: ratios, 100 * (1 - alpha)))
    }
}
