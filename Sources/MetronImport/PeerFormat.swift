import FoundationEssentials
import MetronCore
import MetronJSON

/// The harnesses whose output `metron import` stores, and how a file's format is told from its
/// content when `--format` is not given.
public enum PeerFormat: String, Sendable, CaseIterable {
    /// Metron's own run report (`--export-json`).
    case metron
    /// hyperfine `--export-json` (1.15 … 1.20).
    case hyperfine
    /// pytest-benchmark `--benchmark-json`.
    case pytestBenchmark = "pytest-benchmark"
    /// `go test -bench` text output.
    case go
    /// Google Benchmark `--benchmark_format=json`.
    case googleBenchmark = "google-benchmark"
    /// Criterion.rs's `target/criterion` folder (a directory, not a file).
    case criterion
    /// JMH's JSON results; package-benchmark's `--format jmh`.
    case jmh
    /// Bencher Metric Format JSON.
    case bmf
    /// github-action-benchmark's custom formats; package-benchmark's `--format jsonSmallerIsBetter`.
    case customSmallerIsBetter = "custom-smaller-is-better"
    case customBiggerIsBetter = "custom-bigger-is-better"

    /// The format of `data`, or nil when it is none of them.
    public static func detect(_ data: Data) -> PeerFormat? {
        if let format = detectCollection(data) { return format }
        guard let probe = try? JSONDecoder().decode(Probe.self, from: data) else {
            let text = String(decoding: data, as: UTF8.self)
            return text.split(separator: "\n").contains { GoBenchImport.isResultLine($0) } ? .go : nil
        }
        if probe.schema == RunReport.schemaIdentifier || probe.schemaVersion != nil { return .metron }
        if let first = probe.results?.first, first.times != nil || first.mean != nil { return .hyperfine }
        if probe.benchmarks != nil, probe.machineInfo != nil || probe.commitInfo != nil { return .pytestBenchmark }
        if probe.benchmarks != nil, probe.context != nil { return .googleBenchmark }
        return nil
    }

    /// The formats whose top level is an array or a map of benchmarks rather than a document.
    private static func detectCollection(_ data: Data) -> PeerFormat? {
        if let entries = try? JSONDecoder().decode([EntryProbe].self, from: data), !entries.isEmpty {
            if entries.allSatisfy({ $0.benchmark != nil && $0.primaryMetric != nil }) { return .jmh }
            if entries.allSatisfy({ $0.name != nil && $0.unit != nil && $0.value != nil }) { return .customSmallerIsBetter }
        }
        if let map = try? JSONDecoder().decode([String: [String: BMFJSON.Figure]].self, from: data), !map.isEmpty { return .bmf }
        return nil
    }

    private struct EntryProbe: Decodable {
        var benchmark: String?
        var primaryMetric: Present?
        var name: String?
        var unit: String?
        var value: Double?
    }

    /// The keys that tell the formats apart; anything else in the file is not read.
    private struct Probe: Decodable {
        var schema: String?
        var schemaVersion: Int?
        var results: [Result]?
        var benchmarks: [Present]?
        var machineInfo: Present?
        var commitInfo: Present?
        var context: Present?

        struct Result: Decodable {
            var times: Present?
            var mean: Present?
        }

        enum CodingKeys: String, CodingKey {
            case schema, schemaVersion, results, benchmarks, machineInfo = "machine_info", commitInfo = "commit_info", context
        }
    }

    /// Any JSON value, not looked at.
    private struct Present: Decodable {
        init(from decoder: any Decoder) throws {}
    }
}

/// An input that cannot be imported: the file and where in it (a JSON path or a line), so that
/// the message points at the problem.
public struct ImportFailure: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var location: String?
    public var reason: String

    public init(file: String, location: String? = nil, reason: String) {
        self.file = file
        self.location = location
        self.reason = reason
    }

    public var description: String {
        "\(file)\(location.map { ":\($0)" } ?? ""): \(reason)"
    }
}

/// What every importer shares: the run around the converted benchmarks.
public struct ImportContext: Sendable {
    /// The file's name, for messages and the run's tag.
    public var file: String
    /// This machine and this checkout, used where the source records none.
    public var machine: MachineInfo?
    public var git: GitInfo?
    /// When the file was written, used where the source records no time.
    public var modified: Timestamp

    public init(file: String, machine: MachineInfo?, git: GitInfo?, modified: Timestamp) {
        self.file = file
        self.machine = machine
        self.git = git
        self.modified = modified
    }

    /// A run of `benchmarks` from `format`. Its id comes from the file's content, so importing
    /// the same file twice is found out as "already stored" rather than stored twice.
    func report(_ benchmarks: [BenchmarkResult], format: PeerFormat, content: Data, startedAt: Timestamp? = nil,
                machine: MachineInfo? = nil, git: GitInfo? = nil) -> RunReport {
        RunReport(id: Self.contentID(content, format: format), metronVersion: MetronVersion.current,
                  startedAt: startedAt ?? modified, machine: machine ?? self.machine, git: git ?? self.git,
                  tags: ["imported:\(format.rawValue)"], benchmarks: benchmarks)
    }

    /// Two FNV-1a 64-bit hashes of the content (with different offsets), as a UUID-shaped id.
    static func contentID(_ content: Data, format: PeerFormat) -> String {
        func fnv(_ seed: UInt64) -> UInt64 {
            var hash = seed
            for byte in Array(format.rawValue.utf8) + Array(content) {
                hash ^= UInt64(byte)
                hash = hash &* 0x100000001b3
            }
            return hash
        }
        func hex(_ value: UInt64) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        let hex = hex(fnv(0xcbf29ce484222325)) + hex(fnv(0x84222325cbf29ce4))
        let characters = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
    }
}

extension Metric {
    /// A metric from imported samples, or nil when there are none.
    static func imported(_ id: MetricID, _ unit: MetricUnit, _ samples: [Double]) -> Metric? {
        let finite = samples.filter(\.isFinite)
        return finite.isEmpty ? nil : Metric(id: id, unit: unit, samples: finite)
    }
}
