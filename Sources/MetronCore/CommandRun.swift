/// Everything measured for one execution of a command. Times in seconds, sizes in bytes.
public struct CommandRun: Codable, Sendable, Equatable {
    /// Monotonic wall-clock time from spawn to exit (shell spawn time subtracted when a shell is used).
    public var wallTime: Double
    /// User and system CPU time of the whole process tree (every descendant that was reaped).
    public var userTime: Double
    public var systemTime: Double
    /// Peak resident set size of the largest single process in the tree (from rusage).
    public var peakRSS: Int64
    /// Peak of the summed resident set sizes of all live processes in the tree, sampled while the
    /// command runs; nil when the command ended before the first sample.
    public var peakRSSTree: Int64?
    /// Bytes the tree caused to be fetched from / sent to the storage layer (/proc/PID/io
    /// read_bytes / write_bytes).
    public var readBytes: Int64?
    public var writeBytes: Int64?
    /// Bytes passed to read(2)/write(2)-like system calls (/proc/PID/io rchar / wchar).
    public var readChars: Int64?
    public var writeChars: Int64?
    public var voluntaryContextSwitches: Int64
    public var involuntaryContextSwitches: Int64
    public var minorPageFaults: Int64
    public var majorPageFaults: Int64
    /// Exit code, or nil when the process was terminated by a signal.
    public var exitCode: Int32?
    /// The signal that terminated the process, if any.
    public var signal: Int32?
    public var timedOut: Bool
    /// The round of an interleaved benchmark this run was measured in (0-based); nil when the
    /// commands ran one after another. Runs of the same round of two commands form a pair.
    public var round: Int?
    /// User-space instructions and CPU cycles of the whole tree, from the hardware's counters
    /// (perf_event_open, opened just before the command's execve); nil where the machine exposes
    /// none. Counted like perf stat's `instructions:u`: real hardware, so close but not identical
    /// from run to run (Valgrind's counts, `--valgrind`, are the deterministic ones).
    public var instructions: Int64?
    public var cycles: Int64?

    public init(
        wallTime: Double, userTime: Double, systemTime: Double, peakRSS: Int64,
        peakRSSTree: Int64? = nil, readBytes: Int64? = nil, writeBytes: Int64? = nil,
        readChars: Int64? = nil, writeChars: Int64? = nil,
        voluntaryContextSwitches: Int64 = 0, involuntaryContextSwitches: Int64 = 0,
        minorPageFaults: Int64 = 0, majorPageFaults: Int64 = 0,
        exitCode: Int32? = 0, signal: Int32? = nil, timedOut: Bool = false,
        instructions: Int64? = nil, cycles: Int64? = nil
    ) {
        self.wallTime = wallTime
        self.userTime = userTime
        self.systemTime = systemTime
        self.peakRSS = peakRSS
        self.peakRSSTree = peakRSSTree
        self.readBytes = readBytes
        self.writeBytes = writeBytes
        self.readChars = readChars
        self.writeChars = writeChars
        self.voluntaryContextSwitches = voluntaryContextSwitches
        self.involuntaryContextSwitches = involuntaryContextSwitches
        self.minorPageFaults = minorPageFaults
        self.majorPageFaults = majorPageFaults
        self.exitCode = exitCode
        self.signal = signal
        self.timedOut = timedOut
        self.instructions = instructions
        self.cycles = cycles
    }

    /// CPU utilisation over the run: (user + system) / wall, in percent (can exceed 100 with
    /// several cores busy).
    public var cpuPercent: Double {
        wallTime > 0 ? (userTime + systemTime) / wallTime * 100 : 0
    }

    public var succeeded: Bool { exitCode == 0 && !timedOut }
}
