import CMetronSys
import MetronCore
#if canImport(Glibc)
import Glibc
#endif

/// What one process execution produced: its measurements and how it ended.
public struct ProcessOutcome: Sendable, Equatable {
    public var wallTime: Double
    public var userTime: Double
    public var systemTime: Double
    /// Largest single-process peak RSS in the tree, bytes (rusage ru_maxrss).
    public var peakRSS: Int64
    /// Peak of the summed RSS of the live tree, bytes; nil when no sample was taken.
    public var peakRSSTree: Int64?
    public var io: IOCounters?
    public var voluntaryContextSwitches: Int64
    public var involuntaryContextSwitches: Int64
    public var minorPageFaults: Int64
    public var majorPageFaults: Int64
    public var exitCode: Int32?
    public var signal: Int32?
    public var timedOut: Bool
    /// Metron received a termination signal while the process ran; it was killed.
    public var interrupted: Bool
    /// The launch's counters for the whole tree; nil when none were asked for or they could not
    /// be counted (`counterError` says why).
    public var counts: [PerfCounter: Int64]? = nil
    /// The counters shared the PMU for part of the run, so `counts` are scaled estimates.
    public var countsScaled = false
    /// Why the counters asked for were not counted (an errno: `PerfCounter.reason`).
    public var counterError: Int32? = nil

    public var commandRun: CommandRun {
        CommandRun(
            wallTime: wallTime, userTime: userTime, systemTime: systemTime, peakRSS: peakRSS,
            peakRSSTree: peakRSSTree.map { max($0, peakRSS) } ?? peakRSS,
            readBytes: io?.readBytes, writeBytes: io?.writeBytes,
            readChars: io?.readChars, writeChars: io?.writeChars,
            voluntaryContextSwitches: voluntaryContextSwitches,
            involuntaryContextSwitches: involuntaryContextSwitches,
            minorPageFaults: minorPageFaults, majorPageFaults: majorPageFaults,
            exitCode: exitCode, signal: signal, timedOut: timedOut,
            instructions: counts?[.instructions], cycles: counts?[.cycles])
    }

    /// Ended other than by exiting with status 0.
    public var failed: Bool {
        timedOut || interrupted || signal != nil || exitCode != 0
    }

}

extension ProcessOutcome {
    /// An outcome as metron-spawner reports it (metron_spawner_protocol.h), of a request that
    /// asked for `counters`.
    init(_ raw: metron_run_outcome, counters: [PerfCounter]) {
        var io: IOCounters?
        if raw.flags & METRON_OUTCOME_IO != 0 {
            var counters = IOCounters()
            counters.readChars = raw.read_chars
            counters.writeChars = raw.write_chars
            counters.readBytes = raw.read_bytes
            counters.writeBytes = raw.write_bytes
            counters.cancelledWriteBytes = raw.cancelled_write_bytes
            io = counters
        }
        self.init(
            wallTime: Double(raw.end_ns &- raw.start_ns) / 1e9,
            userTime: Double(raw.user_us) / 1e6, systemTime: Double(raw.system_us) / 1e6,
            peakRSS: raw.max_rss_kib * 1024,
            peakRSSTree: raw.flags & METRON_OUTCOME_PEAK_TREE != 0 ? raw.peak_tree_bytes : nil, io: io,
            voluntaryContextSwitches: raw.voluntary_switches, involuntaryContextSwitches: raw.involuntary_switches,
            minorPageFaults: raw.minor_faults, majorPageFaults: raw.major_faults,
            exitCode: raw.exit_code >= 0 ? raw.exit_code : nil, signal: raw.signal > 0 ? raw.signal : nil,
            timedOut: raw.flags & METRON_OUTCOME_TIMED_OUT != 0,
            interrupted: raw.flags & METRON_OUTCOME_INTERRUPTED != 0)
        if !counters.isEmpty {
            if raw.flags & METRON_OUTCOME_COUNTED != 0 {
                var values = raw.counts
                let counted = withUnsafeBytes(of: &values) { Array($0.bindMemory(to: Int64.self)) }
                counts = Dictionary(zip(counters, counted), uniquingKeysWith: { first, _ in first })
                countsScaled = raw.flags & METRON_OUTCOME_COUNTS_SCALED != 0
            } else {
                counterError = raw.counter_error != 0 ? raw.counter_error : EBADMSG
            }
        }
    }
}
