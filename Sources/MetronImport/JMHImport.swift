import FoundationEssentials
import MetronCore
import MetronJSON

/// JMH's JSON result format (`-rf json`), as Java's JMH writes it and as package-benchmark
/// (ordo-one/benchmark, `swift package benchmark --format jmh`) exports Swift benchmarks. Every
/// entry's `rawData` (all forks' values) are its samples: the primary metric by the mode
/// (`thrpt` operations per second, else time per operation), and every secondary metric.
/// package-benchmark names its entries `package.benchmark.TARGET.NAME` (spaces as `_`): TARGET
/// becomes the suite, NAME the benchmark, and its metric descriptions ("Time (wall clock)",
/// "Malloc (total)") Metron's metrics. package-benchmark records its values in an HDR
/// histogram and writes them with three decimals, so the samples carry that resolution.
public enum JMHImport {
    struct Entry: Decodable {
        var benchmark: String
        var mode: String?
        var params: [String: String]?
        var primaryMetric: Score
        var secondaryMetrics: [String: Score]?
    }

    struct Score: Decodable {
        var score: Double?
        var scoreUnit: String
        var rawData: [[Double]]?
    }

    public static func convert(_ data: Data, context: ImportContext) throws(ImportFailure) -> RunReport {
        let entries: [Entry]
        do {
            entries = try JSONDecoder().decode([Entry].self, from: data)
        } catch {
            throw ImportFailure(file: context.file, reason: "not JMH JSON: " + JSONExport.describe(error))
        }
        guard !entries.isEmpty else { throw ImportFailure(file: context.file, reason: "no benchmarks") }
        var benchmarks: [BenchmarkResult] = []
        for (index, entry) in entries.enumerated() {
            var name = entry.benchmark
            var suite: String?
            let prefix = "package.benchmark."
            if name.hasPrefix(prefix), let dot = name.dropFirst(prefix.count).firstIndex(of: ".") {
                suite = String(name[name.index(name.startIndex, offsetBy: prefix.count)..<dot])
                name = String(name[name.index(after: dot)...]).replacingAll("_", with: " ")
            }
            let primaryID: MetricID = entry.mode == "thrpt" || entry.mode == nil ? .operationsPerSecond : .wallTime
            var metrics: [Metric] = []
            var scores = [(primaryID, "primaryMetric", entry.primaryMetric)]
            for key in (entry.secondaryMetrics ?? [:]).keys.sorted() {
                let id = PackageBenchmarkMetrics.id(forDescription: key) ?? MetricID(slug(key))
                scores.append((id, "secondaryMetrics.\(key)", entry.secondaryMetrics![key]!))
            }
            for (id, path, score) in scores {
                let location = "[\(index)].\(path)"
                guard let (unit, scale) = unit(score.scoreUnit, for: id) else {
                    throw ImportFailure(file: context.file, location: location + ".scoreUnit", reason: "unknown unit '\(score.scoreUnit)'")
                }
                let values = (score.rawData ?? []).flatMap { $0 }
                guard !values.isEmpty else {
                    throw ImportFailure(file: context.file, location: location + ".rawData",
                                        reason: "no raw data: Metron compares samples, and JMH writes them for every measured benchmark")
                }
                guard values.allSatisfy(\.isFinite) else {
                    throw ImportFailure(file: context.file, location: location + ".rawData", reason: "a value is not a finite number")
                }
                // A JMH time mode's primary metric is time per operation.
                let metricID = id == .operationsPerSecond && unit == .seconds ? .wallTime : id
                guard !metrics.contains(where: { $0.id == metricID }) else { continue }
                metrics.append(Metric(id: metricID, unit: unit, samples: values.map { $0 * scale }))
            }
            let parameters = (entry.params ?? [:]).sorted { $0.key < $1.key }.map { Parameter(name: $0.key, value: $0.value) }
            benchmarks.append(BenchmarkResult(name: name, kind: .inProcess, suite: suite, parameters: parameters, metrics: metrics))
        }
        return context.report(benchmarks, format: .jmh, content: data)
    }

    /// JMH's score units and package-benchmark's ("μs", "#", "# / s") as Metron's unit and the
    /// factor to it; a package-benchmark count ("#") of a byte metric is bytes.
    static func unit(_ text: String, for id: MetricID) -> (MetricUnit, Double)? {
        let perOperation = text.hasSuffix("/op") ? String(text.dropLast(3)) : text
        switch perOperation {
        case "ns": return (.seconds, 1e-9)
        case "us", "μs", "µs": return (.seconds, 1e-6)
        case "ms": return (.seconds, 1e-3)
        case "s": return (.seconds, 1)
        default: break
        }
        switch text {
        case "#", "B": return (isBytes(id) || text == "B" ? .bytes : .count, 1)
        case "# / s", "ops/s": return (.perSecond, 1)
        case "ops/ms": return (.perSecond, 1e3)
        case "ops/us": return (.perSecond, 1e6)
        case "ops/ns": return (.perSecond, 1e9)
        case "ops/min": return (.perSecond, 1.0 / 60)
        default: return nil
        }
    }

    /// package-benchmark counts memory in bytes under the unit "#".
    static func isBytes(_ id: MetricID) -> Bool {
        id.wellKnownUnit == .bytes || id.rawValue.hasPrefix("memory") || id.rawValue.hasPrefix("bytes")
            || id.rawValue.hasSuffix("_bytes")
    }

    /// "Malloc (bytes total)" → "malloc_bytes_total".
    static func slug(_ text: String) -> String {
        var result = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber { result.append(character) }
            else if !result.isEmpty, result.last != "_" { result.append("_") }
        }
        while result.last == "_" { result.removeLast() }
        return result
    }
}

/// package-benchmark's metric descriptions (`BenchmarkMetric.description`) as Metron's metrics;
/// the others keep their description as a slug.
enum PackageBenchmarkMetrics {
    static func id(forDescription description: String) -> MetricID? {
        switch description {
        case "Time (wall clock)": .wallTime
        case "Time (total CPU)": .cpuTime
        case "Time (user CPU)": .userTime
        case "Time (system CPU)": .systemTime
        case "Throughput (# / s)": .operationsPerSecond
        case "Memory (resident peak)": .peakRSS
        case "Malloc (total)": .allocations
        case "Malloc (bytes total)": .allocatedBytes
        case "Instructions": .instructions
        case "Bytes (read logical)": .readChars
        case "Bytes (write logical)": .writeChars
        case "Bytes (read physical)": .readBytes
        case "Bytes (write physical)": .writeBytes
        default: nil
        }
    }
}
