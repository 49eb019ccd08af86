import FoundationEssentials
import MetronCore
import MetronJSON

/// Google Benchmark `--benchmark_format=json` (or `--benchmark_out`): each repetition row
/// (`run_type` "iteration") is one sample of its benchmark — real time per iteration as wall
/// time, CPU time, and every user counter as a metric of its own name. Aggregate rows (mean,
/// median, stddev, cv) are statistics of those same repetitions and are not stored twice; a
/// benchmark with aggregates only (`--benchmark_report_aggregates_only`) is stored as their
/// summary. BigO and RMS rows are Google Benchmark's own complexity fit over the arguments;
/// Metron fits complexity from the parameterised results itself and does not store them. `BM_Sort/64` is BM_Sort with the parameter `arg`=64 (`n:64` with ArgNames: n=64).
public enum GoogleBenchmarkImport {
    struct Document: Decodable {
        var context: Context?
        var benchmarks: [Row]
    }

    struct Context: Decodable {
        var date: String?
        var hostName: String?
        var numCpus: Int?
        enum CodingKeys: String, CodingKey { case date, hostName = "host_name", numCpus = "num_cpus" }
    }

    struct Row: Decodable {
        var runName: String
        var runType: String?
        var errorOccurred: Bool?
        var errorMessage: String?
        var realTime: Double?
        var cpuTime: Double?
        var timeUnit: String?
        var aggregateName: String?
        var repetitions: Int?
        /// The row's other numbers: user counters, items_per_second, bytes_per_second.
        var counters: [(String, Double)] = []

