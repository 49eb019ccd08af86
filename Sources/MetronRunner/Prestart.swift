/// What a measuring command needs before its first run, begun before the command line is even
/// parsed: the fork server's start-up (~1 ms; ~2.5 ms where it still loads the Swift runtime)
/// and the git and machine facts (~2.5 ms). They then run on the other core while this process
/// parses its arguments (~2.5 ms), instead of after it, where the first run waits for them.
public enum Prestart {
    nonisolated(unsafe) private static var forkServer: ForkServer?
    nonisolated(unsafe) private static var facts: BackgroundFacts?

    /// Starts both. Call once, from the main thread, before parsing.
    public static func begin() {
        let facts = BackgroundFacts()
        facts.start()
        self.facts = facts
        if let path = ForkServer.locate() { forkServer = ForkServer(path: path) }
    }

    /// Lets a git process that is still running finish, so that nothing Metron started outlives
    /// it when it stops before measuring (a usage error); the fork server ends with this process.
    public static func end() {
        _ = facts?.wait()
        facts = nil
        forkServer = nil
    }

    /// The started fork server, once; nil when none was started.
    static func takeForkServer() -> ForkServer? {
        defer { forkServer = nil }
        return forkServer
    }

    /// The started collection of git and machine facts, once; nil when none was started.
    public static func takeFacts() -> BackgroundFacts? {
        defer { facts = nil }
        return facts
    }
}
