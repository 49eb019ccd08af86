import MetronCore

/// One row per benchmark of the report's run, with seed 002's columns first (benchmark id,
/// suite, start time, duration, iterations, status, mean, p95, max memory, mean CPU), then
/// the rest of the statistics and the comparison with the baseline. SI units (seconds, bytes)
/// named in the headers; RFC 4180 quoting.
public enum ReportCSV {
    public static let header = [
        "benchmark_id", "suite", "start_time", "duration_s", "iterations", "status", "mean_s", "p95_s",
        "max_memory_bytes", "mean_cpu_percent", "name", "parameters", "median_s", "stddev_s", "min_s", "max_s", "p99_s",
        "ci95_mean_lower_s", "ci95_mean_upper_s", "cv", "run_id", "commit", "baseline_mean_s", "change", "p_value", "verdict",
        "budgets_failed",
    ]

    public static func render(_ data: ReportData) -> String {
        var rows = [header.joined(separator: ",")]
        for result in data.run.benchmarks {
            let wall = result.wallTime
            let comparison = data.comparison(for: result.key)
            let failedBudgets = data.checks(for: result.key).filter { $0.kind == .budget && $0.outcome == .failed }.map(\.name)
            let memory = (result.metric(.peakRSSTree) ?? result.metric(.peakRSS))?.statistics.max
            func n(_ value: Double?) -> String { value?.finiteValue.map(CSVExport.number) ?? "" }
            let row: [String] = [
                result.key, result.suite ?? "", data.run.startedAt.iso8601,
                n(result.metric(.wallTime).flatMap { $0.isSummary ? nil : $0.samples.reduce(0, +) }), wall.map { String($0.count) } ?? "0",
                result.status.rawValue, n(wall?.mean), n(wall?.percentiles.p95), n(memory),
                n(result.metric(.cpuPercent)?.statistics.mean), result.name, parametersKeyText(result.parameters),
                n(wall?.median), n(wall?.stddev), n(wall?.min), n(wall?.max), n(wall?.percentiles.p99),
                n(wall?.meanCI?.lower), n(wall?.meanCI?.upper), n(wall?.coefficientOfVariation), data.run.id,
                data.run.git?.commit ?? "", n(comparison?.baseline.mean), n(comparison?.change), n(comparison?.pValue),
                comparison?.verdict.rawValue ?? "", failedBudgets.joined(separator: "; "),
            ]
            rows.append(row.map(CSVExport.field).joined(separator: ","))
        }
        return rows.joined(separator: "\n") + "\n"
    }

    static func parametersKeyText(_ parameters: [Parameter]) -> String {
        parameters.map { "\($0.name)=\($0.value)" }.joined(separator: ";")
    }
}
