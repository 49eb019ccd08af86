/// The seam between benchmark flow and whatever runs the commands (hyperfine's Executor is the
/// model). `ProcessRunner` runs them for real through metron-spawner; `ScriptedExecutor` plays
/// outcomes from a script and records every launch, so that flow — warm-ups, run counts, rounds,
/// prepare/conclude, failures, interrupts — is tested as exact sequences, with no clock.
public protocol Executor: AnyObject {
    /// Runs `launch` `count` times, one after another, handing each outcome to `each` as soon as
    /// it is known. Ends early after a run that failed (non-zero exit, signal, timeout) when
    /// `stopAtFailure`, and after an interrupted run.
    func run(_ launch: PreparedLaunch, count: Int, timeout: Double?, stopAtFailure: Bool,
             each: (ProcessOutcome) -> Void) throws

    /// The signal that interrupted Metron, if one came; flow stops starting runs then.
    var interruption: Int32? { get }

    /// What measures, recorded with every run ("metron-spawner protocol 5").
    var identity: String { get }
}

extension Executor {
    public func prepare(_ spec: LaunchSpec) -> PreparedLaunch {
        PreparedLaunch(spec)
    }

    /// `count` runs without a timeout.
    public func run(_ launch: PreparedLaunch, count: Int, stopAtFailure: Bool, each: (ProcessOutcome) -> Void) throws {
        try run(launch, count: count, timeout: nil, stopAtFailure: stopAtFailure, each: each)
    }

    /// Runs the command once. `timeout` in seconds; the whole tree is killed when it expires.
    public func run(_ launch: PreparedLaunch, timeout: Double? = nil) throws -> ProcessOutcome {
        var result: ProcessOutcome?
        try run(launch, count: 1, timeout: timeout, stopAtFailure: false) { result = $0 }
        guard let result else { throw RunnerError.spawnFailed(launch.spec.arguments.first ?? launch.spec.executablePath, errno: 10) }
        return result
    }
}
