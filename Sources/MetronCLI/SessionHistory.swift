import MetronCore
import MetronStore

/// The stored sessions of a comparison's baseline side: for each benchmark, the wall-time means
/// of the last runs on the baseline's machine fingerprint up to the baseline (included), which
/// `RunComparison` uses to tell a change from session-to-session noise.
enum SessionHistory {
    static let sessions = 10

    static func load(for baseline: RunReport, excluding current: RunReport, store: any ResultStore) async throws -> [String: [Double]] {
        var means: [String: [Double]] = [:]
        func add(_ run: RunReport) {
            for result in run.benchmarks where result.status == .ok {
                if let mean = result.metric(.wallTime)?.statistics.mean { means[result.key, default: []].append(mean) }
            }
        }
        add(baseline)
        let fingerprint = baseline.machine?.fingerprint
        let earlier = try await store.runs(limit: 1_000).filter {
            $0.id != baseline.id && $0.id != current.id && $0.startedAt <= baseline.startedAt
                && $0.machineFingerprint == fingerprint && fingerprint != nil
        }
        for summary in earlier.prefix(sessions - 1) {
            if let run = try await store.run(id: summary.id) { add(run) }
        }
        return means
    }
}
