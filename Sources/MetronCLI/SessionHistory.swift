import MetronCore
import MetronStore

/// The stored sessions of a comparison's baseline side: for each benchmark, the wall-time means
/// of the last runs on the baseline's machine fingerprint up to the baseline (included), which
/// `RunComparison` uses to tell a change from session-to-session noise. Runs of other suites in
/// the same store do not use up a benchmark's sessions: earlier runs are read, newest first, until
/// every benchmark of the baseline has its sessions (or `scanned` runs were read).
enum SessionHistory {
    static let sessions = 10
    static let scanned = 200

    static func load(for baseline: RunReport, excluding current: RunReport, store: any ResultStore) async throws -> [String: [Double]] {
        var means: [String: [Double]] = [:]
        let wanted = Set(baseline.benchmarks.filter { $0.status == .ok }.map(\.key))
        func add(_ run: RunReport) {
            for result in run.benchmarks where result.status == .ok && wanted.contains(result.key)
                && means[result.key, default: []].count < sessions {
                if let mean = result.metric(.wallTime)?.statistics.mean { means[result.key, default: []].append(mean) }
            }
        }
        add(baseline)
        let fingerprint = baseline.machine?.fingerprint
        let earlier = try await store.runs(limit: 1_000).filter {
            $0.id != baseline.id && $0.id != current.id && $0.startedAt <= baseline.startedAt
                && $0.machineFingerprint == fingerprint && fingerprint != nil
        }
        for summary in earlier.sorted(by: { $0.startedAt > $1.startedAt }).prefix(scanned) {
            if wanted.allSatisfy({ means[$0, default: []].count >= sessions }) { break }
            if let run = try await store.run(id: summary.id) { add(run) }
        }
        return means
    }
}
