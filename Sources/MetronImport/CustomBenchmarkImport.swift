import FoundationEssentials
import MetronCore
import MetronJSON

/// github-action-benchmark's custom tool format (`customSmallerIsBetter`,
/// `customBiggerIsBetter`): `[{ name, unit, value, range?, extra? }]`, one figure per entry, so
/// every metric is a summary (`Metric.isSummary`); a numeric `range` ("± 0.5", "3") becomes
/// bounds of value ∓ range. package-benchmark's `--format jsonSmallerIsBetter` writes this
/// format with names "BENCHMARK - METRIC" and the 99th percentile as the value: such an entry is
/// stored as the metric METRIC_p99 (`wall_time_p99`), so it is never mistaken for a mean.
/// Other names are benchmarks of their own; the unit says the metric (a time unit is wall time,
/// a rate operations per second, anything else the custom metric `value`). `polarity` is the
/// file's (the two formats' names): the entries themselves do not say which way is better.
public enum CustomBenchmarkImport {
    struct Entry: Decodable {
        var name: String
        var unit: String
        var value: Double
        var range: String?
    }

    public static func convert(_ data: Data, context: ImportContext, polarity: Polarity = .lowerIsBetter) throws(ImportFailure) -> RunReport {
        let entries: [Entry]
        do {
            entries = try JSONDecoder().decode([Entry].self, from: data)
        } catch {
            throw ImportFailure(file: context.file, reason: "not github-action-benchmark custom JSON: " + JSONExport.describe(error))
        }
        guard !entries.isEmpty else { throw ImportFailure(file: context.file, reason: "no benchmarks") }
        var order: [String] = []
        var metrics: [String: [Metric]] = [:]
        for (index, entry) in entries.enumerated() {
            guard entry.value.isFinite else {
                throw ImportFailure(file: context.file, location: "[\(index)].value", reason: "the value must be a finite number")
            }
            var name = entry.name
            var id: MetricID
            var unit: MetricUnit
            var scale: Double
            var declared = polarity
            let separator = " - "
            if let split = entry.name.split(separator: separator).last.map(String.init), split != entry.name,
               let known = PackageBenchmarkMetrics.id(forDescription: split) {
                name = String(entry.name.dropLast(split.count + separator.count))
                guard let (u, s) = JMHImport.unit(entry.unit == "#" ? "#" : entry.unit, for: known) ?? countUnit(entry.unit) else {
                    throw ImportFailure(file: context.file, location: "[\(index)].unit", reason: "unknown unit '\(entry.unit)'")
                }
                (id, unit, scale) = (MetricID(known.rawValue + "_p99"), u, s)
                declared = known.polarity(unit: u)
            } else if let split = entry.name.split(separator: separator).last.map(String.init), split != entry.name,
                      let known = MetricID(split).wellKnownUnit, let (u, s) = JMHImport.unit(entry.unit, for: MetricID(split)) ?? metronUnit(entry.unit) {
                // "KEY - METRIC", as Metron's own export names its metrics.
                name = String(entry.name.dropLast(split.count + separator.count))
                (id, unit, scale) = (MetricID(split), known == .bytes || known == .percent ? known : u, s)
                declared = MetricID(split).polarity(unit: unit)
            } else if let (u, s) = JMHImport.unit(entry.unit, for: "value"), u == .seconds || u == .perSecond {
                (id, unit, scale) = (u == .seconds ? .wallTime : .operationsPerSecond, u, s)
            } else {
                (id, unit, scale) = ("value", .count, 1)
            }
            var bounds: ReportedBounds?
            if let range = entry.range {
                let digits = range.filter { $0.isNumber || $0 == "." || $0 == "e" || $0 == "-" }
                guard let width = Double(digits.hasPrefix("-") ? String(digits.dropFirst()) : digits), width.isFinite else {
                    throw ImportFailure(file: context.file, location: "[\(index)].range", reason: "'\(range)' is not a number such as \"± 0.5\"")
                }
                bounds = ReportedBounds(lower: (entry.value - width) * scale, upper: (entry.value + width) * scale)
            }
            if metrics[name] == nil { order.append(name) }
            guard metrics[name]?.contains(where: { $0.id == id }) != true else {
                throw ImportFailure(file: context.file, location: "[\(index)].name", reason: "'\(entry.name)' appears twice")
            }
            metrics[name, default: []].append(Metric(id: id, unit: unit, summary: StatisticsSummary(mean: entry.value * scale, bounds: bounds),
                                                     polarity: declared))
        }
        let benchmarks = order.map { key in
            let (name, parameters) = BenchmarkKey.parse(key)
            return BenchmarkResult(name: name, kind: .inProcess, parameters: parameters, metrics: metrics[key]!)
        }
        return context.report(benchmarks, format: polarity == .lowerIsBetter ? .customSmallerIsBetter : .customBiggerIsBetter, content: data)
    }

    /// Metron's own labels (`CustomBenchmarkJSON.unit`) that JMH does not use.
    static func metronUnit(_ text: String) -> (MetricUnit, Double)? {
        switch text {
        case "%": (.percent, 1)
        case "count": (.count, 1)
        default: nil
        }
    }

    /// package-benchmark's scaled counts: "#", "K", "M", "G".
    static func countUnit(_ text: String) -> (MetricUnit, Double)? {
        switch text {
        case "K", "k": (.count, 1e3)
        case "M": (.count, 1e6)
        case "G": (.count, 1e9)
        default: nil
        }
    }
}
