#if canImport(Glibc)
import Glibc
#endif
import CMetronProbe
import MallocInterposerSwift

/// CLOCK_MONOTONIC in seconds (vDSO: no system call).
@inline(__always)
func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// CPU time of the whole process (every thread), in seconds.
func processCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// The process's rusage figures a sample needs.
struct UsageSnapshot {
    var voluntarySwitches: Int
    var involuntarySwitches: Int
    var peakRSS: Int

    static func now() -> UsageSnapshot {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return UsageSnapshot(voluntarySwitches: usage.ru_nvcsw, involuntarySwitches: usage.ru_nivcsw,
                             peakRSS: usage.ru_maxrss * 1024)
    }
}

/// Resident set size now, from /proc/self/statm (read with plain system calls so it neither
/// allocates through Swift nor needs Foundation).
func currentRSS() -> Int? {
    let fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: 128)
    let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, 127) }
    guard count > 0 else { return nil }
    let fields = buffer[..<count].split(separator: UInt8(ascii: " "))
    guard fields.count >= 2, let pages = Int(String(decoding: fields[1], as: UTF8.self)) else { return nil }
    return pages * sysconf(Int32(_SC_PAGESIZE))
}

/// The median cost of one clock read, which bounds how short a sample may be.
func clockReadCost() -> Double {
    var costs: [Double] = []
    for _ in 0..<21 {
        let start = monotonicSeconds()
        for _ in 0..<100 { _ = monotonicSeconds() }
        costs.append((monotonicSeconds() - start) / 101)
    }
    return costs.sorted()[costs.count / 2]
}

/// Instructions and cycles through perf_event_open, when the kernel and hypervisor allow it.
final class HardwareCounters {
    private var leader: Int32 = -1
    private var cycles: Int32 = -1
    /// Why the counters are unavailable, or nil when they work.
    let unavailableReason: String?

    init() {
        var cyclesFD: Int32 = -1
        let fd = metron_perf_open(&cyclesFD)
        if fd < 0 {
            let code = errno
            unavailableReason = "hardware counters unavailable here (perf_event_open: \(String(cString: strerror(code))))"
        } else {
            leader = fd
            cycles = cyclesFD
            unavailableReason = nil
        }
    }

    deinit { metron_perf_close(leader, cycles) }

    var available: Bool { leader >= 0 }

    func start() { if available { metron_perf_enable(leader, 1) } }

    /// Stops counting and returns (instructions, cycles).
    func stop() -> (Int64, Int64)? {
        guard available else { return nil }
        metron_perf_enable(leader, 0)
        let instructions = metron_perf_read(leader)
        let cycleCount = metron_perf_read(cycles)
        guard instructions >= 0, cycleCount >= 0 else { return nil }
        return (instructions, cycleCount)
    }
}

/// Allocation counting through ordo-one/malloc-interposer. It only sees allocations when its
/// library is preloaded (the runner sets LD_PRELOAD for each benchmark's child process), so
/// availability is checked by counting one real allocation.
enum AllocationCounter {
    static let available: Bool = {
        MallocInterposerSwift.reset()
        MallocInterposerSwift.hook()
        let pointer = malloc(40)
        blackHole(pointer)
        free(pointer)
        MallocInterposerSwift.unhook()
        let counted = MallocInterposerSwift.getStatistics().mallocCount >= 1
        MallocInterposerSwift.reset()
        return counted
    }()

    static func start() {
        MallocInterposerSwift.reset()
        MallocInterposerSwift.hook()
    }

    static func stop() -> (count: Int, bytes: Int) {
        MallocInterposerSwift.unhook()
        let statistics = MallocInterposerSwift.getStatistics()
        return (statistics.mallocCount, statistics.mallocBytesCount)
    }

    /// The shared library to preload into child processes: the loaded copy this executable
    /// links, found through the dynamic loader.
    static func libraryPath() -> String? {
        guard let name = metron_library_of_symbol("malloc_interposer_get_stats") else { return nil }
        let path = String(cString: name)
        return path.hasSuffix(".so") || path.contains(".so.") ? path : nil
    }
}
