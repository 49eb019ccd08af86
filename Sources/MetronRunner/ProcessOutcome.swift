import MetronCore

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

    public var commandRun: CommandRun {
        CommandRun(
            wallTime: wallTime, userTime: userTime, systemTime: systemTime, peakRSS: peakRSS,
            peakRSSTree: peakRSSTree.map { max($0, peakRSS) } ?? peakRSS,
            readBytes: io?.readBytes, writeBytes: io?.writeBytes,
            readChars: io?.readChars, writeChars: io?.writeChars,
            voluntaryContextSwitches: voluntaryContextSwitches,
            involuntaryContextSwitches: involuntaryContextSwitches,
            minorPageFaults: minorPageFaults, majorPageFaults: majorPageFaults,
            exitCode: exitCode, signal: signal, timedOut: timedOut)
    }
}
