#if canImport(Glibc)
import Glibc
#endif

/// Small, allocation-light readers for /proc. Foundation is avoided here on purpose: these run
/// between and during timed runs, where every microsecond of Metron's own work is overhead.
enum ProcFS {
    /// Reads a whole (small) file; nil when it cannot be opened (process gone, no permission).
    static func read(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return result.isEmpty ? nil : result
            }
            if count == 0 { break }
            result.append(contentsOf: buffer[0..<count])
        }
        return result
    }

    static func readString(_ path: String) -> String? {
        read(path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Whitespace-separated decimal integers of a file (e.g. `children`, `statm`).
    static func integers(in bytes: [UInt8]) -> [Int64] {
        var values: [Int64] = []
        var current: Int64 = 0
        var inNumber = false
        for byte in bytes {
            if byte >= 48 && byte <= 57 {
                current = current * 10 + Int64(byte - 48)
                inNumber = true
            } else if inNumber {
                values.append(current)
                current = 0
                inNumber = false
            }
        }
        if inNumber { values.append(current) }
        return values
    }

    /// Thread ids of a process (entries of /proc/PID/task).
    static func threads(of pid: pid_t) -> [pid_t] {
        guard let dir = opendir("/proc/\(pid)/task") else { return [] }
        defer { closedir(dir) }
        var result: [pid_t] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if let tid = pid_t(name) { result.append(tid) }
        }
        return result
    }

    /// Direct children of a process, over all its threads.
    static func children(of pid: pid_t) -> [pid_t] {
        var result: [pid_t] = []
        for tid in threads(of: pid) {
            guard let bytes = read("/proc/\(pid)/task/\(tid)/children") else { continue }
            result += integers(in: bytes).map { pid_t($0) }
        }
        return result
    }

    /// Children re-parented to a (subreaper) process go to its main thread, and the commands
    /// Metron spawns directly (without the fork server) are children of the measuring thread, so
    /// the main thread's list holds the orphans — one read instead of one per thread.
    static func childrenOfMainThread(of pid: pid_t) -> [pid_t] {
        guard let bytes = read("/proc/\(pid)/task/\(pid)/children") else { return [] }
        return integers(in: bytes).map { pid_t($0) }
    }

    /// Resident set size in bytes (/proc/PID/statm, second field × page size).
    static func residentBytes(of pid: pid_t) -> Int64? {
        guard let bytes = read("/proc/\(pid)/statm") else { return nil }
        let fields = integers(in: bytes)
        guard fields.count >= 2 else { return nil }
        return fields[1] * pageSize
    }

    static let pageSize = Int64(sysconf(Int32(_SC_PAGESIZE)))
}

/// I/O counters of /proc/PID/io. For a process (or zombie) they include the counters of every
/// descendant it reaped: the kernel folds a child's counters into its parent at wait time.
public struct IOCounters: Sendable, Equatable {
    public var readChars: Int64 = 0
    public var writeChars: Int64 = 0
    public var readBytes: Int64 = 0
    public var writeBytes: Int64 = 0
    /// Bytes whose write-back was cancelled (a file truncated or deleted before it was flushed).
    public var cancelledWriteBytes: Int64 = 0

    public init() {}

    static func read(pid: pid_t) -> IOCounters? {
        guard let bytes = ProcFS.read("/proc/\(pid)/io") else { return nil }
        var counters = IOCounters()
        let text = String(decoding: bytes, as: UTF8.self)
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":"),
                  let value = Int64(line[line.index(after: colon)...].trimmed { $0 == " " })
            else { continue }
            switch line[..<colon] {
            case "rchar": counters.readChars = value
            case "wchar": counters.writeChars = value
            case "read_bytes": counters.readBytes = value
            case "write_bytes": counters.writeBytes = value
            case "cancelled_write_bytes": counters.cancelledWriteBytes = value
            default: break
            }
        }
        return counters
    }

    static func + (lhs: IOCounters, rhs: IOCounters) -> IOCounters {
        var sum = IOCounters()
        sum.readChars = lhs.readChars + rhs.readChars
        sum.writeChars = lhs.writeChars + rhs.writeChars
        sum.readBytes = lhs.readBytes + rhs.readBytes
        sum.writeBytes = lhs.writeBytes + rhs.writeBytes
        sum.cancelledWriteBytes = lhs.cancelledWriteBytes + rhs.cancelledWriteBytes
        return sum
    }
}

extension Substring {
    /// Without the leading and trailing characters `trim` picks (Foundation's trimming, which
    /// this module does without).
    func trimmed(_ trim: (Character) -> Bool = { $0.isWhitespace }) -> Substring {
        var result = self
        while let first = result.first, trim(first) { result = result.dropFirst() }
        while let last = result.last, trim(last) { result = result.dropLast() }
        return result
    }
}
