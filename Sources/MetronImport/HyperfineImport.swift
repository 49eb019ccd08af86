import FoundationEssentials
import MetronCore
import MetronJSON

/// hyperfine `--export-json`: one command benchmark per result, its `times` as wall-time samples
/// and `memory_usage_byte` (hyperfine ≥ 1.16) as peak-memory samples. hyperfine keeps only the
/// mean of user and system time, not a value per run, so those are not imported.
public enum HyperfineImport {
    public static func convert(_ data: Data, context: ImportContext) throws(ImportFailure) -> RunReport {
        let document: HyperfineJSON.Document
        do {
            document = try JSONDecoder().decode(HyperfineJSON.Document.self, from: data)
        } catch {
            throw ImportFailure(file: context.file, reason: "not hyperfine JSON: " + JSONExport.describe(error))
        }
        guard !document.results.isEmpty else { throw ImportFailure(file: context.file, location: "results", reason: "no results") }
        var benchmarks: [BenchmarkResult] = []
        for (index, result) in document.results.enumerated() {
            guard let times = result.times, !times.isEmpty else {
                throw ImportFailure(file: context.file, location: "results[\(index)].times",
                                    reason: "no times: Metron compares raw samples, and hyperfine writes them unless the run failed")
            }
            guard times.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
                throw ImportFailure(file: context.file, location: "results[\(index)].times", reason: "a time is negative or not a number")
            }
            var metrics = [Metric.imported(.wallTime, .seconds, times)]
            if let memory = result.memoryUsageByte, memory.count == times.count {
                metrics.append(.imported(.peakRSS, .bytes, memory.map(Double.init)))
            }
            let parameters = (result.parameters ?? [:]).sorted { $0.key < $1.key }.map { Parameter(name: $0.key, value: $0.value) }
            var benchmark = BenchmarkResult(name: result.command, kind: .command, command: result.command, parameters: parameters,
                                            metrics: metrics.compactMap { $0 })
            let failed = result.exitCodes.filter { $0 != 0 }.count
            if failed > 0 {
                benchmark.warnings.append(MeasurementWarning(.failuresIgnored,
                    "\(failed) of \(result.exitCodes.count) runs failed (non-zero exit or signal); ignored by hyperfine's --ignore-failure."))
            }
            benchmarks.append(benchmark)
        }
        return context.report(benchmarks, format: .hyperfine, content: data)
    }
}
