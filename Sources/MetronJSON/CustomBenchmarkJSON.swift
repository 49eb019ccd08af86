import FoundationEssentials
import MetronCore

/// github-action-benchmark's custom tool formats (`customSmallerIsBetter`,
/// `customBiggerIsBetter`): `[{ name, unit, value, range, extra }]`, one entry per benchmark and
/// metric. Wall time is named by the benchmark's key alone, any other metric "KEY - METRIC".
/// Units stay the same from run to run, so a chart of the history never jumps: durations in
/// nanoseconds (as Bencher's latency), bytes in bytes, rates in ops/s. `range` is "± σ" of the
/// runs (absent for a summary without one), `extra` says what the value is.
public enum CustomBenchmarkJSON {
    public struct Entry: Codable, Sendable, Equatable {
        public var name: String
        public var unit: String
        public var value: Double
        public var range: String?
        public var extra: String?
    }

    /// The unit's label and the factor from Metron's unit to it.
    public static func unit(_ unit: MetricUnit) -> (label: String, scale: Double) {
        switch unit {
        case .seconds: ("ns", 1e9)
        case .bytes: ("B", 1)
        case .percent: ("%", 1)
        case .count: ("count", 1)
        case .perSecond: ("ops/s", 1)
        }
    }

    /// The entries of `report` whose metric is better in the direction `polarity`: the
    /// smaller-is-better file for `.lowerIsBetter`, the bigger-is-better one otherwise.
    public static func entries(_ report: RunReport, polarity: Polarity) -> [Entry] {
        var entries: [Entry] = []
        for result in report.benchmarks {
            for metric in result.metrics where metric.effectivePolarity == polarity && metric.statistics.mean.isFinite {
                let (label, scale) = unit(metric.unit)
                let s = metric.statistics
                let name = metric.id == .wallTime ? result.key : "\(result.key) - \(metric.id.rawValue)"
                let range = s.stddev.isFinite && s.count > 1 ? "± " + Formatting.fixed(s.stddev * scale, digits: 3) : nil
                let what = metric.isSummary ? "imported summary" : "mean of \(s.count) samples"
                entries.append(Entry(name: name, unit: label, value: s.mean * scale, range: range,
                                     extra: "\(what); median \(Formatting.value(s.median, metric.unit)); run \(report.id.prefix(8))"))
            }
        }
        return entries
    }

    public static func bytes(_ report: RunReport, polarity: Polarity) throws -> [UInt8] {
        try JSONWriter.encode(entries(report, polarity: polarity))
    }
}
