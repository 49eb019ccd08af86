import MetronCore

/// Where runs are kept. Two implementations share one contract (and one test suite): SQLite
/// through GRDB, the embedded default, and PostgreSQL through postgres-nio, for a team.
///
/// A run is saved in one transaction: readers and a `kill -9` never see half of it.
public protocol ResultStore: Sendable {
    /// Saves a complete run report (benchmarks, statistics, raw samples).
    func save(_ report: RunReport) async throws
    /// The run with this id (or unique id prefix), with everything saved.
    func run(id: String) async throws -> RunReport?
    /// The most recent run (by start time), optionally only runs containing a benchmark of `suite`.
    func latestRun(suite: String?) async throws -> RunReport?
    /// The most recent runs first.
    func runs(limit: Int) async throws -> [RunSummary]
    /// How many runs are stored.
    func runCount() async throws -> Int
    /// One benchmark's summaries over time, oldest first, at most `limit` most recent.
    func history(benchmark: String, limit: Int) async throws -> [HistoryEntry]
    /// Names of every benchmark ever stored, sorted.
    func benchmarkNames() async throws -> [String]
    func saveBaseline(name: String, runID: String) async throws
    func baseline(name: String) async throws -> Baseline?
    func baselines() async throws -> [Baseline]
    /// The most recent run whose git commit starts with `commit`.
    func run(commit: String) async throws -> RunReport?
    /// Whether a run with exactly this id is stored (no prefix matching).
    func containsRun(id: String) async throws -> Bool
    /// Changes whenever a run or a baseline is saved, by any process: what caches of query
    /// answers are keyed by. Cheap (a few aggregates over the small runs and baselines tables).
    func revision() async throws -> String
    func close() async throws
}

/// One row of `metron history` without the samples.
public struct RunSummary: Sendable, Equatable, Codable {
    public var id: String
    public var startedAt: Timestamp
    public var status: RunStatus
    public var gitCommit: String?
    public var gitBranch: String?
    public var gitDirty: Bool
    public var machineFingerprint: String?
    public var benchmarkCount: Int

    public init(id: String, startedAt: Timestamp, status: RunStatus, gitCommit: String?, gitBranch: String?,
                gitDirty: Bool, machineFingerprint: String?, benchmarkCount: Int) {
        self.id = id
        self.startedAt = startedAt
        self.status = status
        self.gitCommit = gitCommit
        self.gitBranch = gitBranch
        self.gitDirty = gitDirty
        self.machineFingerprint = machineFingerprint
        self.benchmarkCount = benchmarkCount
    }
}

/// A benchmark's headline figures in one stored run.
public struct HistoryEntry: Sendable, Equatable, Codable {
    public var runID: String
    public var startedAt: Timestamp
    public var gitCommit: String?
    public var gitBranch: String?
    public var benchmark: String
    public var parametersKey: String
    public var status: BenchmarkStatus
    public var count: Int
    public var mean: Double?
    public var median: Double?
    public var stddev: Double?
    public var p95: Double?
    public var p99: Double?
    public var min: Double?
    public var max: Double?

    public init(runID: String, startedAt: Timestamp, gitCommit: String?, gitBranch: String?, benchmark: String,
                parametersKey: String, status: BenchmarkStatus, count: Int, mean: Double?, median: Double?,
                stddev: Double?, p95: Double?, p99: Double?, min: Double?, max: Double?) {
        self.runID = runID
        self.startedAt = startedAt
        self.gitCommit = gitCommit
        self.gitBranch = gitBranch
        self.benchmark = benchmark
        self.parametersKey = parametersKey
        self.status = status
        self.count = count
        self.mean = mean
        self.median = median
        self.stddev = stddev
        self.p95 = p95
        self.p99 = p99
        self.min = min
        self.max = max
    }
}

public struct Baseline: Sendable, Equatable, Codable {
    public var name: String
    public var runID: String
    public var createdAt: Timestamp

    public init(name: String, runID: String, createdAt: Timestamp) {
        self.name = name
        self.runID = runID
        self.createdAt = createdAt
    }
}

/// Stable key of a benchmark's parameters ("n=10,mode=fast"), so parameterised instances of one
/// benchmark have separate histories.
public func parametersKey(_ parameters: [Parameter]) -> String {
    parameters.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
}
