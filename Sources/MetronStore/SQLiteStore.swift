import Foundation
import GRDB
import MetronCore

/// The embedded default: one SQLite file (WAL mode, so readers never block the writer and
/// several `metron` processes can write to it at once; each waits its turn on the write lock).
public final class SQLiteStore: ResultStore {
    public let path: String
    private let pool: DatabasePool

    public init(path: String) throws {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        try Self.checkExistingFile(path)
        var configuration = Configuration()
        // Other metron processes may hold the write lock while they save a run.
        configuration.busyMode = .timeout(60)
        configuration.foreignKeysEnabled = true
        do {
            pool = try Self.openPool(path: path, configuration: configuration)
            // In the identity check's transaction: opening a store costs no extra query for this.
            let packedBefore = try pool.write { db in
                try Self.checkIdentity(db, path: path)
                return try Self.migrator.appliedIdentifiers(db).contains("v3-packed-samples")
            }
            do {
                try Self.migrator.migrate(pool)
                // Packing an existing history frees most of its pages; give them back to the disk
                // once (best effort: a store in use by another process keeps them until later).
                if !packedBefore, try pool.read({ db in try Int.fetchOne(db, sql: "SELECT count(*) FROM benchmarks") ?? 0 }) > 0 {
                    try? pool.writeWithoutTransaction { db in try db.execute(sql: "VACUUM") }
                }
            } catch {
                // Processes opening a new store at once race to create its tables: the loser's
                // migration fails ("table runs already exists") after the winner committed them.
                guard try pool.read({ db in try Self.migrator.hasCompletedMigrations(db) }) else { throw error }
            }
        } catch let error as DatabaseError where [.SQLITE_NOTADB, .SQLITE_CORRUPT].contains(error.resultCode) {
            throw StoreError.notADatabase(path)
        }
    }

    /// Opening a pool switches a new file to WAL, which needs the file to itself for a moment:
    /// SQLite answers SQLITE_BUSY at once, without the busy timeout, while another process does the
    /// same (several imports creating one store). Such an open is retried for up to 10 s.
    private static func openPool(path: String, configuration: Configuration) throws -> DatabasePool {
        var attempts = 0
        while true {
            do {
                return try DatabasePool(path: path, configuration: configuration)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && attempts < 200 {
                attempts += 1
                usleep(50_000)
            }
        }
    }

    /// An existing, non-empty file is opened read-only first and must be Metron's store (or an
    /// empty database) before the pool opens it: the pool switches the file to WAL mode, which
    /// would change another application's database even though Metron then refuses it.
    private static func checkExistingFile(_ path: String) throws {
        guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > 0 else { return }
        var configuration = Configuration()
        configuration.readonly = true
        // Another metron process may be creating or writing the store right now.
        configuration.busyMode = .timeout(60)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.read { db in
                let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table'") ?? 0
                guard applicationID == metronApplicationID || (applicationID == 0 && tables == 0) else {
                    throw StoreError.foreignDatabase(path)
                }
            }
            try queue.close()
        } catch let error as DatabaseError where [.SQLITE_NOTADB, .SQLITE_CORRUPT].contains(error.resultCode) {
            throw StoreError.notADatabase(path)
        } catch let error as DatabaseError where [.SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_CANTOPEN].contains(error.resultCode) {
            // Not readable read-only at this moment (a store being created): the pool's own
            // identity check, inside its first write, decides.
        }
    }

