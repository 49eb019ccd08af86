import MetronCore
import MetronStore

/// Assembles `ReportData` from a store: the run, its baseline and the runs before it.
public enum ReportLoader {
    /// - Parameters:
    ///   - historyRuns: how many stored runs before `run` the history spans (the runs are loaded
    ///     whole, so this bounds the work).
    public static func load(store: any ResultStore, run: RunReport, baseline: RunReport?, baselineName: String = "main",
                            budgets: [String: [Budget]] = [:], bands: RegressionBands = RegressionBands(),
                            suite: String? = nil, historyRuns: Int = 30, title: String = "Metron performance report",
                            generatedAt: Timestamp) async throws -> ReportData {
        var history: [RunReport] = []
        if historyRuns > 0 {
            let summaries = try await store.runs(limit: 10_000)
                .filter { $0.id != run.id && $0.startedAt <= run.startedAt }
                .prefix(historyRuns)
            for summary in summaries {
                if let past = try await store.run(id: summary.id) { history.append(past) }
            }
        }
        return ReportData.assemble(run: run, baseline: baseline, baselineName: baselineName, history: history,
                                   budgets: budgets, bands: bands, suite: suite, title: title, generatedAt: generatedAt)
    }
}
