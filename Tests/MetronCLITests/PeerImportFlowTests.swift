import Foundation
import MetronCore
import Testing

/// Fresh output of the real peer tools, made in the test, imported into a store and judged there
/// like Metron's own runs: `history` lists them, `compare` gives verdicts from their samples.
@Suite(.serialized)
struct PeerImportFlowTests {
    static let hyperfine = ["/usr/bin/hyperfine", "/usr/local/bin/hyperfine"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    static let pytestBenchmark: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import pytest_benchmark"]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    func run(_ executable: String, _ arguments: [String], directory: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    func directory(_ name: String) throws -> String {
        let path = Binaries.temporaryPath(name)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test(.enabled(if: hyperfine != nil, "hyperfine is not installed"))
    func hyperfineRunsAreStoredAndCompared() throws {
        let work = try directory("peer-hyperfine")
        let store = work + "/s.sqlite"
        for (file, delay) in [("base.json", "0.01"), ("slow.json", "0.03")] {
            #expect(try run(Self.hyperfine!, ["-N", "--runs", "10", "--command-name", "nap", "--export-json", file, "sleep \(delay)"],
                            directory: work) == 0)
        }
        let imported = try metron(["import", work + "/base.json", work + "/slow.json", "--store", store])
        #expect(imported.status == 0, "\(imported.stderr)")
        let history = try metron(["history", "nap", "--store", store, "--json"])
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
        #expect(entries.count == 2)
        // 10 ms against 30 ms, each side its ten hyperfine times: a significant slowdown.
        let ids = entries.compactMap { $0["runID"] as? String }
        let byMean = zip(ids, entries.compactMap { $0["mean"] as? Double }).sorted { $0.1 < $1.1 }.map(\.0)
        try #require(byMean.count == 2)
        let compare = try metron(["compare", "--baseline", byMean[0], "--current", byMean[1], "--store", store, "--json"])
        #expect(compare.status == 0, "\(compare.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(compare.stdout.utf8)) as? [String: Any])
        let comparison = try #require((report["comparisons"] as? [[String: Any]])?.first)
        #expect(comparison["verdict"] as? String == "slower" && (comparison["pValue"] as? Double ?? 1) < 0.01, "\(comparison)")
        let again = try metron(["import", work + "/base.json", "--store", store])
        #expect(again.status == 2 && again.stderr.contains("already stored"), "\(again.stderr)")
    }

    /// The committed fixtures of every format at once, Criterion's folder among them.
    @Test func everyFormatEntersOneHistory() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/peer-formats").path
        let store = try directory("peer-all") + "/s.sqlite"
        let files = ["criterion", "google-benchmark/out.json", "go/bench.txt", "pytest-benchmark/with-data.json",
                     "hyperfine/two-commands.json", "package-benchmark/sorting.jmh.json", "package-benchmark/sorting-smaller-is-better.json",
                     "bmf/from-hyperfine.json", "google-benchmark/aggregates-only.json", "pytest-benchmark/without-data.json"]
            .map { fixtures + "/" + $0 }
        let imported = try metron(["import"] + files + ["--store", store])
        #expect(imported.status == 0, "\(imported.stderr)")
        let history = try metron(["history", "--store", store, "--json"])
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
        #expect(runs.count == files.count)
        for (name, count) in [("fib/param", 2), ("BM_Sort", 3), ("Sort", 2), ("test_sort", 4), ("sort 1000", 2), ("BM_Sum", 2)] {
            let entries = try metron(["history", name, "--store", store, "--json"])
            let points = try #require(try JSONSerialization.jsonObject(with: Data(entries.stdout.utf8)) as? [[String: Any]])
            #expect(points.count == count, "\(name): \(entries.stdout)")
        }
        let folder = try metron(["import", fixtures + "/criterion", "--store", store])
        #expect(folder.status == 2 && folder.stderr.contains("already stored"), "\(folder.stderr)")
    }

    @Test(.enabled(if: pytestBenchmark, "pytest-benchmark is not installed"))
    func pytestBenchmarkRunsAreStored() throws {
        let work = try directory("peer-pytest")
        try """
        import pytest

        @pytest.mark.parametrize("size", [10, 100])
        def test_sort(benchmark, size):
            data = list(range(size, 0, -1))
            benchmark(sorted, data)
        """.write(toFile: work + "/test_peer.py", atomically: true, encoding: .utf8)
        #expect(try run("/usr/bin/env", ["python3", "-m", "pytest", "-q", "-p", "no:cacheprovider", "--benchmark-json=out.json",
                                         "--benchmark-min-rounds=5", "--benchmark-max-time=0.05", "test_peer.py"], directory: work) == 0)
        let store = work + "/s.sqlite"
        let imported = try metron(["import", work + "/out.json", "--store", store])
        #expect(imported.status == 0, "\(imported.stderr)")
        let history = try metron(["history", "test_sort", "--store", store, "--json"])
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
        #expect(entries.count == 2, "one per parameter value: \(history.stdout)")
        let foreign = work + "/foreign.json"
        try #"{"something": "else"}"#.write(toFile: foreign, atomically: true, encoding: .utf8)
        let refused = try metron(["import", foreign, "--store", store])
        #expect(refused.status == 2 && refused.stderr.contains("--format"), "\(refused.stderr)")
        let wrong = try metron(["import", "--format", "hyperfine", work + "/out.json", "--store", store])
        #expect(wrong.status == 2 && wrong.stderr.contains("out.json") && wrong.stderr.contains("results"), "\(wrong.stderr)")
    }

    /// Results with one figure each (BMF): stored, compared without a test, and the comparison
    /// says why; the run goes back out as BMF and github-action-benchmark JSON.
    @Test func summariesAreComparedByTheirRangesAndExported() throws {
        let work = try directory("peer-summaries")
        let store = work + "/s.sqlite"
        func bmf(_ file: String, _ value: Double, _ spread: Double) throws {
            try #"{"parse": {"latency": {"value": \#(value), "lower_value": \#(value - spread), "upper_value": \#(value + spread)}}}"#
                .write(toFile: work + "/" + file, atomically: true, encoding: .utf8)
        }
        try bmf("a.json", 1_000_000, 10_000)
        try bmf("b.json", 1_500_000, 10_000)
        try bmf("c.json", 1_010_000, 400_000)
        for file in ["a.json", "b.json", "c.json"] {
            let imported = try metron(["import", work + "/" + file, "--store", store])
            #expect(imported.status == 0, "\(imported.stderr)")
        }
        let history = try metron(["history", "parse", "--store", store, "--json"])
        let ids = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]]).compactMap { $0["runID"] as? String }
        try #require(ids.count == 3)
        func verdict(_ baseline: String, _ current: String) throws -> [String: Any] {
            let compare = try metron(["compare", "--baseline", baseline, "--current", current, "--store", store, "--json"])
            let report = try #require(try JSONSerialization.jsonObject(with: Data(compare.stdout.utf8)) as? [String: Any], "\(compare.stderr)")
            return try #require((report["comparisons"] as? [[String: Any]])?.first)
        }
        let means = try ids.map { id -> Double in
            let shown = try metron(["report", "--run", id, "--format", "bmf", "--store", store])
            let document = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: [String: [String: Double]]])
            return try #require(document["parse"]?["latency"]?["value"])
        }
        let byValue = Dictionary(uniqueKeysWithValues: zip(means.map { Int($0) }, ids))
        let a = try #require(byValue[1_000_000]), b = try #require(byValue[1_500_000]), c = try #require(byValue[1_010_000])
        let slower = try verdict(a, b)
        #expect(slower["verdict"] as? String == "slower" && (slower["evidence"] as? String)?.contains("no significance test") == true, "\(slower)")
        let wide = try verdict(a, c)
        #expect(wide["verdict"] as? String == "inconclusive", "+1 % inside a ±40 % range proves nothing: \(wide)")
        let text = try metron(["compare", "--baseline", a, "--current", b, "--store", store])
        #expect(text.stdout.contains("no raw samples"), "the terminal says why there is no p-value: \(text.stdout)")
        let custom = try metron(["report", "--run", b, "--format", "custom-smaller-is-better", "--store", store])
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(custom.stdout.utf8)) as? [[String: Any]], "\(custom.stderr)")
        #expect(entries.count == 1 && entries[0]["name"] as? String == "parse" && entries[0]["unit"] as? String == "ns")
        #expect(abs((entries[0]["value"] as? Double ?? 0) - 1_500_000) < 1e-6)
    }

    /// A suite entry that runs another harness and imports what it wrote; a file left from an
    /// earlier run is refused rather than stored as new.
    @Test(.enabled(if: hyperfine != nil, "hyperfine is not installed"))
    func suiteEntryRunsAHarnessAndImportsItsResults() throws {
        let work = try directory("peer-suite")
        try """
        suites:
          peers:
            benchmarks:
              - name: hyperfine
                command: \(Self.hyperfine!) -N --runs 5 --export-json out/hf.json 'sleep 0.005'
                import: { format: hyperfine, path: out/hf.json }
              - name: stale
                command: "true"
                import: { format: hyperfine, path: old.json }
        """.write(toFile: work + "/metron.yml", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: work + "/out", withIntermediateDirectories: true)
        let old = work + "/old.json"
        try FileManager.default.copyItem(atPath: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/peer-formats/hyperfine/two-commands.json").path, toPath: old)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: old)
        let run = try metron(["run", "--store", "s.sqlite", "--export-json", "run.json"], directory: work)
        #expect(run.status == 1, "the stale entry fails the run: \(run.stdout) \(run.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: work + "/run.json"))) as? [String: Any])
        let benchmarks = try #require(report["benchmarks"] as? [[String: Any]])
        let imported = try #require(benchmarks.first { $0["name"] as? String == "peers/sleep 0.005" }, "\(benchmarks.map { $0["name"] ?? "" })")
        #expect(imported["suite"] as? String == "peers" && imported["status"] as? String == "ok")
        let wall = try #require((imported["metrics"] as? [[String: Any]])?.first { $0["id"] as? String == "wall_time" })
        #expect((wall["samples"] as? [Double])?.count == 5, "hyperfine's five runs")
        let stale = try #require(benchmarks.first { ($0["name"] as? String)?.hasPrefix("peers/") == true && $0["status"] as? String == "failed" })
        #expect((stale["message"] as? String)?.contains("not written by this run") == true, "\(stale)")
        let badFormat = work + "/bad.yml"
        try "suites:\n  s:\n    benchmarks:\n      - command: x\n        import: { format: nope, path: p }\n"
            .write(toFile: badFormat, atomically: true, encoding: .utf8)
        let refused = try metron(["run", "--config", badFormat, "--store", "s.sqlite"], directory: work)
        #expect(refused.status == 2 && refused.stderr.contains("bad.yml:5:") && refused.stderr.contains("unknown format 'nope'"), "\(refused.stderr)")
    }
}
