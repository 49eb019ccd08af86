import CMetronSys
#if canImport(Glibc)
import Glibc
#endif

/// Runs a short helper command (git) and captures its stdout. Foundation's Process costs ~30 ms
/// per launch here; this costs about one fork+exec, which matters because it is paid on every
/// `metron` invocation.
public enum ProcessCapture {
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
    }

    /// Runs `arguments` (the first found through PATH) and returns its exit status (128 + signal
    /// when killed) and standard output; nil when it cannot start. Standard error is discarded, or
    /// with `showingErrors` goes to ours, so a failing tool explains itself to the user.
    ///
    /// `willStart` is asked right before the process is started and may refuse (nil is returned);
    /// when it agreed, `didStart` follows with the process id, or nil when it could not start.
    public static func run(_ arguments: [String], showingErrors: Bool = false,
                           willStart: () -> Bool = { true }, didStart: (pid_t?) -> Void = { _ in }) -> Output? {
        guard let executable = arguments.first.flatMap({ ExecutableLookup.resolve($0) }) else { return nil }
        var fds: [Int32] = [-1, -1]
        guard metron_pipe_cloexec(&fds) == 0 else { return nil }
        let devNull = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { close(devNull) }
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        guard willStart() else {
            close(fds[0])
            close(fds[1])
            return nil
        }
        let rc = argv.withUnsafeBufferPointer { args in
            metron_spawn(&pid, executable, args.baseAddress, environ, devNull, fds[1], showingErrors ? 2 : devNull)
        }
        didStart(rc == 0 ? pid : nil)
        close(fds[1])
        guard rc == 0 else {
            close(fds[0])
            return nil
        }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        close(fds[0])
        var exitCode: Int32 = 0
        var signal: Int32 = 0
        var usage = rusage()
        guard metron_reap(pid, &exitCode, &signal, &usage) == 0 else { return nil }
        return Output(status: signal == 0 ? exitCode : 128 + signal, stdout: String(decoding: bytes, as: UTF8.self))
    }
}
