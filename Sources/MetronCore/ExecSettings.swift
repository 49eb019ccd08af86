/// Which shell, if any, runs the benchmarked commands.
public enum ShellChoice: Sendable, Equatable, CustomStringConvertible {
    /// The command line is split into words and executed directly (the default): nothing but the
    /// program itself is measured.
    case none
    /// `shell -c COMMAND`; the shell's own spawn time is measured and subtracted.
    case shell(String)

    public init(parsing text: String) {
        switch text {
        case "none", "": self = .none
        default: self = .shell(text)
        }
    }

    public var description: String {
        switch self {
        case .none: return "none"
        case .shell(let path): return path
        }
    }
}

/// How runs are counted and bounded; shared by every command of one `metron exec`.
public struct ExecSettings: Sendable, Equatable {
    public var warmup = 0
    /// Exact number of measured runs; nil chooses it from the first run (see `targetTime`).
    public var runs: Int?
    public var minRuns = 10
    public var maxRuns: Int?
    /// With no exact count: run for about this long, as hyperfine does.
    public var targetTime = 3.0
    /// Per-run timeout in seconds; at most `maximumTimeout`.
    public var timeout: Double?
    public var shell: ShellChoice = .none
    public var ignoreFailure = false
    public var showOutput = false
    public var bootstrap = BootstrapOptions()

    public init() {}

    /// The longest timeout accepted (a year): larger values are usage errors, not a wait that
    /// overflows the nanosecond clock.
    public static let maximumTimeout: Double = 365 * 24 * 3600

    /// Nil when `seconds` is a usable timeout, else why not (for the message of a usage error).
    public static func timeoutProblem(_ seconds: Double) -> String? {
        guard seconds.isFinite, seconds > 0 else { return "must be a positive number of seconds" }
        guard seconds <= maximumTimeout else { return "must be at most \(Int(maximumTimeout)) seconds (a year), got \(seconds)" }
        return nil
    }

    /// The number of measured runs given the first run's wall time.
    public func runCount(firstRunTime: Double) -> Int {
        if let runs { return runs }
        let wanted = firstRunTime > 0 ? Int((targetTime / firstRunTime).rounded(.up)) : Int.max
        var count = max(minRuns, min(wanted, 1_000_000))
        if let maxRuns { count = min(count, maxRuns) }
        return max(count, 1)
    }
}

/// One command to benchmark, after parameter substitution: the definition that the suite file,
/// the command line and the runner share.
public struct CommandSpec: Sendable, Equatable {
    public var name: String
    public var command: String
    public var parameters: [Parameter]
    public var prepare: String?
    /// Run after every run, warm-ups included; not timed (hyperfine's --conclude).
    public var conclude: String?
    public var setup: String?
    public var cleanup: String?
    /// Variables set for the command and its prepare/setup/cleanup commands.
    public var environment: [String: String]
    /// Recorded in the result (suite files).
    public var suite: String?
    public var tags: [String]
    /// Where the command and its prepare/conclude/setup/cleanup commands start; nil for the
    /// current directory (`metron run --against DIR` runs the baseline side in DIR).
    public var directory: String?

    public init(name: String, command: String, parameters: [Parameter] = [], prepare: String? = nil,
                conclude: String? = nil, setup: String? = nil, cleanup: String? = nil, environment: [String: String] = [:],
                suite: String? = nil, tags: [String] = []) {
        self.name = name
        self.command = command
        self.parameters = parameters
        self.prepare = prepare
        self.conclude = conclude
        self.setup = setup
        self.cleanup = cleanup
        self.environment = environment
        self.suite = suite
        self.tags = tags
    }
}
