import Foundation
import GRDB
import MetronCore
import MetronJSON
import MetronStore

/// Writes runs as SQLite stores held them before samples were packed: every benchmark result
/// one whole JSON document in `result_json`, `samples` NULL (the same statements `SQLiteStore`
/// runs, with the earlier encoding). `SQLiteStore` reads such rows through its JSON path.
final class LegacyRows {
    let queue: DatabaseQueue

    init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(60)
        queue = try DatabaseQueue(path: path, configuration: configuration)
    }

    func save(_ report: RunReport) throws {
        let encoder = JSONExport.encoder(pretty: false)
        let machine = try report.machine.map { try encoder.encode($0) }
        let tags = try encoder.encode(report.tags)
        let rows = try report.benchmarks.map { try encoder.encode($0) }
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO runs (id, started_at, finished_at, status, schema_version, metron_version, git_commit,
                                  git_branch, git_dirty, machine_fingerprint, machine_json, tags_json, extras_json)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
                """, arguments: [
                    report.id, report.startedAt.secondsSinceEpoch, report.finishedAt?.secondsSinceEpoch,
                    report.status.rawValue, report.schemaVersion, report.metronVersion, report.git?.commit,
                    report.git?.branch, report.git?.dirty ?? false, report.machine?.fingerprint, machine, tags,
                ])
            let statement = try db.makeStatement(sql: """
                INSERT INTO benchmarks (run_id, position, name, parameters_key, suite, kind, status, count,
                                        mean, median, stddev, p95, p99, min, max, result_json, samples)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
                """)
            for (position, result) in report.benchmarks.enumerated() {
                let wall = result.wallTime
                try statement.execute(arguments: [
                    report.id, position, result.name, parametersKey(result.parameters), result.suite, result.kind.rawValue,
                    result.status.rawValue, wall?.count ?? 0, wall?.mean, wall?.median, wall?.stddev,
                    wall?.percentiles.p95, wall?.percentiles.p99, wall?.min, wall?.max, rows[position],
                ])
            }
        }
    }
}
