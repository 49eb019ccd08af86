import Foundation
import MetronCore
import Testing
@testable import MetronStore

/// Reports with known content, and the stores under test.
enum StoreFixtures {
    static func report(id: String = UUID().uuidString.lowercased(), at seconds: Double, commit: String = "abc123",
                       means: [String: Double], suite: String? = nil) -> RunReport {
        var report = RunReport(id: id, metronVersion: "test", startedAt: Timestamp(secondsSinceEpoch: seconds),
                               finishedAt: Timestamp(secondsSinceEpoch: seconds + 1),
                               machine: MachineInfo(hostname: "h", cpuModel: "cpu", logicalCores: 2, memoryBytes: 1 << 30,
                                                    os: "Linux", kernel: "6", architecture: "x86_64"),
                               git: GitInfo(commit: commit, branch: "main", dirty: false), tags: ["t"])
        for name in means.keys.sorted() {
            let mean = means[name]!
            let runs = (0..<5).map { index in
                CommandRun(wallTime: mean + Double(index - 2) * mean * 0.01, userTime: mean / 2, systemTime: 0.001,
                           peakRSS: 1 << 20, writeChars: 42)
            }
            report.benchmarks.append(BenchmarkResult(
                name: name, kind: .command, command: name, suite: suite, parameters: [Parameter(name: "n", value: "1")],
                metrics: CommandMetrics.summarize(runs, bootstrap: BootstrapOptions(resamples: 100)), runs: runs))
        }
        return report
    }

    static func temporarySQLitePath() -> String {
        NSTemporaryDirectory() + "metron-store-tests-\(getpid())/" + UUID().uuidString + "/metron.sqlite"
    }

    /// A real PostgreSQL server, from METRON_TEST_POSTGRES_URL (scripts/test.sh starts one).
    static let postgresURL = ProcessInfo.processInfo.environment["METRON_TEST_POSTGRES_URL"]

    /// A fresh, empty database on that server for one test.
    static func freshPostgresStore() async throws -> PostgresStore {
        try await PostgresStore(url: freshPostgresURL())
    }

    /// The URL of a fresh, empty database on that server.
    static func freshPostgresURL() async throws -> String {
        let url = try #require(postgresURL)
        let admin = try await PostgresStore(url: url)
        let database = "metron_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        try await admin.execute("CREATE DATABASE \(database)")
        try await admin.close()
        var components = URLComponents(string: url)!
        components.path = "/" + database
        return components.string!
    }
}

