import FoundationEssentials
import MetronCore

/// `go test -bench` text (the Go benchmark format): `BenchmarkName-P  N  value unit  value unit …`,
/// one line per benchmark per `-count` repetition. Each repetition is one sample: ns/op as wall
/// time per iteration, B/op and allocs/op as allocated bytes and allocations, other units as
/// metrics of their own name. `Sort/size=10` is Sort with the parameter size=10; the `-P`
/// suffix (GOMAXPROCS) is recorded as the parameter `procs`.
public enum GoBenchImport {
    /// "BenchmarkX-8   1000   123 ns/op …".
    static func isResultLine(_ line: Substring) -> Bool {
        guard line.hasPrefix("Benchmark") else { return false }
        let fields = line.split(whereSeparator: \.isWhitespace)
        return fields.count >= 4 && Int(fields[1]) != nil && Double(fields[2]) != nil
    }

    public static func convert(_ data: Data, context: ImportContext) throws(ImportFailure) -> RunReport {
        guard let text = String(data: data, encoding: .utf8) else { throw ImportFailure(file: context.file, reason: "not UTF-8 text") }
        var order: [String] = []
        var parameters: [String: [Parameter]] = [:]
        var names: [String: String] = [:]
        var samples: [String: [(MetricID, MetricUnit, Double)]] = [:]
        var cpu: String?
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("cpu:") { cpu = String(line.dropFirst(4).drop(while: \.isWhitespace)) }
            guard line.hasPrefix("Benchmark"), line.contains(where: \.isWhitespace) else { continue }
            let fields = line.split(whereSeparator: \.isWhitespace).map(String.init)
            let location = "\(number + 1)"
            guard fields.count >= 4, fields.count % 2 == 0, Int(fields[1]) != nil else {
                throw ImportFailure(file: context.file, location: location,
                                    reason: "not a benchmark result line (BenchmarkName  iterations  value unit …): '\(line)'")
            }
            let (name, params) = split(String(fields[0].dropFirst("Benchmark".count)))
            let key = BenchmarkKey.of(name: name, parameters: params)
            if parameters[key] == nil {
                order.append(key)
                parameters[key] = params
                names[key] = name
            }
            for pair in stride(from: 2, to: fields.count, by: 2) {
                guard let value = Double(fields[pair]), value.isFinite else {
                    throw ImportFailure(file: context.file, location: location, reason: "'\(fields[pair])' is not a number")
                }
                samples[key, default: []].append(metric(value, unit: fields[pair + 1]))
            }
        }
        guard !order.isEmpty else { throw ImportFailure(file: context.file, reason: "no benchmark result lines (BenchmarkName-P  N  value ns/op)") }
        let benchmarks = order.map { key -> BenchmarkResult in
            let params = parameters[key]!
            let name = names[key]!
            var byMetric: [(MetricID, MetricUnit, [Double])] = []
            for (id, unit, value) in samples[key]! {
                if let index = byMetric.firstIndex(where: { $0.0 == id }) { byMetric[index].2.append(value) } else { byMetric.append((id, unit, [value])) }
            }
            return BenchmarkResult(name: name, kind: .inProcess, parameters: params,
                                   metrics: byMetric.compactMap { Metric.imported($0.0, $0.1, $0.2) })
        }
        var machine = context.machine
        if let cpu { machine?.cpuModel = cpu }
        return context.report(benchmarks, format: .go, content: data, machine: machine)
    }

    /// "Sort/size=10-8" → ("Sort", [size=10, procs=8]); a sub-benchmark without `=` stays in the name.
    static func split(_ full: String) -> (String, [Parameter]) {
        var name = full
        var parameters: [Parameter] = []
        if let dash = name.lastIndex(of: "-"), let procs = Int(name[name.index(after: dash)...]) {
            parameters.append(Parameter(name: "procs", value: String(procs)))
            name = String(name[..<dash])
        }
        var parts = name.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var named: [Parameter] = []
        parts.removeAll { part in
            guard let equals = part.firstIndex(of: "="), equals != part.startIndex else { return false }
            named.append(Parameter(name: String(part[..<equals]), value: String(part[part.index(after: equals)...])))
            return true
        }
        return (parts.joined(separator: "/"), named + parameters)
    }

    static func metric(_ value: Double, unit: String) -> (MetricID, MetricUnit, Double) {
        switch unit {
        case "ns/op": return (.wallTime, .seconds, value * 1e-9)
        case "B/op": return (.allocatedBytes, .bytes, value)
        case "allocs/op": return (.allocations, .count, value)
        case "MB/s": return ("bytes_per_second", .perSecond, value * 1e6)
        default: return (MetricID(unit), .count, value)
        }
    }
}
