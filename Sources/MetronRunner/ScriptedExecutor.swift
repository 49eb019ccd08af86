/// An `Executor` that runs nothing: each run's outcome comes from a script, and every launch is
/// recorded in order. Benchmark flow is tested through it as exact sequences ("setup, warm-up 1,
/// run 1, …"), with no process and no clock; a script can also end a run as interrupted (setting
/// `interruption`, as a real SIGINT would) or throw, as a dying spawner does.
public final class ScriptedExecutor: Executor {
    /// What the script sees of a run: the command's words and how many runs of the same words
    /// came before it.
    public struct Run: Sendable, Equatable {
        public var arguments: [String]
        public var index: Int
    }

    /// argv of every run started, in order.
    public private(set) var launches: [[String]] = []
    public var interruption: Int32?
    public let identity = "scripted executor"
    /// The timeouts the runs were started with, in order.
    public private(set) var timeouts: [Double?] = []
    /// The counters each run asked for, in order.
    public private(set) var counters: [[PerfCounter]] = []

    private var counts: [[String]: Int] = [:]
    private let script: (ScriptedExecutor, Run) throws -> ProcessOutcome

    /// `script` returns each run's outcome; by default every run exits 0 after 10 ms.
    public init(script: @escaping (ScriptedExecutor, Run) throws -> ProcessOutcome = { _, _ in .scripted() }) {
        self.script = script
    }

    public func run(_ launch: PreparedLaunch, count: Int, timeout: Double?, stopAtFailure: Bool,
                    each: (ProcessOutcome) -> Void) throws {
        for _ in 0..<count {
            let arguments = launch.spec.arguments
            let index = counts[arguments, default: 0]
            counts[arguments] = index + 1
            launches.append(arguments)
            timeouts.append(timeout)
            counters.append(launch.spec.counters)
            let outcome = try script(self, Run(arguments: arguments, index: index))
            each(outcome)
            if outcome.interrupted || stopAtFailure && outcome.failed { return }
        }
    }

    /// The launches as shell-like lines ("sh -c 'x'" stays three words joined by spaces).
    public var lines: [String] { launches.map { $0.joined(separator: " ") } }
}

extension ProcessOutcome {
    /// An outcome for scripts: a run of `wallTime` seconds that exited with `exitCode`.
    public static func scripted(wallTime: Double = 0.010, exitCode: Int32? = 0, signal: Int32? = nil,
                                timedOut: Bool = false, interrupted: Bool = false) -> ProcessOutcome {
        ProcessOutcome(wallTime: wallTime, userTime: wallTime * 0.9, systemTime: wallTime * 0.1, peakRSS: 1 << 20,
                       peakRSSTree: nil, io: nil, voluntaryContextSwitches: 0, involuntaryContextSwitches: 0,
                       minorPageFaults: 0, majorPageFaults: 0, exitCode: exitCode, signal: signal,
                       timedOut: timedOut, interrupted: interrupted)
    }
}
