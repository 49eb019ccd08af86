import FoundationEssentials
import MetronCore

/// hyperfine's `--export-json` schema (hyperfine 1.20, `src/benchmark/benchmark_result.rs`), so
/// that its analysis scripts and the tools built on its format read Metron's runs. Times in
/// seconds. Metron's own JSON keeps far more; this is the subset hyperfine defines.
public enum HyperfineJSON {
    public struct Document: Codable, Sendable, Equatable {
        public var results: [Result]
    }

    public struct Result: Codable, Sendable, Equatable {
        /// The command's name (`--command-name`) or, without one, its command line.
        public var command: String
        public var mean: Double
        /// Sample standard deviation; null with a single run.
        public var stddev: Double?
        public var median: Double
        /// Mean user and system CPU time.
        public var user: Double
        public var system: Double
        public var min: Double
        public var max: Double
        /// Every measured run's wall time, in order.
        public var times: [Double]?
        /// Every measured run's peak resident memory.
        public var memoryUsageByte: [UInt64]?
        /// Every measured run's exit code; null for a run that a signal ended.
        public var exitCodes: [Int32?]
        /// Omitted when the command has no parameters.
        public var parameters: [String: String]?

        enum CodingKeys: String, CodingKey {
            case command, mean, stddev, median, user, system, min, max, times
            case memoryUsageByte = "memory_usage_byte"
            case exitCodes = "exit_codes"
            case parameters
        }

        // hyperfine always writes `stddev` and `exit_codes` (null when absent); the synthesized
        // encoder would leave a nil out.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(command, forKey: .command)
            try container.encode(mean, forKey: .mean)
            try container.encode(stddev, forKey: .stddev)
            try container.encode(median, forKey: .median)
            try container.encode(user, forKey: .user)
            try container.encode(system, forKey: .system)
            try container.encode(min, forKey: .min)
            try container.encode(max, forKey: .max)
            try container.encodeIfPresent(times, forKey: .times)
            try container.encodeIfPresent(memoryUsageByte, forKey: .memoryUsageByte)
            try container.encode(exitCodes, forKey: .exitCodes)
            try container.encodeIfPresent(parameters, forKey: .parameters)
        }
    }

    /// The run's benchmarks that measured something, in hyperfine's form. A benchmark without a
    /// measured run has no row (hyperfine stops at a failure instead of writing one).
    public static func document(_ report: RunReport) -> Document {
        Document(results: report.benchmarks.compactMap(result))
    }

    static func result(_ benchmark: BenchmarkResult) -> Result? {
        let runs = benchmark.runs
        guard !runs.isEmpty else { return nil }
        let times = runs.map(\.wallTime)
        let count = Double(times.count)
        let statistics = Statistics(samples: times, bootstrap: nil)
        let parameters = Dictionary(benchmark.parameters.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
        return Result(
            command: benchmark.name, mean: statistics.mean, stddev: times.count < 2 ? nil : statistics.stddev, median: statistics.median,
            user: runs.map(\.userTime).reduce(0, +) / count, system: runs.map(\.systemTime).reduce(0, +) / count,
            min: statistics.min, max: statistics.max, times: times,
            memoryUsageByte: runs.map { UInt64(Swift.max(0, $0.peakRSS)) }, exitCodes: runs.map(\.exitCode),
            parameters: parameters.isEmpty ? nil : parameters)
    }

    /// Pretty-printed as hyperfine writes it, with a final newline.
    public static func bytes(_ report: RunReport) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var bytes = Array(try encoder.encode(document(report)))
        bytes.append(0x0A)
        return bytes
    }
}
