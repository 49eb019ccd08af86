import CMetronSys
#if canImport(Glibc)
import Glibc
#endif

/// Runs commands for real: every run is started and measured by `metron-spawner`
/// (ForkServer.swift, Sources/metron-spawner/main.c), the one measurement path. A missing server,
/// or one of another protocol, fails `init`; a server that dies fails the run in flight with
/// `SpawnerError.died` and every later one, so one benchmark's samples always come from one
/// method.
public final class ProcessRunner: Executor {
    /// Whether the server samples the tree's resident memory while a run goes on.
    public var samplesTreeMemory = true

    private let server: ForkServer
    private var serverDied = false

    /// Takes the server `Prestart` started, or starts one.
    public init() throws(SpawnerError) {
        _ = metron_set_child_subreaper()
        // A dead fork server must surface as a write error, not kill this process.
        signal(SIGPIPE, SIG_IGN)
        if let started = try Prestart.takeForkServer() {
            server = started
        } else {
            server = try ForkServer(path: ForkServer.locate())
        }
    }

    public var interruption: Int32? { Interruption.receivedSignal }

    public var identity: String { ForkServer.identity }

    public func run(_ launch: PreparedLaunch, count: Int, timeout: Double?, stopAtFailure: Bool,
                    each: (ProcessOutcome) -> Void) throws {
        let name = launch.spec.arguments.first ?? launch.spec.executablePath
        guard !serverDied else { throw SpawnerError.died(server.path) }
        do {
            try server.run(launch, count: count, timeout: timeout, sampleTree: samplesTreeMemory,
                           stopAtFailure: stopAtFailure) { each(ProcessOutcome($0, counters: launch.spec.counters)) }
        } catch .spawn(let code) {
            throw RunnerError.spawnFailed(name, errno: code)
        } catch {
            serverDied = true
            throw SpawnerError.died(server.path)
        }
    }
}
