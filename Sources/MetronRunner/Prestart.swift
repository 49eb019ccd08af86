/// What a measuring command needs before its first run, begun before the command line is even
/// parsed: the fork server's start-up (~2 ms: the dynamic loader maps the Swift runtime SwiftPM
/// links into it) and the git facts (~2.5 ms). Both then run on the other core while this process
/// loads and parses its arguments (~3 ms), instead of after it, where the first run waits for them.
public enum Prestart {
    nonisolated(unsafe) private static var forkServer: ForkServer?
    nonisolated(unsafe) private static var git: BackgroundGitInfo?

    /// Starts both. Call once, from the main thread, before parsing.
    public static func begin() {
        let facts = BackgroundGitInfo()
        facts.start()
        git = facts
        if let path = ForkServer.locate() { forkServer = ForkServer(path: path) }
    }

    /// Lets a git process that is still running finish, so that nothing Metron started outlives
    /// it when it stops before measuring (a usage error); the fork server ends with this process.
    public static func end() {
        _ = git?.wait()
        git = nil
        forkServer = nil
    }

    /// The started fork server, once; nil when none was started.
    static func takeForkServer() -> ForkServer? {
        defer { forkServer = nil }
        return forkServer
    }

    /// The started git collection, once; nil when none was started.
    public static func takeGit() -> BackgroundGitInfo? {
        defer { git = nil }
        return git
    }
}
