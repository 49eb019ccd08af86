/// Which shell, if any, runs the benchmarked commands.
public enum ShellChoice: Sendable, Equatable, CustomStringConvertible {
    /// The command line is split into words and executed directly (the default): nothing but the
    /// program itself is measured.
    case none
    /// `shell -c COMMAND`; the shell's own spawn time is measured and subtracted. The shell may
    /// carry options of its own ("bash --norc").
    case shell(String)

    public init(parsing text: String) {
        switch text {
        case "none", "": self = .none
        // hyperfine's name for the platform's shell.
        case "default": self = .shell("sh")
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

/// Where a command's stdout and stderr go (hyperfine's --output). Discarding to /dev/null, the
/// default, keeps terminal rendering out of the measurement and cannot block on a full pipe.
public enum OutputDisposition: Sendable, Equatable {
    /// stdout and stderr to /dev/null (`--output null`).
    case discard
    /// Metron's own stdout and stderr (`--output inherit`, `--show-output`).
    case inherit
    /// stdout through a pipe that is read and thrown away while the command runs, stderr to
    /// /dev/null (`--output pipe`): some programs write to /dev/null faster than to a pipe.
    case pipe
    /// stdout to this file, created or truncated by every run, stderr to /dev/null.
    case file(String)

    /// Parses `null`, `pipe`, `inherit` or a path, as hyperfine does: a path needs a `/` (so a
    /// mistyped keyword is not taken for a file name).
    public init?(parsing text: String) {
        switch text {
        case "null": self = .discard
        case "pipe": self = .pipe
        case "inherit": self = .inherit
        default:
            guard text.contains("/") else { return nil }
            self = .file(text)
        }
    }

    /// The file of `.file`, else nil.
    public var file: String? {
        if case .file(let path) = self { return path }
        return nil
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
    /// The file every command (and its setup, prepare, conclude, cleanup) reads as stdin; nil for
    /// /dev/null (hyperfine's --input).
    public var input: String?
    /// Which non-zero exit codes do not fail a benchmark when `ignoreFailure` is set; nil for
    /// all of them (hyperfine's `--ignore-failure=1,2`). Signals and timeouts are always ignored then.
    public var ignoredExitCodes: Set<Int32>?
    public var bootstrap = BootstrapOptions()
    /// The valgrind executable when each benchmark also runs once under its cache simulation
    /// (`--valgrind`): instructions, cache misses and estimated cycles, deterministic counts.
    /// That run's time is never a measurement.
    public var valgrind: String?

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

    /// Whether the executor ends a batch of runs at the first failed one: unless every failure
    /// is ignored (with a list of ignored codes, the verdict on each failure decides).
    public var stopsAtFailure: Bool { !ignoreFailure || ignoredExitCodes != nil }

    /// Where `spec`'s output goes: its own `output`, else inherited with `showOutput`, else
    /// discarded.
    public func output(of spec: CommandSpec) -> OutputDisposition {
        spec.output ?? (showOutput ? .inherit : .discard)
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
    /// Where this command's output goes (`--output`, once per command); nil for the settings'
    /// default (`showOutput`: inherit, else discard).
    public var output: OutputDisposition?

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
