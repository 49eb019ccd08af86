#if canImport(Glibc)
import Glibc
#endif

public enum RunnerError: Error, Equatable, CustomStringConvertible {
    case commandNotFound(String)
    case invalidCommand(String, reason: String)
    case spawnFailed(String, errno: Int32)
    case auxiliaryCommandFailed(role: String, command: String, detail: String)
    case interrupted(signal: Int32)

    public var description: String {
        switch self {
        case .commandNotFound(let name):
            return "command not found: '\(name)'"
        case .invalidCommand(let command, let reason):
            return "cannot parse command '\(command)': \(reason)"
        case .spawnFailed(let command, let code):
            return "cannot start '\(command)': \(String(cString: strerror(code)))"
        case .auxiliaryCommandFailed(let role, let command, let detail):
            return "the \(role) command '\(command)' \(detail)"
        case .interrupted(let signal):
            return "interrupted by \(signalName(signal))"
        }
    }
}

/// "SIGINT" for 2, and so on; falls back to the number.
public func signalName(_ signal: Int32) -> String {
    let names: [Int32: String] = [
        SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGTRAP: "SIGTRAP",
        SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGUSR1: "SIGUSR1",
        SIGSEGV: "SIGSEGV", SIGUSR2: "SIGUSR2", SIGPIPE: "SIGPIPE", SIGALRM: "SIGALRM", SIGTERM: "SIGTERM",
        SIGXCPU: "SIGXCPU", SIGXFSZ: "SIGXFSZ",
    ]
    return names[signal] ?? "signal \(signal)"
}

/// The signal that ended a crashed process, with what it usually means for Swift code.
public func crashSignalName(_ signal: Int32) -> String {
    switch signal {
    case SIGILL, SIGTRAP: return "\(signalName(signal)), a Swift runtime trap"
    case SIGKILL: return "SIGKILL, out of memory?"
    default: return signalName(signal)
    }
}

/// Why commands cannot be measured at all: `metron-spawner`, the only thing that runs them, is
/// missing, of another build's protocol, or gone.
public enum SpawnerError: Error, Equatable, CustomStringConvertible {
    /// Where it was looked for.
    case notFound(String)
    case cannotStart(String, errno: Int32)
    /// It started but did not answer the hello (a build older than the handshake, or not a spawner).
    case noHandshake(String)
    case protocolMismatch(String, found: UInt32, expected: UInt32)
    /// It died while Metron was using it.
    case died(String)

    public var description: String {
        switch self {
        case .notFound(let place):
            return "metron-spawner not found in \(place): it runs and measures every command; install it next to metron "
                + "(scripts/build-release.sh builds both) or name it in $METRON_SPAWNER"
        case .cannotStart(let path, let code):
            return "cannot start metron-spawner at \(path): \(String(cString: strerror(code)))"
        case .noHandshake(let path):
            return "\(path) did not answer metron's hello: it is not a metron-spawner of this build (an older one?); "
                + "install the metron-spawner built with this metron"
        case .protocolMismatch(let path, let found, let expected):
            return "\(path) speaks spawner protocol \(found), this metron needs \(expected): install the metron-spawner built with this metron"
        case .died(let path):
            return "metron-spawner (\(path)) died during the benchmark; runs measured before are kept, nothing more was measured"
        }
    }
}
