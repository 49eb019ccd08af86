/// The analysis step after measuring a command: the runner returns a result with raw runs and
/// how the benchmark ended; this adds the per-metric statistics and the warnings.
public enum CommandAnalysis {
    public static func analyse(_ raw: BenchmarkResult, settings: ExecSettings) -> BenchmarkResult {
        var result = raw
        let measured = CommandMetrics.summarize(raw.runs, bootstrap: settings.bootstrap)
        result.metrics = CacheSimulation.adding(raw.simulations ?? [], to: measured)
        // With --ignore-failure every run may have timed out: nothing was measured.
        if result.status == .ok && measured.isEmpty && !raw.runs.isEmpty {
            result.status = .timedOut
            result.message = "every run timed out"
        }
        result.warnings = raw.warnings.filter { $0.code == .simulationFailed } + MeasurementWarnings.evaluate(
            runs: raw.runs, wallTime: result.metrics[.wallTime]?.statistics,
            usedShell: settings.shell != .none, ignoredFailures: settings.ignoreFailure,
            endedByFailure: result.status == .failed && raw.runs.last.map { $0.exitCode != 0 } == true)
        return result
    }
}
