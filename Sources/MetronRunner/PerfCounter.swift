import CMetronSys
#if canImport(Glibc)
import Glibc
#endif

/// An event the kernel counts for a command's whole process tree (perf_event_open, user space
/// only): `perf_event_attr.type` and `.config` as in linux/perf_event.h, whose values are the
/// kernel's stable ABI. metron-spawner opens the events in the child just before execve, so the
/// counts start with the command and leave out the spawner and Metron.
public struct PerfCounter: Sendable, Hashable, CustomStringConvertible {
    public var type: UInt32
    public var config: UInt64
    public var name: String

    public init(type: UInt32, config: UInt64, name: String) {
        self.type = type
        self.config = config
        self.name = name
    }

    public var description: String { name }

    /// PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS and PERF_COUNT_HW_CPU_CYCLES.
    public static let instructions = PerfCounter(type: 0, config: 1, name: "instructions")
    public static let cycles = PerfCounter(type: 0, config: 0, name: "cycles")
    /// PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK (nanoseconds on a CPU) and
    /// PERF_COUNT_SW_PAGE_FAULTS: counted by the kernel itself, so they work where a virtual
    /// machine exposes no hardware counters; they check the counting path against rusage.
    public static let taskClock = PerfCounter(type: 1, config: 1, name: "task-clock")
    public static let pageFaults = PerfCounter(type: 1, config: 2, name: "page-faults")

    /// What every measured run of a command counts where the machine allows
    /// (`CommandRun.instructions`, `.cycles`).
    public static let hardware: [PerfCounter] = [.instructions, .cycles]

    /// Why these counters cannot be counted in this process (the reason as users read it), or nil
    /// when they can: one perf_event_open of each, on this process, as metron-spawner opens them
    /// for a command.
    public static func unavailableReason(_ counters: [PerfCounter] = hardware) -> String? {
        for counter in counters {
            let error = metron_perf_probe(counter.type, counter.config)
            if error != 0 { return reason(errno: error, counter: counter) }
        }
        return nil
    }

    /// "perf_event_open(instructions): No such file or directory — this machine exposes no such
    /// event (a virtual machine without a virtual PMU)".
    public static func reason(errno error: Int32, counter: PerfCounter) -> String {
        let cause: String
        switch error {
        case ENOENT, ENODEV, EOPNOTSUPP: cause = " (this machine exposes no such event: a virtual machine without a virtual PMU, or a CPU the kernel has no table for)"
        case EACCES, EPERM: cause = " (kernel.perf_event_paranoid forbids it: sudo sysctl kernel.perf_event_paranoid=2)"
        case EBUSY: cause = " (the counters never got onto the PMU: another user holds it)"
        default: cause = ""
        }
        return "perf_event_open(\(counter.name)): \(String(cString: strerror(error)))\(cause)"
    }
}
