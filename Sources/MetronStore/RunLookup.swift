import MetronCore

extension ResultStore {
    /// A stored run named by the words people use, in one order for the CLI and the server:
    /// "latest" (the newest run; no baseline or run may take that name), an exact run id, a
    /// baseline name, then a unique id prefix. An exact id before a baseline, so a baseline named
    /// like a run's id prefix never hides that run; nil when nothing matches.
    public func run(reference: String) async throws -> RunReport? {
        if reference == "latest" { return try await latestRun(suite: nil) }
        if try await containsRun(id: reference) { return try await run(id: reference) }
        if let baseline = try await baseline(name: reference) { return try await run(id: baseline.runID) }
        return try await run(id: reference)
    }
}
