import MetronCore
import MetronImport

/// A parsed `metron.yml`: suites (the "lanes" of a CI) of command benchmarks with their
/// defaults, environment, budgets, and the regression bands used by `compare` and `check`.
public struct SuiteFile: Sendable {
    public var path: String
    public var defaults: RunDefaults
    public var bands: RegressionBands
    public var suites: [Suite]

    public func suite(named name: String) -> Suite? { suites.first { $0.name == name } }
}

/// Run-count and execution defaults; every level (file, suite, benchmark) may override them.
public struct RunDefaults: Sendable, Equatable {
    public var runs: Int?
    public var minRuns: Int?
    public var maxRuns: Int?
    public var warmup: Int?
    public var timeout: Double?
    public var shell: ShellChoice?
    public var ignoreFailure: Bool?
    /// Also one run under Valgrind's cache simulation (`valgrind: true`): deterministic counts.
    public var valgrind: Bool?

    public init() {}

    /// `other`'s values where set, ours otherwise.
    func overridden(by other: RunDefaults) -> RunDefaults {
        var merged = self
        merged.runs = other.runs ?? runs
        merged.minRuns = other.minRuns ?? minRuns
        merged.maxRuns = other.maxRuns ?? maxRuns
        merged.warmup = other.warmup ?? warmup
        merged.timeout = other.timeout ?? timeout
        merged.shell = other.shell ?? shell
        merged.ignoreFailure = other.ignoreFailure ?? ignoreFailure
        merged.valgrind = other.valgrind ?? valgrind
        return merged
    }

    func settings() -> ExecSettings {
        var settings = ExecSettings()
        settings.runs = runs
        if let minRuns { settings.minRuns = minRuns }
        settings.maxRuns = maxRuns
        settings.warmup = warmup ?? 0
        settings.timeout = timeout
        settings.shell = shell ?? .none
        settings.ignoreFailure = ignoreFailure ?? false
        // Found through PATH when the plan is validated (`metron run` says so if it is missing).
        settings.valgrind = valgrind == true ? "valgrind" : nil
        return settings
    }
}

public struct Suite: Sendable {
    public var name: String
    public var description: String?
    public var defaults: RunDefaults
    public var setup: String?
    public var cleanup: String?
    public var prepare: String?
    public var environment: [String: String]
    public var tags: [String]
    /// Budgets every benchmark of the suite must meet.
    public var budgets: [Budget]
    public var benchmarks: [SuiteBenchmark]
}

public struct SuiteBenchmark: Sendable {
    public var name: String
    public var command: String
    public var defaults: RunDefaults
    public var prepare: String?
    public var setup: String?
    public var cleanup: String?
    public var environment: [String: String]
    public var tags: [String]
    public var budgets: [Budget]
    public var parameters: [ParameterExpansion.Axis]
    /// Where it is declared, for messages.
    public var line: Int
    /// A Swift benchmark target (`swift: NAME`) instead of a command: the in-process benchmarks
    /// of an executable under `Benchmarks/` of a SwiftPM package.
    public var swift: SwiftTarget?
    /// Another harness (`command:` with `import:`): run once, then what it wrote is imported.
    public var harness: HarnessImport?
}

/// `command: cargo bench` with `import: { format: criterion, path: target/criterion }`: the
/// command is another benchmark harness, run once (its own repetitions are its business), and
/// the results it wrote at `path` are imported as this suite's benchmarks. Both the command and
/// `path` are relative to the suite file's directory.
public struct HarnessImport: Sendable, Equatable {
    public var command: String
    public var format: PeerFormat
    public var path: String
    /// The suite file's directory, where the command runs.
    public var directory: String
}

/// `swift: NAME` in a suite file: build (release) and run that benchmark executable of the
/// package at `package` (relative to the suite file; default its directory).
public struct SwiftTarget: Sendable, Equatable {
    public var target: String
    public var package: String
    /// Passed to the executable as `--filter`.
    public var filter: String?
}
