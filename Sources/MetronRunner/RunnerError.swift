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
