import CMetronSys
#if canImport(Glibc)
import Glibc
#endif

/// SIGINT/SIGTERM/SIGHUP handling. The handler (in C, async-signal-safe) records the signal and
/// writes a byte to a pipe that the runner polls next to the child's pidfd, so an interrupt wakes
/// the wait immediately: the runner kills the child's tree and hands back what was measured.
public enum Interruption {
    nonisolated(unsafe) private static var pipeFDs: (read: Int32, write: Int32) = (-1, -1)

    /// Installs the handlers once; later calls do nothing. Call before the first run.
    public static func install() {
        guard pipeFDs.read < 0 else { return }
        var fds: [Int32] = [-1, -1]
        guard metron_pipe_nonblocking(&fds) == 0 else { return }
        pipeFDs = (fds[0], fds[1])
        _ = metron_install_signal_handlers(fds[1])
    }

    /// The descriptor to poll, or -1 when handlers are not installed.
    static var readFD: Int32 { pipeFDs.read }

    /// The first termination signal received, if any.
    public static var receivedSignal: Int32? {
        let sig = metron_received_signal()
        return sig == 0 ? nil : sig
    }

    /// Forgets a received signal; for tests that interrupt the runner and go on.
    public static func reset() {
        drain()
        metron_clear_received_signal()
    }

    static func drain() {
        guard pipeFDs.read >= 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 64)
        while buffer.withUnsafeMutableBytes({ Glibc.read(pipeFDs.read, $0.baseAddress, $0.count) }) > 0 {}
    }
}
