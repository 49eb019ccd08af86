extension MetricComparison {
    /// Baseline against current for deterministic counts (`Metric.deterministic`: instructions
    /// and estimated cycles on Valgrind's simulated CPU). One run a side is the whole evidence:
    /// the count does not scatter, so there is no sample to test and `pValue` is NaN. The
    /// verdict is the change against the deterministic band (`bands.deterministicAcceptable`,
    /// 0.2 % by default), widened by the spread the counts did show when a side has several runs
    /// that differ (a program that reads the clock or a random seed):
    /// - beyond the band plus that spread: slower or faster, graded by the deterministic bands;
    /// - within the band, and the counts steady: no change;
    /// - otherwise (the spread alone exceeds the band and the change is within it): inconclusive.
    public static func compareDeterministic(benchmark: String, parameters: [Parameter] = [], metric: MetricID, unit: MetricUnit,
                                            polarity: Polarity? = nil, baseline: [Double], current: [Double],
                                            bands: RegressionBands = RegressionBands()) -> MetricComparison {
        let polarity = polarity ?? metric.polarity(unit: unit)
        func side(_ samples: [Double]) -> Side {
            let sorted = samples.sorted()
            return Side(count: samples.count, mean: samples.reduce(0, +) / Double(max(samples.count, 1)),
                        median: percentile(sorted: sorted, 50), p95: percentile(sorted: sorted, 95))
        }
        let b = side(baseline), c = side(current)
        let sign = polarity == .lowerIsBetter ? 1.0 : -1.0
        let change = b.mean != 0 ? sign * (c.mean / b.mean - 1) : (c.mean == 0 ? 0 : sign * .infinity)
        func spread(_ samples: [Double]) -> Double {
            guard let low = samples.min(), let high = samples.max(), b.mean > 0 else { return 0 }
            return (high - low) / b.mean
        }
        let scatter = max(spread(baseline), spread(current))
        let band = bands.deterministicAcceptable
        let threshold = band + scatter
        let percent = { (value: Double) in Formatting.fixed(value * 100, digits: value < 0.01 ? 2 : 1) + " %" }
        let runs = "\(baseline.count) and \(current.count) run\(baseline.count + current.count == 2 ? "" : "s")"
        var verdict: Verdict
        var evidence = "deterministic counts (Valgrind's simulated CPU), \(runs): no test needed; "
        if abs(change) > threshold {
            verdict = change > 0 ? .slower : .faster
            evidence += "the change lies beyond the deterministic band ±\(percent(band))"
                + (scatter > 0 ? " plus the counts' own spread \(percent(scatter))" : "")
        } else if scatter <= band {
            verdict = .noChange
            evidence += "the change lies within the deterministic band ±\(percent(band))"
        } else {
            verdict = .inconclusive
            evidence += "the counts of one side spread by \(percent(scatter)), more than the band ±\(percent(band)): "
                + "the program does not do the same work every run (a clock, a random seed, another process?)"
        }
        let graded = bands.forDeterministic
        return MetricComparison(benchmark: benchmark, parameters: parameters, metric: metric, unit: unit, baseline: b,
                                current: c, change: change, changeCI: nil, pValue: .nan, verdict: verdict,
                                band: verdict == .slower ? graded.band(for: change) : .acceptable,
                                polarity: polarity, evidence: evidence, deterministic: true)
    }
}