    /// A database that already has tables must be Metron's.
    private static func checkIdentity(_ db: Database, path: String) throws {
        let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table'") ?? 0
        if applicationID == 0 && tables == 0 {
            try db.execute(sql: "PRAGMA application_id = \(metronApplicationID)")
        } else if applicationID != metronApplicationID {
            throw StoreError.foreignDatabase(path)
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE runs (
                    id TEXT PRIMARY KEY NOT NULL,
                    started_at REAL NOT NULL,
                    finished_at REAL,
                    status TEXT NOT NULL,
                    schema_version INTEGER NOT NULL,
                    metron_version TEXT NOT NULL,
                    git_commit TEXT,
                    git_branch TEXT,
                    git_dirty INTEGER NOT NULL DEFAULT 0,
                    machine_fingerprint TEXT,
                    machine_json BLOB,
                    tags_json BLOB NOT NULL
                );
                CREATE INDEX runs_started_at ON runs(started_at);
                CREATE INDEX runs_git_commit ON runs(git_commit);
                CREATE TABLE benchmarks (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    parameters_key TEXT NOT NULL,
                    suite TEXT,
                    kind TEXT NOT NULL,
                    status TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    mean REAL, median REAL, stddev REAL, p95 REAL, p99 REAL, min REAL, max REAL,
                    result_json BLOB NOT NULL
                );
                CREATE INDEX benchmarks_run ON benchmarks(run_id, position);
                CREATE INDEX benchmarks_name ON benchmarks(name, parameters_key);
                CREATE INDEX benchmarks_suite ON benchmarks(suite);
                CREATE TABLE baselines (
                    name TEXT PRIMARY KEY NOT NULL,
                    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    created_at REAL NOT NULL
                );
                """)
        }
        // Top-level run fields without a column of their own (RunExtras).
        migrator.registerMigration("v2-run-extras") { db in
            try db.execute(sql: "ALTER TABLE runs ADD COLUMN extras_json BLOB")
        }
        // Raw numbers packed apart from the record (CompactResult); earlier rows are rewritten.
        migrator.registerMigration("v3-packed-samples") { db in
            try db.execute(sql: "ALTER TABLE benchmarks ADD COLUMN samples BLOB")
            // Ids first: rows are not rewritten under a cursor that is still reading them.
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM benchmarks ORDER BY id")
            let update = try db.makeStatement(sql: "UPDATE benchmarks SET result_json = ?, samples = ? WHERE id = ?")
            for id in ids {
                guard let json = try Data.fetchOne(db, sql: "SELECT result_json FROM benchmarks WHERE id = ?", arguments: [id]) else { continue }
                let packed = try RecordCoding.repack(wholeJSON: json, what: "stored benchmark \(id)")
                try update.execute(arguments: [packed.record, packed.samples, id])
            }
        }
        return migrator
    }

    public func save(_ report: RunReport) async throws {
        let rows = try report.benchmarks.enumerated().map { try BenchmarkRow(position: $0.offset, result: $0.element) }
        let machine = try report.machine.map { try RecordCoding.encode($0) }
        let tags = try RecordCoding.encode(report.tags)
        let extras = try RunExtras.encode(report)
        do {
            try await insert(report, rows: rows, machine: machine, tags: tags, extras: extras)
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
            // Another process saved the same run between the caller's check and this write.
            throw StoreError.alreadyStored(report.id)
        }
    }

    private func insert(_ report: RunReport, rows: [BenchmarkRow], machine: Data?, tags: Data, extras: Data?) async throws {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO runs (id, started_at, finished_at, status, schema_version, metron_version, git_commit,
                                  git_branch, git_dirty, machine_fingerprint, machine_json, tags_json, extras_json)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [
                    report.id, report.startedAt.secondsSinceEpoch, report.finishedAt?.secondsSinceEpoch,
                    report.status.rawValue, report.schemaVersion, report.metronVersion, report.git?.commit,
                    report.git?.branch, report.git?.dirty ?? false, report.machine?.fingerprint, machine, tags, extras,
                ])
            let statement = try db.makeStatement(sql: """
                INSERT INTO benchmarks (run_id, position, name, parameters_key, suite, kind, status, count,
                                        mean, median, stddev, p95, p99, min, max, result_json, samples)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for row in rows {
                try statement.execute(arguments: [
                    report.id, row.position, row.name, row.parametersKey, row.suite, row.kind, row.status, row.count,
                    row.mean, row.median, row.stddev, row.p95, row.p99, row.min, row.max, row.record, row.samples,
                ])
            }
        }
    }

    public func run(id: String) async throws -> RunReport? {
        try await pool.read { db in
            let ids = try String.fetchAll(db, sql: "SELECT id FROM runs WHERE id = ? OR id LIKE ? LIMIT 2",
                                          arguments: [id, Self.likePrefix(id)])
            if ids.contains(id) { return try Self.load(db, id: id) }
            guard !ids.isEmpty else { return nil }
            guard ids.count == 1 else { throw StoreError.ambiguousRun(id) }
            return try Self.load(db, id: ids[0])
        }
    }

    public func latestRun(suite: String?) async throws -> RunReport? {
        try await pool.read { db in
            let id: String?
            if let suite {
                id = try String.fetchOne(db, sql: """
                    SELECT r.id FROM runs r WHERE EXISTS (SELECT 1 FROM benchmarks b WHERE b.run_id = r.id AND b.suite = ?)
                    ORDER BY r.started_at DESC LIMIT 1
                    """, arguments: [suite])
            } else {
                id = try String.fetchOne(db, sql: "SELECT id FROM runs ORDER BY started_at DESC LIMIT 1")
            }
            return try id.flatMap { try Self.load(db, id: $0) }
        }
    }

    public func run(commit: String) async throws -> RunReport? {
        try await pool.read { db in
            let id = try String.fetchOne(db, sql: "SELECT id FROM runs WHERE git_commit LIKE ? ORDER BY started_at DESC LIMIT 1",
                                         arguments: [Self.likePrefix(commit)])
            return try id.flatMap { try Self.load(db, id: $0) }
        }
    }

