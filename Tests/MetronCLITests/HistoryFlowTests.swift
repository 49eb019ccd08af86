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

    @Test func killMinus9MidRunLeavesNoHalfWrittenRun() throws {
        let store = storePath()
        #expect(try metron(["exec", "--runs", "1", "--save", "--store", store, Binaries.workload("noop")]).status == 0)
        _ = try metron(["exec", "--runs", "50", "--save", "--store", store, Binaries.workload("sleep", "0.05"),
                        Binaries.workload("sleep", "0.05")]) { process in
            Thread.sleep(forTimeInterval: 1.0)
            kill(process.processIdentifier, SIGKILL)
        }
        let history = try metron(["history", "--store", store, "--json"])
        #expect(history.status == 0, "the store still opens: \(history.stderr)")
        let runs = try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]]
        #expect(runs?.count == 1, "only the complete run is there")
    }

    @Test func corruptStoreIsAClearError() throws {
        let store = storePath()
        try FileManager.default.createDirectory(atPath: (store as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(repeating: 7, count: 4096).write(to: URL(fileURLWithPath: store))
        let result = try metron(["history", "--store", store])
        #expect(result.status == 1)
        #expect(result.stderr.contains("is not a SQLite database"), "\(result.stderr)")
    }
}
