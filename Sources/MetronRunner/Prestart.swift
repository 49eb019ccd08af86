import Dispatch

/// What a measuring command needs before its first run, begun before the command line is even
/// parsed: the fork server's start-up (~1 ms; ~2.5 ms where it still loads the Swift runtime)
/// and the git and machine facts (~2.5 ms). They then run on the other core while this process
/// parses its arguments (~2.5 ms), instead of after it, where the first run waits for them.
public enum Prestart {
    // Written on the fork server's queue before `forkServerReady` is left, read after waiting.
    nonisolated(unsafe) private static var forkServer: Result<ForkServer, SpawnerError>?
    nonisolated(unsafe) private static var facts: BackgroundFacts?
    private static let forkServerReady = DispatchGroup()

    /// Starts both. Call once, from the main thread, before parsing.
    public static func begin() {
        let facts = BackgroundFacts()
        facts.start()
        self.facts = facts
        // On a queue of its own: the server is started with vfork semantics, which suspend the
        // calling thread until the server has exec'd (0.5–1 ms, longer while the other core is
        // busy). Started from here, that suspended the parsing, the first run's critical path
        // (perf sched, docs/performance.md).
        DispatchQueue(label: "metron.prestart.spawner").async(group: forkServerReady) {
            forkServer = Result { () throws(SpawnerError) in try ForkServer(path: ForkServer.locate()) }
        }
    }

    /// Lets a git process that is still running finish, so that nothing Metron started outlives
    /// it when it stops before measuring (a usage error); the fork server ends with this process.
    public static func end() {
        _ = facts?.wait()
        facts = nil
        forkServerReady.wait()
        forkServer = nil
    }

    /// The fork server started here (or why it could not start), once; nil when none was started.
    static func takeForkServer() throws(SpawnerError) -> ForkServer? {
        forkServerReady.wait()
        defer { forkServer = nil }
        return try forkServer?.get()
    }

    /// The started collection of git and machine facts, once; nil when none was started.
    public static func takeFacts() -> BackgroundFacts? {
        defer { facts = nil }
        return facts
    }
}
