import FoundationEssentials
import MetronCore
import MetronJSON

/// Bencher Metric Format: `{ benchmark: { measure: { value, lower_value?, upper_value? } } }`.
/// BMF keeps one figure per measure, so every metric is a summary (`Metric.isSummary`): the
/// value as its mean, the bounds as the source's range. Measures map to Metron's metrics as
/// `BMFJSON.metric(forMeasure:)` says (`latency` in nanoseconds is wall time).
public enum BMFImport {
    public static func convert(_ data: Data, context: ImportContext) throws(ImportFailure) -> RunReport {
        let document: [String: [String: BMFJSON.Figure]]
        do {
            document = try JSONDecoder().decode([String: [String: BMFJSON.Figure]].self, from: data)
        } catch {
            throw ImportFailure(file: context.file, reason: "not Bencher Metric Format JSON: " + JSONExport.describe(error))
        }
        guard !document.isEmpty else { throw ImportFailure(file: context.file, reason: "no benchmarks") }
        var benchmarks: [BenchmarkResult] = []
        for name in document.keys.sorted() {
            let measures = document[name]!
            guard !measures.isEmpty else { throw ImportFailure(file: context.file, location: name, reason: "no measures") }
            var metrics: [Metric] = []
            for measure in measures.keys.sorted() {
                let figure = measures[measure]!
                let location = "\(name).\(measure)"
                guard figure.value.isFinite, figure.lowerValue?.isFinite ?? true, figure.upperValue?.isFinite ?? true else {
                    throw ImportFailure(file: context.file, location: location, reason: "value, lower_value and upper_value must be finite numbers")
                }
                let (id, unit, scale) = BMFJSON.metric(forMeasure: measure)
                var bounds: ReportedBounds?
                if figure.lowerValue != nil || figure.upperValue != nil {
                    bounds = ReportedBounds(lower: (figure.lowerValue ?? figure.value) * scale, upper: (figure.upperValue ?? figure.value) * scale)
                }
                metrics.append(Metric(id: id, unit: unit, summary: StatisticsSummary(mean: figure.value * scale, bounds: bounds)))
            }
            let (base, parameters) = BenchmarkKey.parse(name)
            benchmarks.append(BenchmarkResult(name: base, kind: .inProcess, parameters: parameters, metrics: metrics))
        }
        return context.report(benchmarks, format: .bmf, content: data)
    }
}
