import FoundationEssentials
import MetronCore

/// Bencher Metric Format (BMF) JSON, both ways: `{ benchmark: { measure: { value, lower_value,
/// upper_value } } }`. Measures follow Bencher's conventions: `latency` is wall time in
/// nanoseconds, `throughput` operations per second. Metron's other metrics are measures named by
/// their id with `-` for `_` (`peak-rss`), durations in nanoseconds like `latency`, everything
/// else in Metron's SI unit (bytes, percent, counts).
public enum BMFJSON {
    public struct Figure: Codable, Sendable, Equatable {
        public var value: Double
        public var lowerValue: Double?
        public var upperValue: Double?

        public init(value: Double, lowerValue: Double? = nil, upperValue: Double? = nil) {
            self.value = value
            self.lowerValue = lowerValue
            self.upperValue = upperValue
        }

        enum CodingKeys: String, CodingKey { case value, lowerValue = "lower_value", upperValue = "upper_value" }
    }

    /// A measure slug for a metric, and the factor from Metron's unit to the measure's.
    public static func measure(for id: MetricID, unit: MetricUnit) -> (slug: String, scale: Double) {
        switch id {
        case .wallTime: ("latency", 1e9)
        case .operationsPerSecond: ("throughput", 1)
        default: (id.rawValue.replacingAll("_", with: "-"), unit == .seconds ? 1e9 : 1)
        }
    }

    /// A measure slug as Metron's metric and unit, and the factor from the measure's unit to
    /// Metron's: the inverse of `measure(for:unit:)` for Metron's metrics, Bencher's own
    /// `file-size` and `build-time`, and a count for any other slug.
    public static func metric(forMeasure slug: String) -> (id: MetricID, unit: MetricUnit, scale: Double) {
        switch slug {
        case "latency": return (.wallTime, .seconds, 1e-9)
        case "throughput": return (.operationsPerSecond, .perSecond, 1)
        case "file-size": return ("file_size", .bytes, 1)
        case "build-time": return ("build_time", .seconds, 1)
        default:
            let id = MetricID(slug.replacingAll("-", with: "_"))
            let unit = id.wellKnownUnit ?? .count
            return (id, unit, unit == .seconds ? 1e-9 : 1)
        }
    }

    /// The BMF document of `report`: each benchmark (by its key, parameters included) with the
    /// mean of every metric and, as bounds, the mean's confidence interval (else the imported
    /// summary's bounds). Keys are sorted, so the text is stable.
    public static func bytes(_ report: RunReport) throws -> [UInt8] {
        var document: [String: [String: Figure]] = [:]
        for result in report.benchmarks {
            var measures: [String: Figure] = [:]
            for metric in result.metrics where metric.statistics.mean.isFinite {
                let (slug, scale) = measure(for: metric.id, unit: metric.unit)
                let s = metric.statistics
                let lower = s.meanCI?.lower ?? s.bounds?.lower
                let upper = s.meanCI?.upper ?? s.bounds?.upper
                measures[slug] = Figure(value: s.mean * scale, lowerValue: lower.map { $0 * scale }, upperValue: upper.map { $0 * scale })
            }
            if !measures.isEmpty { document[result.key] = measures }
        }
        return try JSONWriter.encode(document)
    }
}
