/// The top-level document Metron writes for one invocation (`--export-json`, the store, uploads).
/// Its layout is documented in docs/schema.md; `schemaVersion` changes whenever a field changes
/// meaning or is removed (adding optional fields does not bump it).
public struct RunReport: Codable, Sendable, Equatable {
    public static let schemaIdentifier = "https://metron.dev/schema/run"
    public static let currentSchemaVersion = 2

    public var schema: String
    public var schemaVersion: Int
    public var metronVersion: String
    public var id: String
    public var startedAt: Timestamp
    public var finishedAt: Timestamp?
    public var status: RunStatus
    public var machine: MachineInfo?
    public var git: GitInfo?
    public var tags: [String]
    public var benchmarks: [BenchmarkResult]
    /// What started and measured the commands ("metron-spawner protocol 5"); nil for runs with
    /// no command benchmark, and for runs stored before it was recorded.
    public var measuredBy: String?
    /// Set when commands were measured in interleaved rounds: how to replay their order.
    public var interleaving: Interleaving?
    /// The run measured interleaved with this one, round by round (`metron run --against`: the
    /// baseline tree's side and this tree's point at each other); comparisons of the two pair
    /// their runs by round.
    public var pairedRun: String?
    /// How quiet the machine was around the run (load when it started, steal while it measured).
    public var noise: NoiseFigure?
    /// The key of the reference benchmark (`metron exec --reference`); the others are compared
    /// with it in `comparisons`.
    public var reference: String?
    /// Every other benchmark against the reference (wall time): paired by round when the
    /// commands were interleaved (`MetricComparison.comparePaired`), else the within-run rule.
    public var comparisons: [MetricComparison]?

    public init(
        id: String, metronVersion: String, startedAt: Timestamp, finishedAt: Timestamp? = nil,
        status: RunStatus = .completed, machine: MachineInfo? = nil, git: GitInfo? = nil,
        tags: [String] = [], benchmarks: [BenchmarkResult] = []
    ) {
        self.schema = Self.schemaIdentifier
        self.schemaVersion = Self.currentSchemaVersion
        self.metronVersion = metronVersion
        self.id = id
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.status = status
        self.machine = machine
        self.git = git
        self.tags = tags
        self.benchmarks = benchmarks
    }
}

/// How the commands of an interleaved run were ordered: rounds of one run each, shuffled per
/// round by SplitMix64 seeded with `seed` (CommandBenchmark.runInterleaved).
public struct Interleaving: Codable, Sendable, Equatable {
    public var seed: UInt64
    public var rounds: Int

    public init(seed: UInt64, rounds: Int) {
        self.seed = seed
        self.rounds = rounds
    }
}

public enum RunStatus: String, Codable, Sendable {
    /// Every benchmark ran to its end (some may still have failed).
    case completed
    /// Metron received SIGINT/SIGTERM; the report holds what was measured until then.
    case interrupted
}

/// Where a run was measured. Runs with different fingerprints are not comparable as-is.
public struct MachineInfo: Codable, Sendable, Equatable {
    public var hostname: String
    public var cpuModel: String
    public var logicalCores: Int
    public var memoryBytes: Int64
    public var os: String
    public var kernel: String
    public var architecture: String
    public var cpuGovernor: String?
    public var toolchain: String?

    public init(
        hostname: String, cpuModel: String, logicalCores: Int, memoryBytes: Int64, os: String,
        kernel: String, architecture: String, cpuGovernor: String? = nil, toolchain: String? = nil
    ) {
        self.hostname = hostname
        self.cpuModel = cpuModel
        self.logicalCores = logicalCores
        self.memoryBytes = memoryBytes
        self.os = os
        self.kernel = kernel
        self.architecture = architecture
        self.cpuGovernor = cpuGovernor
        self.toolchain = toolchain
    }

    /// The facts of the fingerprint that differ between two machines, as "kernel: 6.1 → 6.8".
    public static func differences(_ a: MachineInfo?, _ b: MachineInfo?) -> [String] {
        guard let a, let b else { return ["machine facts missing"] }
        var found: [String] = []
        func check(_ name: String, _ x: String, _ y: String) { if x != y { found.append("\(name): \(x) → \(y)") } }
        check("cpu", a.cpuModel, b.cpuModel)
        check("cores", String(a.logicalCores), String(b.logicalCores))
        check("memory GiB", String(a.memoryBytes / (1 << 30)), String(b.memoryBytes / (1 << 30)))
        check("os", a.os, b.os)
        check("kernel", a.kernel, b.kernel)
        check("architecture", a.architecture, b.architecture)
        return found
    }

    /// What must match for two runs to be compared without a warning: the hardware and OS, not
    /// the hostname (CI runners of one pool have many names).
    public var fingerprint: String {
        [cpuModel, String(logicalCores), String(memoryBytes / (1 << 30)), os, kernel, architecture]
            .joined(separator: "|")
    }
}

/// The state of the git work tree a run measured.
public struct GitInfo: Codable, Sendable, Equatable {
    public var commit: String
    public var branch: String?
    public var dirty: Bool

    public init(commit: String, branch: String?, dirty: Bool) {
        self.commit = commit
        self.branch = branch
        self.dirty = dirty
    }
}
