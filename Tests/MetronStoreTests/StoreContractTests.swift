import Foundation
import MetronCore
import Testing
@testable import MetronStore

/// One contract, both stores: every test runs against SQLite and against a real PostgreSQL.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres
    var testDescription: String { rawValue }

    func makeStore() async throws -> any ResultStore {
        switch self {
        case .sqlite: return try SQLiteStore(path: StoreFixtures.temporarySQLitePath())
        case .postgres: return try await StoreFixtures.freshPostgresStore()
        }
    }
}

/// Under CI every backend runs (a missing server then fails the PostgreSQL cases); elsewhere a
/// missing METRON_TEST_POSTGRES_URL leaves them out, and `PostgresAvailability` says so as a
/// skipped test.
let backends: [Backend] = StoreFixtures.postgresURL == nil && ProcessInfo.processInfo.environment["CI"] == nil
    ? [.sqlite] : Backend.allCases

struct PostgresAvailability {
    @Test(.enabled(if: StoreFixtures.postgresURL != nil,
                   "METRON_TEST_POSTGRES_URL is not set: the PostgreSQL store cases are skipped (scripts/test.sh starts a server)"))
    func postgresServerAnswers() async throws {
        let store = try await StoreFixtures.freshPostgresStore()
        #expect(try await store.runs(limit: 1).isEmpty)
        try await store.close()
    }
}

@Suite(.serialized)
struct StoreContractTests {
    @Test(arguments: backends)
    func savedRunsComeBackIdentical(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let report = StoreFixtures.report(at: 1_700_000_000, means: ["a": 0.1, "b": 0.2])
        try await store.save(report)
        let loaded = try #require(try await store.run(id: report.id))
        #expect(loaded == report)
        #expect(try await store.run(id: String(report.id.prefix(8))) == report, "a unique prefix finds the run")
        #expect(try await store.run(id: "zzzz") == nil)
        // Every top-level field, those without a column of their own included.
        var full = StoreFixtures.report(at: 1_700_000_100, means: ["a": 0.1])
        full.measuredBy = "metron-spawner protocol 3"
        full.interleaving = Interleaving(seed: 42, rounds: 5)
        full.noise = NoiseFigure(loadPerCore: 0.25, steal: 0.01)
        full.reference = "a"
        full.pairedRun = report.id
        full.comparisons = [MetricComparison.comparePaired(benchmark: "a", metric: .wallTime, unit: .seconds,
                                                           baseline: [1, 1.1, 1, 1.05], current: [1.2, 1.3, 1.2, 1.25])]
        try await store.save(full)
        #expect(try await store.run(id: full.id) == full)
        #expect(try await store.runCount() == 2)
        // The same run again, as a second importer racing the first would: a clear error, nothing added.
        await #expect(throws: StoreError.alreadyStored(report.id)) { try await store.save(report) }
        #expect(try await store.runCount() == 2)
        // References: an exact id, then a baseline, then a prefix.
        try await store.saveBaseline(name: String(full.id.prefix(4)), runID: report.id)
        #expect(try await store.run(reference: String(full.id.prefix(4)))?.id == report.id, "a baseline before a prefix")
        #expect(try await store.run(reference: full.id)?.id == full.id)
        #expect(try await store.run(reference: "latest")?.id == full.id)
        try await store.close()
    }

    @Test(arguments: backends)
    func latestRunsAndHistoryAreOrderedByTime(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let old = StoreFixtures.report(at: 1_000, commit: "c1", means: ["parse": 0.10])
        let middle = StoreFixtures.report(at: 2_000, commit: "c2", means: ["parse": 0.12, "render": 0.3], suite: "ui")
        let new = StoreFixtures.report(at: 3_000, commit: "c3", means: ["parse": 0.11])
        for report in [middle, new, old] { try await store.save(report) }

        #expect(try await store.latestRun(suite: nil)?.id == new.id)
        #expect(try await store.latestRun(suite: "ui")?.id == middle.id)
        #expect(try await store.runs(limit: 2).map(\.id) == [new.id, middle.id])
        #expect(try await store.runs(limit: 10).first?.benchmarkCount == 1)
        #expect(try await store.run(commit: "c2")?.id == middle.id)

        let history = try await store.history(benchmark: "parse", limit: 10)
        #expect(history.map(\.gitCommit) == ["c1", "c2", "c3"])
        #expect(history.map { $0.mean.map { ($0 * 1000).rounded() } } == [100, 120, 110])
        #expect(history.allSatisfy { $0.parametersKey == "n=1" && $0.count == 5 })
        #expect(try await store.history(benchmark: "parse", limit: 2).map(\.gitCommit) == ["c2", "c3"])
        #expect(try await store.benchmarkNames() == ["parse", "render"])
        try await store.close()
    }

