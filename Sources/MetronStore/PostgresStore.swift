import Foundation
import Logging
import MetronCore
import PostgresNIO

/// A team's shared history on PostgreSQL. Same contract as the SQLite store; tables are prefixed
/// `metron_` so the database can be shared with other applications.
public final class PostgresStore: ResultStore {
    public let location: String
    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let logger = Logger(label: "metron.store", factory: { _ in SwiftLogNoOpLogHandler() })

    static let schemaVersion = 3

    /// Connects and migrates. `url` is postgres://user[:password]@host[:port]/database.
    public init(url: String) async throws {
        location = PostgresStore.redacted(url)
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty,
              let user = components.user, components.path.count > 1
        else { throw StoreError.invalidLocation(url) }
        let database = String(components.path.dropFirst())
        let password = components.password?.removingPercentEncoding
        // One direct connection first: the pool retries a failing server forever, while a single
        // attempt fails fast with the server's own reason (refused, unknown database, password).
        var probe = PostgresConnection.Configuration(host: host, port: components.port ?? 5432, username: user,
                                                     password: password, database: database, tls: .disable)
        probe.options.connectTimeout = .seconds(10)
        do {
            let connection = try await PostgresConnection.connect(configuration: probe, id: 0, logger: logger)
            try await connection.close()
        } catch {
            throw StoreError.connectionFailed(Self.redacted(url), reason: Self.reason(error))
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: user,
            password: password, database: database, tls: .disable)
        configuration.options.connectTimeout = .seconds(10)
        let client = PostgresClient(configuration: configuration)
        self.client = client
        runner = Task { await client.run() }
        do {
            try await migrate()
        } catch let error as StoreError {
            runner.cancel()
            throw error
        } catch {
            runner.cancel()
            throw StoreError.connectionFailed(location, reason: Self.reason(error))
        }
    }

    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        if components.password != nil { components.password = "***" }
        return components.string ?? url
    }

    static func reason(_ error: Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            return "\(error.code)"
        }
        return "\(error)"
    }

    private func migrate() async throws {
        try await client.withTransaction(logger: logger) { connection in
            // One migrator at a time across every metron process and machine.
            try await connection.query("SELECT pg_advisory_xact_lock(7718)", logger: logger)
            try await connection.query("CREATE TABLE IF NOT EXISTS metron_schema (version INTEGER NOT NULL)", logger: logger)
            var found: Int?
            for try await version in try await connection.query("SELECT max(version) FROM metron_schema", logger: logger).decode(Int?.self) {
                found = version
            }
            let current = found ?? 0
            if current > Self.schemaVersion {
                throw StoreError.newerSchema(location, found: current, supported: Self.schemaVersion)
            }
            if current < 1 {
                for statement in Self.version1 {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("INSERT INTO metron_schema (version) VALUES (1)", logger: logger)
            }
            if current < 2 {
                // Top-level run fields without a column of their own (RunExtras).
                try await connection.query("ALTER TABLE metron_runs ADD COLUMN extras_json BYTEA", logger: logger)
                try await connection.query("INSERT INTO metron_schema (version) VALUES (2)", logger: logger)
            }
            if current < 3 {
                try await Self.packSamples(connection, logger: logger)
                try await connection.query("INSERT INTO metron_schema (version) VALUES (3)", logger: logger)
            }
        }
    }

    /// Raw numbers packed apart from the record (CompactResult): the column, then every earlier
    /// row rewritten, 500 at a time, in the migration's transaction.
    private static func packSamples(_ connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("ALTER TABLE metron_benchmarks ADD COLUMN samples BYTEA", logger: logger)
        var last: Int64 = 0
        while true {
            var batch: [(Int64, Data)] = []
            for try await (id, json) in try await connection.query(
                "SELECT id, result_json FROM metron_benchmarks WHERE id > \(last) ORDER BY id LIMIT 500", logger: logger
            ).decode((Int64, Data).self) {
                batch.append((id, json))
            }
            guard let end = batch.last?.0 else { return }
            last = end
            var sql = "UPDATE metron_benchmarks AS b SET result_json = v.r, samples = v.s FROM (VALUES "
            var bindings = PostgresBindings()
            for (index, (id, json)) in batch.enumerated() {
                let packed = try RecordCoding.repack(wholeJSON: json, what: "stored benchmark \(id)")
                sql += (index == 0 ? "" : ", ") + "($\(3 * index + 1)::bigint, $\(3 * index + 2)::bytea, $\(3 * index + 3)::bytea)"
                bindings.append(id)
                try bindings.append(packed.record)
                try bindings.append(packed.samples)
            }
            sql += ") AS v(id, r, s) WHERE b.id = v.id"
            try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
        }
    }

    static let version1 = [
        """
        CREATE TABLE metron_runs (
            id TEXT PRIMARY KEY,
            started_at DOUBLE PRECISION NOT NULL,
            finished_at DOUBLE PRECISION,
            status TEXT NOT NULL,
            schema_version INTEGER NOT NULL,
            metron_version TEXT NOT NULL,
            git_commit TEXT,
            git_branch TEXT,
            git_dirty BOOLEAN NOT NULL DEFAULT FALSE,
            machine_fingerprint TEXT,
            machine_json BYTEA,
            tags_json BYTEA NOT NULL
        )
        """,
        "CREATE INDEX metron_runs_started_at ON metron_runs(started_at)",
        "CREATE INDEX metron_runs_git_commit ON metron_runs(git_commit)",
        """
        CREATE TABLE metron_benchmarks (
            id BIGSERIAL PRIMARY KEY,
            run_id TEXT NOT NULL REFERENCES metron_runs(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            parameters_key TEXT NOT NULL,
            suite TEXT,
            kind TEXT NOT NULL,
            status TEXT NOT NULL,
            count INTEGER NOT NULL,
            mean DOUBLE PRECISION, median DOUBLE PRECISION, stddev DOUBLE PRECISION, p95 DOUBLE PRECISION,
            p99 DOUBLE PRECISION, min DOUBLE PRECISION, max DOUBLE PRECISION,
            result_json BYTEA NOT NULL
        )
        """,
        "CREATE INDEX metron_benchmarks_run ON metron_benchmarks(run_id, position)",
        "CREATE INDEX metron_benchmarks_name ON metron_benchmarks(name, parameters_key)",
        "CREATE INDEX metron_benchmarks_suite ON metron_benchmarks(suite)",
        """
        CREATE TABLE metron_baselines (
            name TEXT PRIMARY KEY,
            run_id TEXT NOT NULL REFERENCES metron_runs(id) ON DELETE CASCADE,
            created_at DOUBLE PRECISION NOT NULL
        )
        """,
    ]

    public func save(_ report: RunReport) async throws {
        let rows = try report.benchmarks.enumerated().map { try BenchmarkRow(position: $0.offset, result: $0.element) }
        let machine = try report.machine.map { try RecordCoding.encode($0) }
        let tags = try RecordCoding.encode(report.tags)
        let extras = try RunExtras.encode(report)
        do {
            try await insert(report, rows: rows, machine: machine, tags: tags, extras: extras)
        } catch {
            // unique_violation: another process saved the same run between the check and this write.
            let cause = (error as? PostgresTransactionError)?.closureError ?? error
            if let failure = cause as? PSQLError, failure.serverInfo?[.sqlState] == "23505" { throw StoreError.alreadyStored(report.id) }
            throw error
        }
    }

    private func insert(_ report: RunReport, rows: [BenchmarkRow], machine: Data?, tags: Data, extras: Data?) async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("""
                INSERT INTO metron_runs (id, started_at, finished_at, status, schema_version, metron_version, git_commit,
                                         git_branch, git_dirty, machine_fingerprint, machine_json, tags_json, extras_json)
                VALUES (\(report.id), \(report.startedAt.secondsSinceEpoch), \(report.finishedAt?.secondsSinceEpoch),
                        \(report.status.rawValue), \(report.schemaVersion), \(report.metronVersion), \(report.git?.commit),
                        \(report.git?.branch), \(report.git?.dirty ?? false), \(report.machine?.fingerprint), \(machine), \(tags),
                        \(extras))
                """, logger: logger)
            // Multi-row inserts, a few hundred rows per statement, keep ingestion fast.
            for chunk in stride(from: 0, to: rows.count, by: 200).map({ rows[$0..<min($0 + 200, rows.count)] }) {
                var sql = "INSERT INTO metron_benchmarks (run_id, position, name, parameters_key, suite, kind, status, count, mean, median, stddev, p95, p99, min, max, result_json, samples) VALUES "
                var bindings = PostgresBindings()
                for (index, row) in chunk.enumerated() {
                    let base = index * 17
                    sql += (index == 0 ? "" : ", ") + "(" + (1...17).map { "$\(base + $0)" }.joined(separator: ", ") + ")"
                    bindings.append(report.id)
                    bindings.append(row.position)
                    bindings.append(row.name)
                    bindings.append(row.parametersKey)
                    bindings.append(row.suite)
                    bindings.append(row.kind)
                    bindings.append(row.status)
                    bindings.append(row.count)
                    bindings.append(row.mean)
                    bindings.append(row.median)
                    bindings.append(row.stddev)
                    bindings.append(row.p95)
                    bindings.append(row.p99)
                    bindings.append(row.min)
                    bindings.append(row.max)
                    try bindings.append(row.record)
                    try bindings.append(row.samples)
                }
                try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
            }
        }
    }

    public func run(id: String) async throws -> RunReport? {
        var ids: [String] = []
        for try await found in try await client.query(
            "SELECT id FROM metron_runs WHERE id = \(id) OR id LIKE \(Self.likePrefix(id)) LIMIT 2", logger: logger
        ).decode(String.self) {
            ids.append(found)
        }
        if ids.contains(id) { return try await load(id: id) }
        guard !ids.isEmpty else { return nil }
        guard ids.count == 1 else { throw StoreError.ambiguousRun(id) }
        return try await load(id: ids[0])
    }

    public func latestRun(suite: String?) async throws -> RunReport? {
        let query: PostgresQuery
        if let suite {
            query = """
                SELECT r.id FROM metron_runs r WHERE EXISTS
                (SELECT 1 FROM metron_benchmarks b WHERE b.run_id = r.id AND b.suite = \(suite))
                ORDER BY r.started_at DESC LIMIT 1
                """
        } else {
            query = "SELECT id FROM metron_runs ORDER BY started_at DESC LIMIT 1"
        }
        for try await id in try await client.query(query, logger: logger).decode(String.self) {
            return try await load(id: id)
        }
        return nil
    }

    public func run(commit: String) async throws -> RunReport? {
        for try await id in try await client.query(
            "SELECT id FROM metron_runs WHERE git_commit LIKE \(Self.likePrefix(commit)) ORDER BY started_at DESC LIMIT 1",
            logger: logger
        ).decode(String.self) {
            return try await load(id: id)
        }
        return nil
    }

    public func runs(limit: Int) async throws -> [RunSummary] {
        var result: [RunSummary] = []
        let rows = try await client.query("""
            SELECT r.id, r.started_at, r.status, r.git_commit, r.git_branch, r.git_dirty, r.machine_fingerprint,
                   (SELECT count(*) FROM metron_benchmarks b WHERE b.run_id = r.id)
            FROM metron_runs r ORDER BY r.started_at DESC LIMIT \(limit)
            """, logger: logger)
        for try await (id, started, status, commit, branch, dirty, fingerprint, count)
            in rows.decode((String, Double, String, String?, String?, Bool, String?, Int).self)
        {
            result.append(RunSummary(id: id, startedAt: Timestamp(secondsSinceEpoch: started),
                                     status: RunStatus(rawValue: status) ?? .completed, gitCommit: commit,
                                     gitBranch: branch, gitDirty: dirty, machineFingerprint: fingerprint,
                                     benchmarkCount: count))
        }
        return result
    }

    public func history(benchmark: String, limit: Int) async throws -> [HistoryEntry] {
        var result: [HistoryEntry] = []
        let rows = try await client.query("""
            SELECT b.run_id, r.started_at, r.git_commit, r.git_branch, b.name, b.parameters_key, b.status, b.count,
                   b.mean, b.median, b.stddev, b.p95, b.p99, b.min, b.max
            FROM metron_benchmarks b JOIN metron_runs r ON r.id = b.run_id
            WHERE b.name = \(benchmark) ORDER BY r.started_at DESC, b.position LIMIT \(limit)
            """, logger: logger)
        for try await row in rows {
            let (runID, started, commit, branch, name, key, status, count) =
                try row.decode((String, Double, String?, String?, String, String, String, Int).self)
            let columns = row.makeRandomAccess()
            func number(_ index: Int) throws -> Double? { try columns[index].decode(Double?.self) }
            result.append(HistoryEntry(
                runID: runID, startedAt: Timestamp(secondsSinceEpoch: started), gitCommit: commit, gitBranch: branch,
                benchmark: name, parametersKey: key, status: BenchmarkStatus(rawValue: status) ?? .failed, count: count,
                mean: try number(8), median: try number(9), stddev: try number(10), p95: try number(11),
                p99: try number(12), min: try number(13), max: try number(14)))
        }
        return result.reversed()
    }

    public func containsRun(id: String) async throws -> Bool {
        for try await exists in try await client.query("SELECT EXISTS (SELECT 1 FROM metron_runs WHERE id = \(id))", logger: logger)
            .decode(Bool.self) { return exists }
        return false
    }

    public func revision() async throws -> String {
        for try await (runs, newest, baselines, baselineTime) in try await client.query("""
            SELECT (SELECT count(*) FROM metron_runs), (SELECT coalesce(max(started_at), 0) FROM metron_runs),
                   (SELECT count(*) FROM metron_baselines), (SELECT coalesce(max(created_at), 0) FROM metron_baselines)
            """, logger: logger).decode((Int64, Double, Int64, Double).self) {
            return "\(runs):\(newest)/\(baselines):\(baselineTime)"
        }
        return ""
    }

    public func runCount() async throws -> Int {
        for try await count in try await client.query("SELECT count(*) FROM metron_runs", logger: logger).decode(Int64.self) {
            return Int(count)
        }
        return 0
    }

    public func benchmarkNames() async throws -> [String] {
        var names: [String] = []
        for try await name in try await client.query("SELECT DISTINCT name FROM metron_benchmarks ORDER BY name", logger: logger)
            .decode(String.self)
        {
            names.append(name)
        }
        return names
    }

    public func saveBaseline(name: String, runID: String) async throws {
        try await client.query("""
            INSERT INTO metron_baselines (name, run_id, created_at) VALUES (\(name), \(runID), \(Date().timeIntervalSince1970))
            ON CONFLICT (name) DO UPDATE SET run_id = EXCLUDED.run_id, created_at = EXCLUDED.created_at
            """, logger: logger)
    }

    public func baseline(name: String) async throws -> Baseline? {
        for try await (name, runID, created) in try await client.query(
            "SELECT name, run_id, created_at FROM metron_baselines WHERE name = \(name)", logger: logger
        ).decode((String, String, Double).self) {
            return Baseline(name: name, runID: runID, createdAt: Timestamp(secondsSinceEpoch: created))
        }
        return nil
    }

    public func baselines() async throws -> [Baseline] {
        var result: [Baseline] = []
        for try await (name, runID, created) in try await client.query(
            "SELECT name, run_id, created_at FROM metron_baselines ORDER BY name", logger: logger
        ).decode((String, String, Double).self) {
            result.append(Baseline(name: name, runID: runID, createdAt: Timestamp(secondsSinceEpoch: created)))
        }
        return result
    }

    /// Runs one statement outside the store's tables (tests create databases with it).
    func execute(_ sql: String) async throws {
        try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
    }

    public func close() async throws {
        runner.cancel()
        _ = await runner.value
    }

    private static func likePrefix(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%"
    }

    private func load(id: String) async throws -> RunReport? {
        let runRows = try await client.query("""
            SELECT id, metron_version, started_at, finished_at, status, schema_version, git_commit, git_branch, git_dirty,
                   machine_json, tags_json, extras_json FROM metron_runs WHERE id = \(id)
            """, logger: logger)
        var loaded: RunReport?
        for try await (rowID, version, started, finished, status, schema, commit, branch, dirty, machine, tags, extras)
            in runRows.decode((String, String, Double, Double?, String, Int, String?, String?, Bool, Data?, Data, Data?).self)
        {
            var report = RunReport(id: rowID, metronVersion: version, startedAt: Timestamp(secondsSinceEpoch: started),
                                   finishedAt: finished.map { Timestamp(secondsSinceEpoch: $0) },
                                   status: RunStatus(rawValue: status) ?? .completed)
            report.schemaVersion = schema
            if let commit { report.git = GitInfo(commit: commit, branch: branch, dirty: dirty) }
            report.machine = try machine.map { try RecordCoding.decode(MachineInfo.self, from: $0, what: "machine of run \(id)") }
            report.tags = try RecordCoding.decode([String].self, from: tags, what: "tags of run \(id)")
            try RunExtras.apply(extras, to: &report)
            loaded = report
        }
        guard var report = loaded else { return nil }
        var blobs: [(record: Data, samples: Data?)] = []
        for try await (record, samples) in try await client.query(
            "SELECT result_json, samples FROM metron_benchmarks WHERE run_id = \(id) ORDER BY position", logger: logger
        ).decode((Data, Data?).self) {
            blobs.append((record, samples))
        }
        report.benchmarks = try RecordCoding.decodeResults(blobs, what: "a benchmark of run \(id)")
        return report
    }
}
