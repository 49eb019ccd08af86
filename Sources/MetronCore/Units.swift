/// The unit of a metric. Stored values are always SI base units: seconds and bytes.
public enum MetricUnit: String, Codable, Sendable, Hashable {
    case seconds = "s"
    case bytes = "B"
    case percent = "%"
    case count
    case perSecond = "1/s"
}

/// A metric's identifier. Well-known metrics have constants; custom counters use any string.
public struct MetricID: RawRepresentable, Codable, Sendable, Hashable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }

    public init(from decoder: Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static let wallTime: MetricID = "wall_time"
    public static let userTime: MetricID = "user_time"
    public static let systemTime: MetricID = "system_time"
    public static let cpuPercent: MetricID = "cpu_percent"
    public static let peakRSS: MetricID = "peak_rss"
    public static let peakRSSTree: MetricID = "peak_rss_tree"
    public static let readBytes: MetricID = "read_bytes"
    public static let writeBytes: MetricID = "write_bytes"
    public static let readChars: MetricID = "read_chars"
    public static let writeChars: MetricID = "write_chars"
    public static let voluntaryContextSwitches: MetricID = "voluntary_context_switches"
    public static let involuntaryContextSwitches: MetricID = "involuntary_context_switches"
    public static let minorPageFaults: MetricID = "minor_page_faults"
    public static let majorPageFaults: MetricID = "major_page_faults"
}

/// What in-process benchmarks (the `Metron` library) measure besides wall time. Here, next to
/// the command metrics, because budgets, recommendations and reports read them too.
extension MetricID {
    /// Process CPU time (all threads) per iteration.
    public static let cpuTime: MetricID = "cpu_time"
    /// Heap allocations (malloc, calloc, realloc, aligned allocations) per iteration.
    public static let allocations: MetricID = "allocations"
    /// Requested heap bytes per iteration.
    public static let allocatedBytes: MetricID = "allocated_bytes"
    /// Resident memory after each sample minus before the first: growth while measuring.
    public static let rssGrowth: MetricID = "rss_growth"
    /// User-space instructions and CPU cycles per iteration (perf_event_open).
    public static let instructions: MetricID = "instructions"
    public static let cycles: MetricID = "cycles"
    /// Iterations per second (all workers together for concurrent benchmarks).
    public static let operationsPerSecond: MetricID = "operations_per_second"
    /// `itemsPerIteration` × iterations per second.
    public static let itemsPerSecond: MetricID = "items_per_second"
    /// Concurrent throughput ÷ (workers × one worker's throughput alone), in percent: the time of
    /// one worker alone doing one worker's share over the time all workers took together.
    public static let scalingEfficiency: MetricID = "scaling_efficiency"
    /// (time per iteration / the baseline benchmark's median time per iteration − 1), in percent.
    public static let overhead: MetricID = "overhead"
}


/// Which way a metric improves. Declared with the metric, never guessed from a figure.
public enum Polarity: String, Codable, Sendable {
    case lowerIsBetter
    case higherIsBetter
}

extension MetricID {
    /// Metrics for which a rise is an improvement. Every other well-known metric (times, bytes,
    /// counts of faults, switches, allocations, instructions, overhead) is better lower.
    static let higherIsBetter: Set<MetricID> = [.operationsPerSecond, .itemsPerSecond, .scalingEfficiency]

    /// The metric's polarity: the well-known table, else rates (1/s) are better higher and
    /// everything else lower. Custom counters declare theirs (`Metric.polarity`).
    public func polarity(unit: MetricUnit) -> Polarity {
        if Self.higherIsBetter.contains(self) || unit == .perSecond { return .higherIsBetter }
        return .lowerIsBetter
    }
}

extension MetricID {
    /// The unit of each well-known metric, for sources that name a metric but not its unit
    /// (Bencher Metric Format); nil for custom counters.
    public var wellKnownUnit: MetricUnit? {
        switch self {
        case .wallTime, .userTime, .systemTime, .cpuTime: .seconds
        case .peakRSS, .peakRSSTree, .readBytes, .writeBytes, .readChars, .writeChars, .allocatedBytes, .rssGrowth: .bytes
        case .cpuPercent, .scalingEfficiency, .overhead: .percent
        case .operationsPerSecond, .itemsPerSecond: .perSecond
        case .voluntaryContextSwitches, .involuntaryContextSwitches, .minorPageFaults, .majorPageFaults, .allocations,
             .instructions, .cycles, .l1Misses, .llMisses, .estimatedCycles, .hardwareInstructions: .count
        default: nil
        }
    }
}