    @Test(arguments: backends)
    func baselinesAreNamedPointersToRuns(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let first = StoreFixtures.report(at: 1_000, means: ["x": 1])
        let second = StoreFixtures.report(at: 2_000, means: ["x": 2])
        try await store.save(first)
        try await store.save(second)
        try await store.saveBaseline(name: "main", runID: first.id)
        #expect(try await store.baseline(name: "main")?.runID == first.id)
        try await store.saveBaseline(name: "main", runID: second.id)
        try await store.saveBaseline(name: "release-1.0", runID: first.id)
        #expect(try await store.baselines().map(\.name) == ["main", "release-1.0"])
        #expect(try await store.baseline(name: "main")?.runID == second.id)
        #expect(try await store.baseline(name: "nope") == nil)
        try await store.close()
    }

    /// What the server's caches and upload conflicts rest on: an exact existence check, and a
    /// revision that changes with every saved run and baseline — also one saved in the past.
    @Test(arguments: backends)
    func revisionChangesWithEveryWrite(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let empty = try await store.revision()
        #expect(try await store.revision() == empty, "reading does not change it")
        let report = StoreFixtures.report(at: 5_000, means: ["a": 0.1])
        try await store.save(report)
        let one = try await store.revision()
        #expect(one != empty)
        #expect(try await store.containsRun(id: report.id))
        #expect(try await !store.containsRun(id: String(report.id.prefix(8))), "no prefix matching")
        try await store.save(StoreFixtures.report(at: 1_000, means: ["a": 0.1]))  // older than the latest
        let two = try await store.revision()
        #expect(two != one)
        try await store.saveBaseline(name: "main", runID: report.id)
        let three = try await store.revision()
        #expect(three != two)
        try await Task.sleep(nanoseconds: 5_000_000)
        try await store.saveBaseline(name: "main", runID: report.id)  // moved again, same count
        #expect(try await store.revision() != three)
        try await store.close()
    }

    @Test(arguments: backends)
    func ambiguousPrefixIsAnError(backend: Backend) async throws {
        let store = try await backend.makeStore()
        try await store.save(StoreFixtures.report(id: "aaaa-1", at: 1, means: ["x": 1]))
        try await store.save(StoreFixtures.report(id: "aaaa-2", at: 2, means: ["x": 1]))
        await #expect(throws: StoreError.ambiguousRun("aaaa")) { try await store.run(id: "aaaa") }
        #expect(try await store.run(id: "aaaa-2")?.id == "aaaa-2")
        try await store.close()
    }

    @Test(arguments: backends)
    func concurrentWritersLoseNothing(backend: Backend) async throws {
        let first = try await backend.makeStore()
        // Four independent connections (as four metron processes would have) write at once.
        let stores: [any ResultStore]
        switch backend {
        case .sqlite:
            let path = (first as! SQLiteStore).path
            stores = try (0..<4).map { _ in try SQLiteStore(path: path) }
        case .postgres:
            stores = [first, first, first, first]
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (writer, store) in stores.enumerated() {
                group.addTask {
                    for index in 0..<25 {
                        try await store.save(StoreFixtures.report(at: Double(writer * 100 + index), means: ["w\(writer)": 0.1]))
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await first.runs(limit: 1_000).count == 100)
        for writer in 0..<4 {
            #expect(try await first.history(benchmark: "w\(writer)", limit: 100).count == 25)
        }
        try await first.close()
    }
}

@Suite struct SQLiteStoreFileTests {
    @Test func foreignSQLiteDatabaseIsRefused() throws {
        let path = StoreFixtures.temporarySQLitePath()
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [path, "CREATE TABLE contacts (name TEXT);"]
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") {
            try process.run()
            process.waitUntilExit()
        } else {
            // Without the sqlite3 tool, make one through a store and change its identity.
            let store = try SQLiteStore(path: path)
            _ = store
        }
        #expect(throws: StoreError.foreignDatabase(path)) { try SQLiteStore(path: path) }
    }

    @Test func corruptFileIsAClearErrorNotACrash() throws {
        let path = StoreFixtures.temporarySQLitePath()
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(repeating: 0x42, count: 8192).write(to: URL(fileURLWithPath: path))
        #expect(throws: StoreError.notADatabase(path)) { try SQLiteStore(path: path) }
    }

    @Test func locationsParse() throws {
        #expect(try StoreLocation(nil) == .sqlite(path: ".metron/metron.sqlite"))
        #expect(try StoreLocation("sqlite:/tmp/x.db") == .sqlite(path: "/tmp/x.db"))
        #expect(try StoreLocation("runs.db") == .sqlite(path: "runs.db"))
        #expect(try StoreLocation("postgres://u:secret@h:5433/db") == .postgres(url: "postgres://u:secret@h:5433/db"))
        #expect(try StoreLocation("postgres://u:secret@h:5433/db").description == "postgres://u:***@h:5433/db")
        #expect(throws: StoreError.invalidLocation("mysql://x")) { try StoreLocation("mysql://x") }
    }

    @Test func unreachablePostgresIsAClearError() async throws {
        await #expect {
            _ = try await PostgresStore(url: "postgres://metron@127.0.0.1:1/none")
        } throws: { error in
            guard case StoreError.connectionFailed(let location, _) = error else { return false }
            return location == "postgres://metron@127.0.0.1:1/none"
        }
    }
}
