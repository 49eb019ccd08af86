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
                     "hyperfine/two-commands.json"].map { fixtures + "/" + $0 }
        let imported = try metron(["import"] + files + ["--store", store])
        #expect(imported.status == 0, "\(imported.stderr)")
        let history = try metron(["history", "--store", store, "--json"])
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
        #expect(runs.count == 5)
        for (name, count) in [("fib/param", 2), ("BM_Sort", 3), ("Sort", 2), ("test_sort", 2)] {
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
}
