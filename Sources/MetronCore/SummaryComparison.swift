extension MetricComparison {
    /// Baseline against current when at least one side is a summary without samples
    /// (`Metric.isSummary`, an import from a harness that keeps none). No test that needs
    /// samples can run — neither the rank test nor the bootstrap of the change — so `pValue` is
    /// NaN, `changeCI` nil, and the verdict rests on the ranges the sides report
    /// (`Statistics.reportedRange`: the source's bounds, else min–max):
    /// - slower or faster only when the two ranges lie apart by more than the floor (the
    ///   acceptable band, or the session-to-session threshold when `history` is given) times the
    ///   baseline's mean: mere non-overlap of ± σ ranges would call 8 % of simulated A/A pairs under
    ///   a 2 % session drift (`SummaryValidityTests`, docs/validity.md);
    /// - no change only when both ranges lie within ±floor of the baseline's mean;
    /// - otherwise, or when a side reports no range, inconclusive.
    /// `evidence` always says that the verdict comes from summaries, and why.
    public static func compareSummaries(benchmark: String, parameters: [Parameter] = [], metric: MetricID, unit: MetricUnit,
                                        polarity: Polarity? = nil, baseline: Statistics, current: Statistics,
                                        baselineHasSamples: Bool = false, currentHasSamples: Bool = false,
                                        bands: RegressionBands = RegressionBands(), history: SessionNoise? = nil,
                                        noiseFloor: Double = SessionNoise.defaultNoiseFloor) -> MetricComparison {
        let polarity = polarity ?? metric.polarity(unit: unit)
        let worseIsHigher = polarity == .lowerIsBetter
        func side(_ s: Statistics) -> Side {
            Side(count: s.count, mean: s.mean, median: s.median, p95: s.percentiles.p95)
        }
        let b = side(baseline), c = side(current)
        let change = b.mean != 0 ? (worseIsHigher ? 1.0 : -1.0) * (c.mean / b.mean - 1) : 0
        let session = history.map { $0.threshold(noiseFloor: noiseFloor) }
        let floor = max(bands.acceptable, session?.value ?? 0)
        let floorText = Formatting.fixed(floor * 100, digits: 1) + " %"
        let which = [baselineHasSamples ? nil : "the baseline", currentHasSamples ? nil : "the current run"]
            .compactMap { $0 }.joined(separator: " and ")
        let origin = "no raw samples in \(which) (a summary from the source), so no significance test"

        var verdict = Verdict.inconclusive
        var evidence: String
        if let before = baseline.reportedRange, let now = current.reportedRange {
            let apart = now.lower > before.upper || now.upper < before.lower
            // Without samples, nothing bounds the session-to-session drift: the ranges must be
            // apart by more than the floor, not merely not overlap.
            let gap = max(now.lower - before.upper, before.lower - now.upper)
            let clear = b.mean > 0 && gap > floor * b.mean
            let ranges = "[\(Formatting.value(before.lower, unit)), \(Formatting.value(before.upper, unit))] and "
                + "[\(Formatting.value(now.lower, unit)), \(Formatting.value(now.upper, unit))]"
            let within = b.mean > 0 && [before.lower, before.upper, now.lower, now.upper].allSatisfy { abs($0 / b.mean - 1) <= floor }
            if clear {
                verdict = change > 0 ? .slower : .faster
                evidence = "\(origin): judged by the reported ranges \(ranges) lying more than \(floorText) of the baseline's mean apart"
            } else if within {
                verdict = .noChange
                evidence = "\(origin): both reported ranges \(ranges) lie within ±\(floorText) of the baseline's mean"
            } else {
                evidence = "\(origin): the reported ranges \(ranges) "
                    + (apart ? "do not overlap, but lie within \(floorText) of each other" : "overlap and reach beyond ±\(floorText)")
            }
        } else {
            evidence = "\(origin), and \(baseline.reportedRange == nil ? "the baseline" : "the current run") reports no range "
                + "to judge the change by: import results with their samples (pytest-benchmark --benchmark-save-data, "
                + "Google Benchmark repetitions) for a verdict"
        }
        if let session { evidence += "; \(session.note)" }
        return MetricComparison(benchmark: benchmark, parameters: parameters, metric: metric, unit: unit, baseline: b,
                                current: c, change: change, changeCI: nil, pValue: .nan, verdict: verdict,
                                band: verdict == .slower ? bands.band(for: change) : .acceptable,
                                polarity: polarity, evidence: evidence)
    }
}
