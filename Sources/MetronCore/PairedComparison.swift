#if canImport(Glibc)
import Glibc
#endif

extension MetricComparison {
    /// The significance level of the paired test. Lower than the stored comparison's 0.05: an
    /// A/A pair of identical commands must almost never be called (the validity harness measures
    /// how often it is, docs/validity.md), and at 30 rounds a +2 % change still clears it.
    public static let pairedAlpha = 0.001
    /// Changes smaller than this are not called, however certain: a 0.3 % difference is real on
    /// a quiet machine and of no use to anyone.
    public static let pairedMinimumEffect = 0.01

    /// The share of rounds trimmed from each end before the test: a run preempted on a busy
    /// machine gives a round a log ratio far out in the tail, and a plain mean and t-test let a
    /// few of those decide (measured on this project's VM: detection of +5 % at 30 rounds went
    /// from half the trials with the t-test to most with the trimmed test, docs/validity.md).
    public static let pairedTrimming = 0.2

    /// Baseline against current measured in interleaved rounds of one session: `baseline[i]` and
    /// `current[i]` are the same round. Each round gives a log ratio log(current / baseline), in
    /// which drift shared by the round (frequency, neighbours, caches) cancels. The change is
    /// exp(20 % trimmed mean of the log ratios) − 1, tested with Yuen's trimmed-mean t-test (the
    /// standard error from the winsorized variance, h − 1 degrees of freedom for the h rounds
    /// kept; Wilcox, *Introduction to Robust Estimation*, §4.5), with the matching (1 − α)
    /// interval.
    ///
    /// The verdict: *slower*/*faster* when the test is significant at `alpha` (so the interval
    /// excludes no change) and the change exceeds `minimumEffect`; *no change* when the interval
    /// lies within ±`bands.acceptable` — a change that large is ruled out; else *inconclusive*,
    /// with how many rounds it would take.
    public static func comparePaired(benchmark: String, parameters: [Parameter] = [], metric: MetricID, unit: MetricUnit,
                                     polarity: Polarity? = nil, baseline: [Double], current: [Double],
                                     bands: RegressionBands = RegressionBands(), alpha: Double = pairedAlpha,
                                     minimumEffect: Double = pairedMinimumEffect) -> MetricComparison {
        precondition(baseline.count == current.count, "paired rounds need one baseline and one current value per round")
        let polarity = polarity ?? metric.polarity(unit: unit)
        let sign = polarity == .lowerIsBetter ? 1.0 : -1.0
        func side(_ samples: [Double]) -> Side {
            let sorted = samples.sorted()
            guard !sorted.isEmpty else { return Side(count: 0, mean: 0, median: 0, p95: 0) }
            return Side(count: samples.count, mean: samples.reduce(0, +) / Double(samples.count),
                        median: percentile(sorted: sorted, 50), p95: percentile(sorted: sorted, 95))
        }
        let b = side(baseline), c = side(current)
        let logRatios = zip(baseline, current).compactMap { pair -> Double? in
            pair.0 > 0 && pair.1 > 0 ? log(pair.1 / pair.0) : nil
        }
        let n = logRatios.count
        func result(change: Double, interval: ConfidenceInterval?, p: Double, verdict: Verdict, evidence: String) -> MetricComparison {
            MetricComparison(benchmark: benchmark, parameters: parameters, metric: metric, unit: unit, baseline: b, current: c,
                             change: change, changeCI: interval, pValue: p, verdict: verdict,
                             band: verdict == .slower ? bands.band(for: change) : .acceptable, polarity: polarity,
                             evidence: evidence)
        }
        guard n >= 3 else {
            let change = b.mean != 0 ? sign * (c.mean / b.mean - 1) : 0
            return result(change: change, interval: nil, p: 1, verdict: .inconclusive,
                          evidence: "\(n) usable round\(n == 1 ? "" : "s"); a paired comparison needs at least 3")
        }
        let (mean, standardError, kept) = trimmedMean(logRatios, trimming: pairedTrimming)
        let degrees = Double(kept - 1)
        let p = standardError > 0 ? StudentT.twoSidedPValue(mean / standardError, degreesOfFreedom: degrees) : (mean == 0 ? 1 : 0)
        let halfWidth = StudentT.quantile(1 - alpha / 2, degreesOfFreedom: degrees) * standardError
        // In "positive is worse" terms: flipped for metrics where higher is better.
        let low = exp(mean - halfWidth) - 1, high = exp(mean + halfWidth) - 1
        let interval = ConfidenceInterval(level: 1 - alpha, lower: sign > 0 ? low : -high, upper: sign > 0 ? high : -low)
        let change = sign * (exp(mean) - 1)
        let limit = bands.acceptable
        var note = "\(n) interleaved rounds, Yuen's test on the per-round log ratios "
            + "(\(Formatting.fixed(pairedTrimming * 100, digits: 0)) % trimmed each side, \(pText(p))), "
            + "\(Formatting.fixed((1 - alpha) * 100, digits: 1)) % interval "
            + "[\(signedPercent(interval.lower)), \(signedPercent(interval.upper))]"
        let verdict: Verdict
        if p < alpha && abs(change) > minimumEffect {
            verdict = change > 0 ? .slower : .faster
        } else if interval.lower >= -limit && interval.upper <= limit {
            verdict = .noChange
            note += ": any change is within ±\(Formatting.fixed(limit * 100, digits: 1)) %"
        } else if p < alpha {
            verdict = .noChange
            note += ": a change below the \(Formatting.fixed(minimumEffect * 100, digits: 1)) % that counts"
        } else {
            verdict = .inconclusive
            // Rounds for the interval to shrink within the band, at this spread.
            let needed = Int((Double(n) * pow(halfWidth / log1p(limit), 2)).rounded(.up))
            note += ": it reaches beyond ±\(Formatting.fixed(limit * 100, digits: 1)) %; about \(needed) rounds would settle it"
        }
        return result(change: change, interval: interval, p: p, verdict: verdict, evidence: note)
    }

    /// Yuen's trimmed mean of `values`, its standard error (from the winsorized variance:
    /// √((n − 1)·s_w² / (h·(h − 1))) for the h values kept) and h.
    static func trimmedMean(_ values: [Double], trimming: Double) -> (mean: Double, standardError: Double, kept: Int) {
        let sorted = values.sorted()
        let n = sorted.count
        let cut = Int((trimming * Double(n)).rounded(.down))
        let kept = n - 2 * cut
        let mean = sorted[cut..<(n - cut)].reduce(0, +) / Double(kept)
        let winsorized = sorted.indices.map { sorted[min(max($0, cut), n - cut - 1)] }
        let average = winsorized.reduce(0, +) / Double(n)
        let variance = winsorized.reduce(0) { $0 + ($1 - average) * ($1 - average) } / Double(n - 1)
        let standardError = kept > 1 ? (Double(n - 1) * variance / Double(kept * (kept - 1))).squareRoot() : 0
        return (mean, standardError, kept)
    }

    static func pText(_ p: Double) -> String {
        p < 0.0001 ? "p < 0.0001" : "p = " + Formatting.fixed(p, digits: 4)
    }

    static func signedPercent(_ fraction: Double) -> String {
        (fraction >= 0 ? "+" : "") + Formatting.fixed(fraction * 100, digits: 2) + " %"
    }
}
