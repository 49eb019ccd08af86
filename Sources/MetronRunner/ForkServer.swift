import CMetronSys
#if canImport(Glibc)
import Glibc
#endif

/// Client of `metron-spawner` (Sources/metron-spawner/main.c), the small process that starts
/// and measures commands, so that their peak RSS is not floored at Metron's own size and a run
/// involves only it and the command. It is the only way Metron runs commands: a server that is
/// missing, of another protocol or gone is an error (`SpawnerError`), never a silent switch to
/// another way of measuring.
final class ForkServer {
    private let serverPID: pid_t
    private let requestFD: Int32
    private let replyFD: Int32
    let path: String

    /// `metron-spawner` next to the running executable, or $METRON_SPAWNER.
    static func locate() throws(SpawnerError) -> String {
        if let explicit = getenvString("METRON_SPAWNER") {
            guard ExecutableLookup.isExecutableFile(explicit) else { throw .notFound("$METRON_SPAWNER (\(explicit))") }
            return explicit
        }
        guard let directory = ExecutableLookup.ownDirectory() else { throw .notFound("this executable's folder (/proc/self/exe)") }
        let candidate = directory + "/metron-spawner"
        guard ExecutableLookup.isExecutableFile(candidate) else { throw .notFound(directory) }
        return candidate
    }

    /// Starts the server and checks that it speaks this build's protocol.
    init(path: String) throws(SpawnerError) {
        self.path = path
        // A server that is gone must surface as a write error, not kill this process.
        signal(SIGPIPE, SIG_IGN)
        var request: [Int32] = [-1, -1]
        var reply: [Int32] = [-1, -1]
        guard metron_pipe_cloexec(&request) == 0 else { throw .cannotStart(path, errno: errno) }
        guard metron_pipe_cloexec(&reply) == 0 else {
            let code = errno
            close(request[0]); close(request[1])
            throw .cannotStart(path, errno: code)
        }
        var pid: pid_t = 0
        let rc = metron_spawn_fork_server(&pid, path, request[0], reply[1])
        close(request[0])
        close(reply[1])
        guard rc == 0 else {
            close(request[1]); close(reply[0])
            throw .cannotStart(path, errno: rc)
        }
        serverPID = pid
        requestFD = request[1]
        replyFD = reply[0]
        var hello = METRON_SPAWNER_HELLO
        var answer = metron_spawner_hello()
        guard withUnsafeBytes(of: &hello, { writeFully(requestFD, $0) }),
              withUnsafeMutableBytes(of: &answer, { readFully(replyFD, $0) }), answer.magic == METRON_SPAWNER_HELLO
        else { throw .noHandshake(path) }
        guard answer.protocol == METRON_SPAWNER_PROTOCOL else {
            throw .protocolMismatch(path, found: answer.protocol, expected: METRON_SPAWNER_PROTOCOL)
        }
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
        /// The server is gone (it died or was killed): nothing more can be measured.
        case unavailable
        /// fork or exec failed for this command.
        case spawn(errno: Int32)
    }

    /// "metron-spawner protocol 5": what measured, as recorded in a run.
    static var identity: String { "metron-spawner protocol \(METRON_SPAWNER_PROTOCOL)" }

    /// Runs the launch `count` times, one after another, and hands each outcome to `each` as it
    /// arrives (the server does not wait for Metron between runs). The server ends early at a
    /// failed run when `stopAtFailure`, and at once when Metron is interrupted: the stop goes to
    /// the server, which kills the running tree and marks its outcome interrupted.
    func run(_ launch: PreparedLaunch, count: Int, timeout: Double?, sampleTree: Bool, stopAtFailure: Bool,
             each: (metron_run_outcome) -> Void) throws(Failure) {
        var flags: UInt32 = 0
        switch launch.spec.output {
        case .discard: break
        case .inherit: flags |= METRON_RUN_INHERIT_OUTPUT
        case .pipe: flags |= METRON_RUN_OUTPUT_PIPE
        case .file: flags |= METRON_RUN_OUTPUT_FILE
        }
        if launch.spec.input != nil { flags |= METRON_RUN_INPUT_FILE }
        if sampleTree { flags |= METRON_RUN_SAMPLE_TREE }
        if stopAtFailure { flags |= METRON_RUN_STOP_AT_FAILURE }
        if launch.spec.directory != nil { flags |= METRON_RUN_DIRECTORY }
        var header = metron_run_request(
            flags: flags, count: UInt32(clamping: count), argc: launch.forkServerArgc, envc: launch.forkServerEnvc,
            timeout_ns: timeout.map(Self.nanoseconds) ?? 0, counter_count: UInt32(launch.spec.counters.count),
            reserved: 0, counters: (metron_counter(), metron_counter(), metron_counter(), metron_counter()))
        withUnsafeMutableBytes(of: &header.counters) { slots in
            for (index, counter) in launch.spec.counters.enumerated() {
                slots.storeBytes(of: metron_counter(type: counter.type, reserved: 0, config: counter.config),
                                 toByteOffset: index * MemoryLayout<metron_counter>.stride, as: metron_counter.self)
            }
        }
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

    /// A timeout in nanoseconds. Callers validate timeouts (`ExecSettings.maximumTimeout`); this
    /// only keeps an out-of-range value from trapping.
    static func nanoseconds(_ seconds: Double) -> UInt64 {
        guard seconds > 0 else { return 0 }
        let value = seconds * 1e9
        return value < 1.8e19 ? UInt64(value) : UInt64.max
    }

    /// The strings of a launch request: path, argv, environment, then the working directory,
    /// the input file and the output file when there are such, each NUL-terminated.
    static func encodeStrings(path: String, arguments: [String], environment: [String], directory: String? = nil,
                              input: String? = nil, outputFile: String? = nil) -> [UInt8] {
        var payload: [UInt8] = []
        for string in [path] + arguments + environment + [directory, input, outputFile].compactMap({ $0 }) {
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
