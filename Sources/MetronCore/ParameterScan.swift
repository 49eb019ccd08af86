/// The results of one benchmark across the numeric values of one parameter (the others held
/// fixed): sizes for a complexity fit, thread counts for a scaling check, a curve for a report.
public struct ParameterScan: Codable, Sendable, Equatable {
    public struct Point: Codable, Sendable, Equatable {
        public var value: Double
        /// Mean wall time in seconds.
        public var mean: Double
        public var stddev: Double
        public init(value: Double, mean: Double, stddev: Double) {
            self.value = value
            self.mean = mean
            self.stddev = stddev
        }
    }

    public var benchmark: String
    public var parameter: String
    /// The parameters held fixed along the scan.
    public var fixed: [Parameter]
    /// Sorted by value.
    public var points: [Point]
    /// The complexity fit of mean wall time against the parameter (nil with fewer than three
    /// distinct positive values).
    public var fit: ComplexityFit?

    /// "sort [mode=fast] over n".
    public var title: String { BenchmarkKey.of(name: benchmark, parameters: fixed) + " over \(parameter)" }

    /// Parameter names that count workers rather than sizes: `PoorScaling` judges these, the
    /// complexity rule skips them.
    public static let concurrencyParameters: Set<String> = [
        "threads", "thread", "workers", "worker", "jobs", "concurrency", "parallelism", "cores", "procs",
        "processes", "tasks",
    ]

    public var isConcurrency: Bool { Self.concurrencyParameters.contains(parameter.lowercased()) }

    /// Every scan in `results`: for each benchmark name and each parameter whose values are all
    /// numeric, the results that differ only in that parameter, when there are at least `minimumPoints`.
    public static func scans(in results: [BenchmarkResult], minimumPoints: Int = 3) -> [ParameterScan] {
        var scans: [ParameterScan] = []
        var order: [String] = []
        var byName: [String: [BenchmarkResult]] = [:]
        for result in results where !result.parameters.isEmpty {
            if byName[result.name] == nil { order.append(result.name) }
            byName[result.name, default: []].append(result)
        }
        for name in order {
            let group = byName[name]!
            let names = group.flatMap { $0.parameters.map(\.name) }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            for parameter in names {
                var series: [String: (fixed: [Parameter], points: [Point])] = [:]
                var seriesOrder: [String] = []
                for result in group {
                    guard let text = result.parameters.first(where: { $0.name == parameter })?.value,
                          let value = Double(text), value.isFinite,
                          let wall = result.wallTime, result.status == .ok else { continue }
                    let fixed = result.parameters.filter { $0.name != parameter }
                    let key = BenchmarkKey.label(fixed)
                    if series[key] == nil { seriesOrder.append(key) }
                    series[key, default: (fixed, [])].points.append(Point(value: value, mean: wall.mean, stddev: wall.stddev))
                }
                for key in seriesOrder {
                    let (fixed, points) = series[key]!
                    let sorted = points.sorted { $0.value < $1.value }
                    guard Set(sorted.map(\.value)).count >= minimumPoints else { continue }
                    let fit = ComplexityFit.fit(sizes: sorted.map(\.value), costs: sorted.map(\.mean))
                    scans.append(ParameterScan(benchmark: name, parameter: parameter, fixed: fixed, points: sorted, fit: fit))
                }
            }
        }
        return scans
    }
}
