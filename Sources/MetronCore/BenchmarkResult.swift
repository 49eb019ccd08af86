/// How a benchmark is defined: a whole command run as a process, or Swift code run in-process.
public enum BenchmarkKind: String, Codable, Sendable {
    case command
    case inProcess
}

/// The outcome of one benchmark.
public enum BenchmarkStatus: String, Codable, Sendable {
    /// Every run completed (with `--ignore-failure`, non-zero exits count as completed).
    case ok
    /// A run exited non-zero or was killed by a signal; the benchmark stopped there.
    case failed
    /// A run exceeded its timeout; the benchmark stopped there (or went on with `--ignore-failure`).
    case timedOut
    /// Metron was interrupted (SIGINT/SIGTERM) while this benchmark was running.
    case interrupted
    /// The benchmark never started (e.g. its setup command failed).
    case skipped
}

/// A named parameter value ("size" = "100") of a parameterised benchmark.
public struct Parameter: Codable, Sendable, Hashable {
    public var name: String
    public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// One benchmark's results: its identity, status, raw runs and per-metric statistics.
public struct BenchmarkResult: Codable, Sendable, Equatable {
    public var name: String
    public var kind: BenchmarkKind
    /// The command line as executed, after parameter substitution (command benchmarks only).
    public var command: String?
    public var suite: String?
    public var tags: [String]
    public var parameters: [Parameter]
    public var status: BenchmarkStatus
    /// A human-readable reason when the status is not `ok`.
    public var message: String?
    /// Warnings about measurement quality (outliers, slow first run, too-short commands).
    public var warnings: [MeasurementWarning]
    /// Runs executed for warm-up (not measured).
    public var warmupRuns: Int
    /// Statistics per metric, computed over the completed (non-timed-out) runs.
    public var metrics: [Metric]
    /// Raw per-run records (command benchmarks). Timed-out runs are kept here but excluded from
    /// `metrics`.
    public var runs: [CommandRun]
    /// Raw counts of the runs under Valgrind's cache simulation (`--valgrind`), one per run; nil
    /// when none was asked for. Their metrics (`CacheSimulation.metrics`) are deterministic.
    public var simulations: [CacheSimulation]?

    public init(
        name: String, kind: BenchmarkKind, command: String? = nil, suite: String? = nil,
        tags: [String] = [], parameters: [Parameter] = [], status: BenchmarkStatus = .ok,
        message: String? = nil, warnings: [MeasurementWarning] = [], warmupRuns: Int = 0,
        metrics: [Metric] = [], runs: [CommandRun] = []
    ) {
        self.name = name
        self.kind = kind
        self.command = command
        self.suite = suite
        self.tags = tags
        self.parameters = parameters
        self.status = status
        self.message = message
        self.warnings = warnings
        self.warmupRuns = warmupRuns
        self.metrics = metrics
        self.runs = runs
    }

    public func metric(_ id: MetricID) -> Metric? { metrics[id] }

    public var wallTime: Statistics? { metrics[.wallTime]?.statistics }
}