        static let known: Set<String> = ["name", "family_index", "per_family_instance_index", "run_name", "run_type", "repetitions",
                                         "repetition_index", "threads", "iterations", "real_time", "cpu_time", "time_unit",
                                         "aggregate_name", "aggregate_unit", "error_occurred", "error_message", "label"]

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            runName = try container.decode(String.self, forKey: Key(stringValue: "run_name"))
            runType = try container.decodeIfPresent(String.self, forKey: Key(stringValue: "run_type"))
            errorOccurred = try container.decodeIfPresent(Bool.self, forKey: Key(stringValue: "error_occurred"))
            errorMessage = try container.decodeIfPresent(String.self, forKey: Key(stringValue: "error_message"))
            realTime = try container.decodeIfPresent(Double.self, forKey: Key(stringValue: "real_time"))
            cpuTime = try container.decodeIfPresent(Double.self, forKey: Key(stringValue: "cpu_time"))
            timeUnit = try container.decodeIfPresent(String.self, forKey: Key(stringValue: "time_unit"))
            aggregateName = try container.decodeIfPresent(String.self, forKey: Key(stringValue: "aggregate_name"))
            repetitions = try container.decodeIfPresent(Int.self, forKey: Key(stringValue: "repetitions"))
            for key in container.allKeys where !Self.known.contains(key.stringValue) {
                if let value = try? container.decode(Double.self, forKey: key) { counters.append((key.stringValue, value)) }
            }
        }
    }

    public static func convert(_ data: Data, context: ImportContext) throws(ImportFailure) -> RunReport {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: data)
        } catch {
            throw ImportFailure(file: context.file, reason: "not Google Benchmark JSON: " + JSONExport.describe(error))
        }
        var order: [String] = []
        var rows: [String: [Row]] = [:]
        for (index, row) in document.benchmarks.enumerated() where (row.runType ?? "iteration") == "iteration" {
            guard row.errorOccurred != true else {
                throw ImportFailure(file: context.file, location: "benchmarks[\(index)]",
                                    reason: "'\(row.runName)' failed in Google Benchmark: \(row.errorMessage ?? "error_occurred")")
            }
            guard scale(row.timeUnit) != nil, row.realTime.map({ $0.isFinite && $0 >= 0 }) == true else {
                throw ImportFailure(file: context.file, location: "benchmarks[\(index)]",
                                    reason: "real_time and time_unit (ns, us, ms, s) are needed, got \(row.timeUnit ?? "none")")
            }
            if rows[row.runName] == nil { order.append(row.runName) }
            rows[row.runName, default: []].append(row)
        }
        // --benchmark_report_aggregates_only: a benchmark known by its aggregates alone.
        var aggregates: [String: [String: Row]] = [:]
        for (index, row) in document.benchmarks.enumerated() where row.runType == "aggregate" && rows[row.runName] == nil {
            guard let aggregate = row.aggregateName, ["mean", "median", "stddev"].contains(aggregate) else { continue }
            guard scale(row.timeUnit) != nil, row.realTime?.isFinite == true else {
                throw ImportFailure(file: context.file, location: "benchmarks[\(index)]",
                                    reason: "real_time and time_unit (ns, us, ms, s) are needed, got \(row.timeUnit ?? "none")")
            }
            if aggregates[row.runName] == nil { order.append(row.runName) }
            aggregates[row.runName, default: [:]][aggregate] = row
        }
        guard !order.isEmpty else {
            throw ImportFailure(file: context.file, location: "benchmarks", reason: "no repetition rows (run_type iteration) and no mean aggregates")
        }
        var benchmarks: [BenchmarkResult] = []
        for runName in order {
            let (name, parameters) = split(runName)
            if let group = rows[runName] {
                benchmarks.append(BenchmarkResult(name: name, kind: .inProcess, parameters: parameters, metrics: metrics(of: group)))
            } else if let summary = aggregates[runName], let mean = summary["mean"] {
                func figure(_ aggregate: String, _ value: KeyPath<Row, Double?>) -> Double? {
                    summary[aggregate].flatMap { row in row[keyPath: value].map { $0 * scale(row.timeUnit)! } }
                }
                var metrics = [Metric(id: .wallTime, unit: .seconds,
                                      summary: StatisticsSummary(count: mean.repetitions, mean: figure("mean", \.realTime)!,
                                                                 median: figure("median", \.realTime), stddev: figure("stddev", \.realTime)))]
                if let cpu = figure("mean", \.cpuTime) {
                    metrics.append(Metric(id: .cpuTime, unit: .seconds,
                                          summary: StatisticsSummary(count: mean.repetitions, mean: cpu, median: figure("median", \.cpuTime),
                                                                     stddev: figure("stddev", \.cpuTime))))
                }
                benchmarks.append(BenchmarkResult(name: name, kind: .inProcess, parameters: parameters, metrics: metrics))
            }
        }
        var machine = context.machine
        if let host = document.context?.hostName, host != machine?.hostname {
            machine?.hostname = host
            machine?.memoryBytes = 0
        }
        if let cores = document.context?.numCpus { machine?.logicalCores = cores }
        let started = document.context?.date.flatMap { Timestamp(iso8601: $0) }
        return context.report(benchmarks, format: .googleBenchmark, content: data, startedAt: started, machine: machine)
    }

    /// Wall time, CPU time and the user counters of a benchmark's repetition rows.
    static func metrics(of group: [Row]) -> [Metric] {
        var metrics = [Metric.imported(.wallTime, .seconds, group.map { $0.realTime! * scale($0.timeUnit)! })]
        if group.allSatisfy({ $0.cpuTime != nil }) {
            metrics.append(.imported(.cpuTime, .seconds, group.map { $0.cpuTime! * scale($0.timeUnit)! }))
        }
        for (key, _) in group[0].counters {
            let values = group.compactMap { row in row.counters.first { $0.0 == key }?.1 }
            guard values.count == group.count else { continue }
            let unit: MetricUnit = key.hasSuffix("_per_second") ? .perSecond : .count
            metrics.append(.imported(MetricID(key), unit, values))
        }
        return metrics.compactMap { $0 }
    }

    static func scale(_ unit: String?) -> Double? {
        switch unit ?? "ns" {
        case "ns": 1e-9
        case "us": 1e-6
        case "ms": 1e-3
        case "s": 1
        default: nil
        }
    }

    /// "BM_Sort/64/real_time" → ("BM_Sort", [arg=64]); "BM_X/n:8/threads:2" → ("BM_X", [n=8, threads=2]).
    static func split(_ runName: String) -> (String, [Parameter]) {
        let parts = runName.split(separator: "/").map(String.init)
        var parameters: [Parameter] = []
        var positional = 0
        for part in parts.dropFirst() {
            if let colon = part.firstIndex(of: ":") {
                parameters.append(Parameter(name: String(part[..<colon]), value: String(part[part.index(after: colon)...])))
            } else if Double(part) != nil {
                positional += 1
                parameters.append(Parameter(name: positional == 1 ? "arg" : "arg\(positional)", value: part))
            } else {
                parameters.append(Parameter(name: part, value: "true"))
            }
        }
        return (parts.first ?? runName, parameters)
    }
}
