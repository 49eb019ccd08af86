import MetronCore

extension ResultStore {
    /// The stored runs that started before `run` (itself excluded), newest first, at most `limit`
    /// of them: the history a report or the dashboard draws next to a run. The runs are loaded
    /// whole, so `limit` bounds the work.
    public func runs(before run: RunReport, limit: Int) async throws -> [RunReport] {
        guard limit > 0 else { return [] }
        let summaries = try await runs(limit: 10_000)
            .filter { $0.id != run.id && $0.startedAt <= run.startedAt }
            .prefix(limit)
        var history: [RunReport] = []
        for summary in summaries {
            if let past = try await self.run(id: summary.id) { history.append(past) }
        }
        return history
    }
}