    public func runs(limit: Int) async throws -> [RunSummary] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.*, (SELECT count(*) FROM benchmarks b WHERE b.run_id = r.id) AS benchmark_count
                FROM runs r ORDER BY r.started_at DESC LIMIT ?
                """, arguments: [limit]).map { row in
                RunSummary(id: row["id"], startedAt: Timestamp(secondsSinceEpoch: row["started_at"]),
                           status: RunStatus(rawValue: row["status"]) ?? .completed, gitCommit: row["git_commit"],
                           gitBranch: row["git_branch"], gitDirty: row["git_dirty"], machineFingerprint: row["machine_fingerprint"],
                           benchmarkCount: row["benchmark_count"])
            }
        }
    }

    public func history(benchmark: String, limit: Int) async throws -> [HistoryEntry] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT b.*, r.started_at, r.git_commit, r.git_branch FROM benchmarks b JOIN runs r ON r.id = b.run_id
                WHERE b.name = ? ORDER BY r.started_at DESC, b.position LIMIT ?
                """, arguments: [benchmark, limit]).reversed().map { row in
                HistoryEntry(runID: row["run_id"], startedAt: Timestamp(secondsSinceEpoch: row["started_at"]),
                             gitCommit: row["git_commit"], gitBranch: row["git_branch"], benchmark: row["name"],
                             parametersKey: row["parameters_key"],
                             status: BenchmarkStatus(rawValue: row["status"]) ?? .failed, count: row["count"],
                             mean: row["mean"], median: row["median"], stddev: row["stddev"], p95: row["p95"],
                             p99: row["p99"], min: row["min"], max: row["max"])
            }
        }
    }

    public func containsRun(id: String) async throws -> Bool {
        try await pool.read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM runs WHERE id = ?)", arguments: [id]) ?? false }
    }

    public func revision() async throws -> String {
        try await pool.read { db in
            try String.fetchOne(db, sql: """
                SELECT (SELECT count(*) || ':' || coalesce(max(rowid), 0) FROM runs) || '/' ||
                       (SELECT count(*) || ':' || coalesce(max(created_at), 0) FROM baselines)
                """) ?? ""
        }
    }

    public func runCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM runs") ?? 0 }
    }

    public func benchmarkNames() async throws -> [String] {
        try await pool.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT name FROM benchmarks ORDER BY name") }
    }

    public func saveBaseline(name: String, runID: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO baselines (name, run_id, created_at) VALUES (?, ?, ?)",
                           arguments: [name, runID, Date().timeIntervalSince1970])
        }
    }

    public func baseline(name: String) async throws -> Baseline? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM baselines WHERE name = ?", arguments: [name]).map(Self.baseline)
        }
    }

    public func baselines() async throws -> [Baseline] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM baselines ORDER BY name").map(Self.baseline)
        }
    }

    public func close() async throws {
        try pool.close()
    }

    private static func baseline(_ row: Row) -> Baseline {
        Baseline(name: row["name"], runID: row["run_id"], createdAt: Timestamp(secondsSinceEpoch: row["created_at"]))
    }

    private static func likePrefix(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%"
    }

    private static func load(_ db: Database, id: String) throws -> RunReport? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE id = ?", arguments: [id]) else { return nil }
        var report = RunReport(
            id: row["id"], metronVersion: row["metron_version"],
            startedAt: Timestamp(secondsSinceEpoch: row["started_at"]),
            finishedAt: (row["finished_at"] as Double?).map { Timestamp(secondsSinceEpoch: $0) },
            status: RunStatus(rawValue: row["status"]) ?? .completed)
        report.schemaVersion = row["schema_version"]
        if let commit: String = row["git_commit"] {
            report.git = GitInfo(commit: commit, branch: row["git_branch"], dirty: row["git_dirty"])
        }
        if let machine: Data = row["machine_json"] {
            report.machine = try RecordCoding.decode(MachineInfo.self, from: machine, what: "machine of run \(id)")
        }
        report.tags = try RecordCoding.decode([String].self, from: row["tags_json"], what: "tags of run \(id)")
        try RunExtras.apply(row["extras_json"], to: &report)
        let blobs = try Row.fetchAll(db, sql: "SELECT result_json, samples FROM benchmarks WHERE run_id = ? ORDER BY position",
                                     arguments: [id]).map { (record: $0["result_json"] as Data, samples: $0["samples"] as Data?) }
        report.benchmarks = try RecordCoding.decodeResults(blobs, what: "a benchmark of run \(id)")
        return report
    }
}
