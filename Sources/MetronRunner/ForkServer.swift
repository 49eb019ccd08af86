import CMetronSys
#if canImport(Glibc)
import Glibc
#endif

/// Client of `metron-spawner` (Sources/metron-spawner/main.c), the small fork server that starts
/// measured commands so their peak RSS is not floored at Metron's own size. Falls back to a
/// direct posix_spawn when the spawner binary cannot be found or dies.
final class ForkServer {
    private let serverPID: pid_t
    private let requestFD: Int32
    private let replyFD: Int32

    /// `metron-spawner` next to the running executable, or $METRON_SPAWNER.
    static func locate() -> String? {
        if let explicit = getenvString("METRON_SPAWNER") {
            return ExecutableLookup.isExecutableFile(explicit) ? explicit : nil
        }
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        let executable = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = executable.lastIndex(of: "/") else { return nil }
        let candidate = String(executable[..<slash]) + "/metron-spawner"
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

    /// Starts the command as a child of this process; returns its pid and the CLOCK_MONOTONIC
    /// time just before its execve.
    func spawn(_ request: [UInt8]) throws(Failure) -> (pid: pid_t, start: UInt64) {
        let sent = request.withUnsafeBytes { writeFully(requestFD, $0) }
        guard sent else { throw .unavailable }
        let (pid, error, start) = try readReply()
        if error != 0 {
            if pid > 0 {
                // The child exists (it exits 127 after the failed execve): reap it.
                var code: Int32 = 0, signal: Int32 = 0
                var usage = rusage()
                _ = metron_reap(pid, &code, &signal, &usage)
            }
            throw .spawn(errno: error)
        }
        return (pid, start)
    }

    private func readReply() throws(Failure) -> (pid_t, Int32, UInt64) {
        var reply = [UInt8](repeating: 0, count: 16)
        let received = reply.withUnsafeMutableBytes { readFully(replyFD, $0) }
        guard received else { throw .unavailable }
        return reply.withUnsafeBytes {
            ($0.load(fromByteOffset: 0, as: Int32.self), $0.load(fromByteOffset: 4, as: Int32.self),
             $0.load(fromByteOffset: 8, as: UInt64.self))
        }
    }

    /// The request bytes for one launch (see the protocol in main.c).
    static func encode(path: String, arguments: [String], environment: [String], inheritOutput: Bool) -> [UInt8] {
        var payload: [UInt8] = []
        func append(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { payload += $0 } }
        append(inheritOutput ? 1 : 0)
        append(UInt32(arguments.count))
        append(UInt32(environment.count))
        for string in [path] + arguments + environment {
            payload += Array(string.utf8)
            payload.append(0)
        }
        var message: [UInt8] = []
        withUnsafeBytes(of: UInt32(payload.count).littleEndian) { message += $0 }
        return message + payload
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
