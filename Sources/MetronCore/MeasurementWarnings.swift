/// Warnings about how far a command benchmark's figures can be trusted, in the spirit of
/// hyperfine's: outliers, a slow first run, runs that failed or timed out.
public enum MeasurementWarnings {
    public static func evaluate(runs: [CommandRun], wallTime: Statistics?, usedShell: Bool,
                                ignoredFailures: Bool, endedByFailure: Bool = false) -> [MeasurementWarning] {
        var warnings: [MeasurementWarning] = []
        let completed = runs.filter { !$0.timedOut }
        if let stats = wallTime, completed.count >= 3 {
            let fences = TukeyFences(q1: stats.percentiles.p25, q3: stats.percentiles.p75)
            let first = completed[0].wallTime
            let rest = completed.dropFirst().map(\.wallTime)
            let slowestOfRest = rest.max() ?? first
            let firstKind = fences.classify(first)
            let slowFirst = (firstKind == .highSevere || firstKind == .highMild) && first > slowestOfRest
            if slowFirst {
                warnings.append(MeasurementWarning(.slowFirstRun,
                    "The first run was much slower than the rest (\(Formatting.duration(first)) vs. a median of "
                        + "\(Formatting.duration(stats.median))): caches? Consider --warmup or --prepare."))
            }
            // The slow first run already has its own warning; count the others.
            let kinds = completed.indices.dropFirst(slowFirst ? 1 : 0).map { fences.classify(completed[$0].wallTime) }
            let severe = kinds.filter { $0 == .highSevere || $0 == .lowSevere }.count
            let mild = kinds.filter { $0 == .highMild || $0 == .lowMild }.count
            if severe > 0 || mild * 10 > completed.count {
                warnings.append(MeasurementWarning(.outliers,
                    "Statistical outliers were detected (\(severe) severe, \(mild) mild of \(completed.count) runs). "
                        + "Consider re-running on a quiet system, with more warm-up runs, or with --prepare to reset state."))
            }
        }
        if usedShell, let stats = wallTime, stats.mean < 0.005 {
            warnings.append(MeasurementWarning(.shellOverheadUncertain,
                "The command took less than 5 ms on average; the shell's spawn time subtracted from it is "
                    + "itself uncertain at this scale. Use --shell none for short commands."))
        }
        // The run that ended a benchmark (a code not in --ignore-failure=LIST) was not ignored: the
        // result's message says so instead.
        let failed = completed.filter { $0.exitCode != 0 }.count - (endedByFailure ? 1 : 0)
        if ignoredFailures && failed > 0 {
            warnings.append(MeasurementWarning(.failuresIgnored, "\(failed) of \(completed.count) runs failed (non-zero exit or signal); ignored with --ignore-failure."))
        }
        let timedOut = runs.count - completed.count
        if timedOut > 0 {
            warnings.append(MeasurementWarning(.runsTimedOut, "\(timedOut) run\(timedOut == 1 ? "" : "s") timed out and \(timedOut == 1 ? "is" : "are") excluded from the statistics."))
        }
        return warnings
    }
}

/// A warning about how far a result can be trusted: a stable code that programs match on (the
/// JSON's `warnings[].code`, docs/schema.md) and the sentence people read.
public struct MeasurementWarning: Codable, Sendable, Equatable, CustomStringConvertible {
    public var code: WarningCode
    public var message: String

    public init(_ code: WarningCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    private enum CodingKeys: String, CodingKey { case code, message }

    /// Results stored before warnings had codes hold the sentence alone; it reads as `unclassified`.
    public init(from decoder: any Decoder) throws {
        if let message = try? decoder.singleValueContainer().decode(String.self) {
            self.init(.unclassified, message)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(try container.decode(WarningCode.self, forKey: .code), try container.decode(String.self, forKey: .message))
    }
}

/// Which warning it is. Open (a raw string) so that results written by a newer Metron, with codes
/// this one does not know, still decode.
public struct WarningCode: RawRepresentable, Codable, Sendable, Hashable, ExpressibleByStringLiteral {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    // Command benchmarks.
    /// The first run stood far above the rest.
    public static let slowFirstRun: WarningCode = "slow-first-run"
    /// Tukey outliers among the runs.
    public static let outliers: WarningCode = "outliers"
    /// A command under 5 ms through a shell: the subtracted spawn time is itself uncertain.
    public static let shellOverheadUncertain: WarningCode = "shell-overhead-uncertain"
    /// Failed runs kept because of --ignore-failure.
    public static let failuresIgnored: WarningCode = "failures-ignored"
    /// Runs that timed out, left out of the statistics.
    public static let runsTimedOut: WarningCode = "runs-timed-out"
    /// The run under Valgrind asked for (`--valgrind`, `valgrind: true`) gave no counts; the reason
    /// follows. The measured metrics are still there.
    public static let simulationFailed: WarningCode = "simulation-failed"

    // In-process benchmarks.
    /// Hardware counters cannot be read on this machine (the reason follows).
    public static let hardwareCountersUnavailable: WarningCode = "hardware-counters-unavailable"
    /// The malloc interposer is not preloaded, so allocations are not counted.
    public static let allocationsUnavailable: WarningCode = "allocations-unavailable"
    /// Samples too short for the clock's resolution.
    public static let shortSamples: WarningCode = "short-samples"
    /// An iteration shorter than a clock cycle: the work was optimised away.
    public static let optimisedAway: WarningCode = "optimised-away"
    /// Only one sample fitted in the maximum duration.
    public static let singleSample: WarningCode = "single-sample"
    /// The benchmark was built without optimisation.
    public static let debugBuild: WarningCode = "debug-build"
    /// A benchmark names a baseline that has no successful result.
    public static let baselineMissing: WarningCode = "baseline-missing"
    /// The last lines a failed benchmark process printed.
    public static let processOutput: WarningCode = "process-output"

    /// A warning stored before warnings had codes.
    public static let unclassified: WarningCode = "unclassified"
}
