import MetronCore
/// How long and how often a benchmark is measured. Every field is optional so configurations
/// layer: Metron's defaults < `Benchmarks.defaults` < the benchmark's own < environment variables
/// (the operator's word wins, so CI can shorten every run without editing code).
public struct BenchmarkConfiguration: Sendable, Equatable {
    /// Time spent running the body before measuring (caches, lazy initialisation, JIT-like
    /// runtime work such as metadata instantiation). Default 100 ms. `METRON_WARMUP`.
    public var warmup: Duration?
    /// Upper bound on the measuring phase; sampling stops after the sample that crosses it.
    /// Default 1 s. `METRON_MAX_DURATION`.
    public var maxDuration: Duration?
    /// Upper bound on the number of samples. Default 100. `METRON_SAMPLES`.
    public var maxSamples: Int?
    /// The least time one sample should last; the inner iteration count is calibrated to reach
    /// it (and never below 1000 × the cost of reading the clock). Default 1 ms. `METRON_SAMPLE_TIME`.
    public var sampleTime: Duration?
    /// A fixed inner iteration count per sample, which turns calibration off. `METRON_ITERATIONS`.
    public var iterations: Int?
    /// Count allocations (through the preloaded malloc interposer). Default true.
    public var countAllocations: Bool?

    public init(warmup: Duration? = nil, maxDuration: Duration? = nil, maxSamples: Int? = nil,
                sampleTime: Duration? = nil, iterations: Int? = nil, countAllocations: Bool? = nil) {
        self.warmup = warmup
        self.maxDuration = maxDuration
        self.maxSamples = maxSamples
        self.sampleTime = sampleTime
        self.iterations = iterations
        self.countAllocations = countAllocations
    }

    public static let defaults = BenchmarkConfiguration(
        warmup: .milliseconds(100), maxDuration: .seconds(1), maxSamples: 100, sampleTime: .milliseconds(1),
        iterations: nil, countAllocations: true)

    /// `self`'s fields where set, `base`'s elsewhere.
    public func over(_ base: BenchmarkConfiguration) -> BenchmarkConfiguration {
        BenchmarkConfiguration(
            warmup: warmup ?? base.warmup, maxDuration: maxDuration ?? base.maxDuration,
            maxSamples: maxSamples ?? base.maxSamples, sampleTime: sampleTime ?? base.sampleTime,
            iterations: iterations ?? base.iterations, countAllocations: countAllocations ?? base.countAllocations)
    }

    /// The settings read from METRON_* variables; throws a one-line message for a bad value.
    public static func fromEnvironment(_ environment: [String: String]) throws -> BenchmarkConfiguration {
        func duration(_ key: String) throws -> Duration? {
            guard let text = environment[key], !text.isEmpty else { return nil }
            guard let value = DurationText.parse(text) else {
                throw ConfigurationError("\(key): expected a duration such as 0.5, 200ms or 2s, got '\(text)'")
            }
            return value
        }
        func count(_ key: String) throws -> Int? {
            guard let text = environment[key], !text.isEmpty else { return nil }
            guard let value = Int(text), value > 0 else {
                throw ConfigurationError("\(key): expected a positive whole number, got '\(text)'")
            }
            return value
        }
        return BenchmarkConfiguration(
            warmup: try duration("METRON_WARMUP"), maxDuration: try duration("METRON_MAX_DURATION"),
            maxSamples: try count("METRON_SAMPLES"), sampleTime: try duration("METRON_SAMPLE_TIME"),
            iterations: try count("METRON_ITERATIONS"))
    }
}

public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// "0.5" (seconds), "200ms", "2s", "50us"/"50µs", "100ns" — suite files' duration syntax.
enum DurationText {
    static func parse(_ text: String) -> Duration? {
        guard let seconds = Quantities.seconds(text), seconds >= 0 else { return nil }
        return .nanoseconds(Int64((seconds * 1e9).rounded()))
    }
}

extension Duration {
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) * 1e-18
    }
}

/// A configuration with every field decided.
struct ResolvedConfiguration: Sendable, Equatable {
    var warmup: Double
    var maxDuration: Double
    var maxSamples: Int
    var sampleTime: Double
    var iterations: Int?
    var countAllocations: Bool

    init(_ configuration: BenchmarkConfiguration) {
        let full = configuration.over(.defaults)
        warmup = full.warmup!.seconds
        maxDuration = full.maxDuration!.seconds
        maxSamples = Swift.max(1, full.maxSamples!)
        sampleTime = full.sampleTime!.seconds
        iterations = full.iterations.map { Swift.max(1, $0) }
        countAllocations = full.countAllocations!
    }
}
