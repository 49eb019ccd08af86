import CMetronSys
#if canImport(Glibc)
import Glibc
#endif

/// Client of `metron-spawner` (Sources/metron-spawner/main.c), the small process that starts
/// and measures commands, so that their peak RSS is not floored at Metron's own size and a run
/// involves only it and the command. Metron falls back to spawning directly when the binary
/// cannot be found or dies.
final class ForkServer {
    private let serverPID: pid_t
    private let requestFD: Int32
    private let replyFD: Int32

    /// `metron-spawner` next to the running executable, or $METRON_SPAWNER.
    static func locate() -> String? {
        if let explicit = getenvString("METRON_SPAWNER") {
            return ExecutableLookup.isExecutableFile(explicit) ? explicit : nil
        }
        guard let directory = ExecutableLookup.ownDirectory() else { return nil }
        let candidate = directory + "/metron-spawner"
        return ExecutableLookup.isExecutableFile(candidate) ? candidate : nil
    }

    init?(path: String) {
        var request: [Int32] = [-1, -1]
        var reply: [Int32] = [-1, -1]
        guard metron_pipe_cloexec(&request) == 0 else { return nil }
        guard metron_pipe_cloexec(&reply) == 0 else {
            close(request[0]); close(request[1])
            return nil
        }
        var pid: pid_t = 0
        let rc = metron_spawn_fork_server(&pid, path, request[0], reply[1])
        close(request[0])
        close(reply[1])
        guard rc == 0 else {
            close(request[1]); close(reply[0])
            return nil
        }
        serverPID = pid
        requestFD = request[1]
        replyFD = reply[0]
    }

    deinit {
        close(requestFD)
        close(replyFD)
        kill(serverPID, SIGKILL)
        var status: Int32 = 0
        while waitpid(serverPID, &status, 0) < 0 && errno == EINTR {}
    }

    var pid: pid_t { serverPID }

    enum Failure: Error {
        /// The server is gone; the caller should fall back to spawning directly.
        case unavailable
        /// fork or exec failed for this command.
        case spawn(errno: Int32)
    }

    /// Runs the launch `count` times, one after another, and hands each outcome to `each` as it
    /// arrives (the server does not wait for Metron between runs). The server ends early at a
    /// failed run when `stopAtFailure`, and at once when Metron is interrupted: the stop goes to
    /// the server, which kills the running tree and marks its outcome interrupted.
    func run(_ launch: PreparedLaunch, count: Int, timeout: Double?, sampleTree: Bool, stopAtFailure: Bool,
             each: (metron_run_outcome) -> Void) throws(Failure) {
        var flags: UInt32 = 0
        if launch.spec.output == .inherit { flags |= METRON_RUN_INHERIT_OUTPUT }
        if sampleTree { flags |= METRON_RUN_SAMPLE_TREE }
        if stopAtFailure { flags |= METRON_RUN_STOP_AT_FAILURE }
        var header = metron_run_request(
            flags: flags, count: UInt32(clamping: count), argc: launch.forkServerArgc, envc: launch.forkServerEnvc,
            timeout_ns: timeout.map { UInt64(max(0, $0) * 1e9) } ?? 0)
        var message: [UInt8] = []
        message.reserveCapacity(4 + MemoryLayout<metron_run_request>.size + launch.forkServerStrings.count)
        let length = UInt32(MemoryLayout<metron_run_request>.size + launch.forkServerStrings.count)
        withUnsafeBytes(of: length) { message += $0 }
        withUnsafeBytes(of: &header) { message += $0 }
        message += launch.forkServerStrings
        guard message.withUnsafeBytes({ writeFully(requestFD, $0) }) else { throw .unavailable }

        var stopSent = false
        func stopIfInterrupted() {
            guard !stopSent, Interruption.receivedSignal != nil else { return }
            var stop: UInt32 = 0
            _ = withUnsafeBytes(of: &stop) { writeFully(requestFD, $0) }
            stopSent = true
        }
        stopIfInterrupted()
        var fds = [
            pollfd(fd: replyFD, events: Int16(POLLIN), revents: 0),
            pollfd(fd: Interruption.readFD, events: Int16(POLLIN), revents: 0),
        ]
        var outcome = metron_run_outcome()
        while true {
            fds[0].revents = 0
            fds[1].revents = 0
            let ready = poll(&fds, fds[1].fd >= 0 ? 2 : 1, -1)
            if ready < 0 && errno != EINTR { throw .unavailable }
            if ready > 0 && fds[1].fd >= 0 && fds[1].revents != 0 {
                Interruption.drain()
                stopIfInterrupted()
            }
            guard ready > 0 && fds[0].revents != 0 else { continue }
            let received = withUnsafeMutableBytes(of: &outcome) { readFully(replyFD, $0) }
            guard received else { throw .unavailable }
            if outcome.error != 0 { throw .spawn(errno: outcome.error) }
            each(outcome)
            if outcome.flags & METRON_OUTCOME_LAST != 0 { return }
        }
    }

    /// The strings of a launch request: path, argv, environment, each NUL-terminated.
    static func encodeStrings(path: String, arguments: [String], environment: [String]) -> [UInt8] {
        var payload: [UInt8] = []
        for string in [path] + arguments + environment {
            payload += Array(string.utf8)
            payload.append(0)
        }
        return payload
    }
}

private func writeFully(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Bool {
    var offset = 0
    while offset < buffer.count {
        let count = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
        if count < 0 && errno == EINTR { continue }
        if count <= 0 { return false }
        offset += count
    }
    return true
}

private func readFully(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Bool {
    var offset = 0
    while offset < buffer.count {
        let count = read(fd, buffer.baseAddress! + offset, buffer.count - offset)
        if count < 0 && errno == EINTR { continue }
        if count <= 0 { return false }
        offset += count
    }
    return true
}
