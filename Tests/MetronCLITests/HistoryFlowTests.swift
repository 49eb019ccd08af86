import Foundation
import MetronCore
import Testing

/// The store through the CLI: save, list, baselines, suite files, concurrent writers, kill -9.
@Suite(.serialized)
struct HistoryFlowTests {
    func storePath() -> String { Binaries.temporaryPath("store") + "/metron.sqlite" }

    @Test func execSaveThenHistoryAndBaselines() throws {
        let store = storePath()
        let command = Binaries.workload("sleep", "0.01")
        for _ in 0..<2 {
            let result = try metron(["exec", "--runs", "3", "--save", "--store", store, "--name", "nap", command])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("Saved run "))
        }
        let runs = try metron(["history", "--store", store])
        #expect(runs.status == 0)
        #expect(runs.stdout.split(separator: "\n").count == 4, "header, rule, two runs:\n\(runs.stdout)")

        let history = try metron(["history", "nap", "--store", store, "--json"])
        #expect(history.status == 0, "\(history.stderr)")
        let entries = try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]]
        #expect(entries?.count == 2)
        #expect(entries?.allSatisfy { ($0["mean"] as? Double ?? 0) > 0.01 } == true)

        let unknown = try metron(["history", "nope", "--store", store])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no stored results for benchmark 'nope'; known: nap"))

        #expect(try metron(["baseline", "save", "main", "--store", store]).status == 0)
        let list = try metron(["baseline", "list", "--store", store])
        #expect(list.stdout.contains("main"))
        #expect(try metron(["baseline", "save", "x", "no-such-run", "--store", store]).status == 2)
    }

    @Test func runExecutesASuiteFileAndStoresIt() throws {
        let directory = Binaries.temporaryPath("suite")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let config = directory + "/metron.yml"
        let output = directory + "/out"
        try """
            version: 1
            defaults: { runs: 3 }
            suites:
              naps:
                env: { NAP: "0.01" }
                benchmarks:
                  - name: short
                    command: \(Binaries.workload("sleep", "0.01"))
                  - name: scan
                    command: \(Binaries.workload("sleep", "0.0{n}"))
                    parameters: { n: [1, 2] }
              other:
                benchmarks:
                  - command: \(Binaries.workload("noop"))
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let store = storePath()
        let result = try metron(["run", "--config", config, "--suite", "naps", "--store", store],
                                environment: ["METRON_OUTPUT_DIR": output, "METRON_RUNS": "2"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("naps/scan [n=2]"))
        #expect(!result.stdout.contains("other/"), "--suite selects")
        let files = try FileManager.default.contentsOfDirectory(atPath: output)
        #expect(files.count == 1)
        let report = try decodeReport(output + "/" + files[0])
        #expect(report.benchmarks.map(\.name) == ["naps/short", "naps/scan", "naps/scan"])
        #expect(report.benchmarks.allSatisfy { $0.runs.count == 2 && $0.suite == "naps" }, "METRON_RUNS overrides the file")
        let history = try metron(["history", "naps/scan", "--store", store])
        #expect(history.stdout.contains("n=1") && history.stdout.contains("n=2"))
    }

    @Test func suiteFileErrorsNameFileLineColumnAndExit2() throws {
        let config = Binaries.temporaryPath("bad.yml")
        try "suites:\n  a:\n    benchmarks:\n      - command: true\n        warmup: lots\n".write(toFile: config, atomically: true, encoding: .utf8)
        let result = try metron(["run", "--config", config, "--store", storePath()])
        #expect(result.status == 2)
        #expect(result.stderr == "metron: error: \(config):5:17: warmup must be an integer\n")
        let missing = try metron(["run", "--config", "/nonexistent/metron.yml"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("/nonexistent/metron.yml"))
    }

    @Test func fourConcurrentMetronProcessesLoseNothing() throws {
        let store = storePath()
        let processes = try (0..<4).map { index -> Process in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Binaries.metron)
            process.arguments = ["exec", "--runs", "2", "--save", "--store", store, "--name", "writer-\(index)",
                                 Binaries.workload("noop")]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        for process in processes {
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
        let history = try metron(["history", "--store", store, "--json"])
        let runs = try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]]
        #expect(runs?.count == 4)
    }

    /// kill -9 while a run is being written: the store holds the run whole or not at all. The run
    /// is large (300 benchmarks × 400 runs) so that storing it takes a while; its import time is
    /// measured first, and metron is killed at moments spread across it.
    @Test func killMinus9WhileSavingLeavesNoHalfWrittenRun() throws {
        let directory = Binaries.temporaryPath("kill-save")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = directory + "/metron.sqlite"
        #expect(try metron(["exec", "--runs", "1", "--save", "--store", store, Binaries.workload("noop")]).status == 0)
        func bigRun(_ id: String) throws -> String {
            var report = RunReport(id: id, metronVersion: "test", startedAt: Timestamp(secondsSinceEpoch: 1_790_000_000))
            report.benchmarks = (0..<300).map { index in
                let runs = (0..<400).map { run in
                    CommandRun(wallTime: 0.01 + Double((index * 7 + run) % 13) * 1e-4, userTime: 0.005, systemTime: 0.001,
                               peakRSS: 1 << 20, exitCode: 0)
                }
                return BenchmarkResult(name: "b\(index)", kind: .command, command: "true", runs: runs)
            }
            for index in report.benchmarks.indices {
                report.benchmarks[index].metrics = CommandMetrics.summarize(report.benchmarks[index].runs, bootstrap: nil)
            }
            let path = directory + "/\(id).json"
            try JSONEncoder().encode(report).write(to: URL(fileURLWithPath: path))
            return path
        }
        let start = Date()
        let reference = try metron(["import", try bigRun("reference"), "--store", store])
        let importTime = Date().timeIntervalSince(start)
        try #require(reference.status == 0, "\(reference.stderr)")
        var stored = 2
        for (trial, fraction) in [0.3, 0.5, 0.7, 0.85, 0.95].enumerated() {
            let file = try bigRun("killed-\(trial)")
            let killed = try metron(["import", file, "--store", store]) { process in
                Thread.sleep(forTimeInterval: importTime * fraction)
                kill(process.processIdentifier, SIGKILL)
            }
            let history = try metron(["history", "--store", store, "--json"])
            try #require(history.status == 0, "the store still opens: \(history.stderr)")
            let runs = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
            #expect(runs.count == stored || runs.count == stored + 1, "after a kill at \(fraction): \(runs.count) runs")
            if runs.count == stored + 1 {
                stored += 1
                #expect(killed.status == 0 || killed.status == 128 + SIGKILL || killed.status == SIGKILL)
                let report = try metron(["report", "--format", "json", "--store", store, "--config", "/nonexistent", "--run", "killed-\(trial)"])
                let data = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any], "\(report.stderr)")
                let benchmarks = (data["run"] as? [String: Any])?["benchmarks"] as? [[String: Any]]
                #expect(benchmarks?.count == 300, "a stored run is whole")
            }
        }
    }

    @Test func corruptStoreIsAClearError() throws {
        let store = storePath()
        try FileManager.default.createDirectory(atPath: (store as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(repeating: 7, count: 4096).write(to: URL(fileURLWithPath: store))
        let result = try metron(["history", "--store", store])
        #expect(result.status == 2, "a store that cannot be used is a usage error, not a failure")
        #expect(result.stderr.contains("is not a SQLite database"), "\(result.stderr)")
    }
}
