/// Warnings about how far a command benchmark's figures can be trusted, in the spirit of
/// hyperfine's: outliers, a slow first run, runs that failed or timed out.
public enum MeasurementWarnings {
    public static func evaluate(runs: [CommandRun], wallTime: Statistics?, usedShell: Bool,
                                ignoredFailures: Bool) -> [String] {
        var warnings: [String] = []
        let completed = runs.filter { !$0.timedOut }
        if let stats = wallTime, completed.count >= 3 {
            let fences = TukeyFences(q1: stats.percentiles.p25, q3: stats.percentiles.p75)
            let first = completed[0].wallTime
            let rest = completed.dropFirst().map(\.wallTime)
            let slowestOfRest = rest.max() ?? first
            let firstKind = fences.classify(first)
            let slowFirst = (firstKind == .highSevere || firstKind == .highMild) && first > slowestOfRest
            if slowFirst {
                warnings.append(
                    "The first run was much slower than the rest (\(Formatting.duration(first)) vs. a median of "
                        + "\(Formatting.duration(stats.median))): caches? Consider --warmup or --prepare.")
            }
            // The slow first run already has its own warning; count the others.
            let kinds = completed.indices.dropFirst(slowFirst ? 1 : 0).map { fences.classify(completed[$0].wallTime) }
            let severe = kinds.filter { $0 == .highSevere || $0 == .lowSevere }.count
            let mild = kinds.filter { $0 == .highMild || $0 == .lowMild }.count
            if severe > 0 || mild * 10 > completed.count {
                warnings.append(
                    "Statistical outliers were detected (\(severe) severe, \(mild) mild of \(completed.count) runs). "
                        + "Consider re-running on a quiet system, with more warm-up runs, or with --prepare to reset state.")
            }
        }
        if usedShell, let stats = wallTime, stats.mean < 0.005 {
            warnings.append(
                "The command took less than 5 ms on average; the shell's spawn time subtracted from it is "
                    + "itself uncertain at this scale. Use --shell none for short commands.")
        }
        let failed = completed.filter { $0.exitCode != 0 }.count
        if ignoredFailures && failed > 0 {
            warnings.append("\(failed) of \(completed.count) runs failed (non-zero exit or signal); ignored with --ignore-failure.")
        }
        let timedOut = runs.count - completed.count
        if timedOut > 0 {
            warnings.append("\(timedOut) run\(timedOut == 1 ? "" : "s") timed out and \(timedOut == 1 ? "is" : "are") excluded from the statistics.")
        }
        return warnings
    }
}
