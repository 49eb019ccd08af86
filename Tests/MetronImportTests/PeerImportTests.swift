import Foundation
import MetronCore
import MetronJSON
@testable import MetronImport
import Testing

/// The importers on files written by the real tools (Tests/Fixtures/peer-formats, regenerated
/// by its make-fixtures.sh): what each file holds arrives as samples, parameters and facts.
struct PeerImportTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/peer-formats").path

    func load(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/" + path)) }

    func context(_ file: String) -> ImportContext {
        ImportContext(file: file, machine: MachineInfo(hostname: "here", cpuModel: "cpu", logicalCores: 2, memoryBytes: 1 << 30,
                                                      os: "Linux", kernel: "6", architecture: "x86_64"),
                      git: GitInfo(commit: "abc", branch: "main", dirty: false), modified: Timestamp(secondsSinceEpoch: 1_000))
    }

    /// The file read with Foundation's JSONSerialization, as a second reader of what it says.
    func jsonObject(_ data: Data) throws -> [String: Any] { try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]) }

    /// Equal to the last digits JSONSerialization gets right: it rounds some 17-digit numbers one
    /// unit in the last place away from Python's json and JSONDecoder, which agree.
    func same(_ ours: [Double]?, _ theirs: [Double]?) -> Bool {
        guard let ours, let theirs, ours.count == theirs.count else { return false }
        return zip(ours, theirs).allSatisfy { abs($0 - $1) <= 1e-14 * abs($1) }
    }

    @Test func formatsAreToldFromTheContent() throws {
        #expect(PeerFormat.detect(try load("hyperfine/two-commands.json")) == .hyperfine)
        #expect(PeerFormat.detect(try load("pytest-benchmark/with-data.json")) == .pytestBenchmark)
        #expect(PeerFormat.detect(try load("go/bench.txt")) == .go)
        #expect(PeerFormat.detect(try load("google-benchmark/out.json")) == .googleBenchmark)
        #expect(PeerFormat.detect(try load("package-benchmark/sorting.jmh.json")) == .jmh)
        #expect(PeerFormat.detect(try load("package-benchmark/sorting-smaller-is-better.json")) == .customSmallerIsBetter)
        #expect(PeerFormat.detect(try load("bmf/from-hyperfine.json")) == .bmf)
        #expect(PeerFormat.detect(try load("criterion/fib/fixed20/new/sample.json")) == nil, "a Criterion file alone is no result")
        #expect(PeerFormat.detect(Data("{\"results\": 3}".utf8)) == nil)
    }

    @Test func hyperfineTimesParametersAndExitCodes() throws {
        let data = try load("hyperfine/parameter-list.json")
        let report = try HyperfineImport.convert(data, context: context("p.json"))
        let results = try #require(try jsonObject(data)["results"] as? [[String: Any]])
        #expect(report.benchmarks.count == results.count)
        for (benchmark, result) in zip(report.benchmarks, results) {
            #expect(same(benchmark.metric(.wallTime)?.samples, result["times"] as? [Double]))
            let parameters = try #require(result["parameters"] as? [String: String])
            #expect(benchmark.parameters == parameters.sorted { $0.key < $1.key }.map { Parameter(name: $0.key, value: $0.value) })
            #expect(benchmark.name == result["command"] as? String)
        }
        #expect(report.machine?.hostname == "here" && report.git?.commit == "abc", "this machine's facts: hyperfine records none")
        #expect(report.tags == ["imported:hyperfine"])
        let failing = try HyperfineImport.convert(try load("hyperfine/ignore-failure.json"), context: context("f.json"))
        #expect(failing.benchmarks.contains { $0.warnings.contains { $0.code == .failuresIgnored } })
        // The same file twice is the same run.
        #expect(try HyperfineImport.convert(data, context: context("again.json")).id == report.id)
    }

    @Test func pytestBenchmarkSamplesParametersGroupsAndFacts() throws {
        let data = try load("pytest-benchmark/with-data.json")
        let report = try PytestBenchmarkImport.convert(data, context: context("b.json"))
        let tests = try #require(try jsonObject(data)["benchmarks"] as? [[String: Any]])
        #expect(report.benchmarks.count == tests.count)
        for (benchmark, test) in zip(report.benchmarks, tests) {
            let stats = try #require(test["stats"] as? [String: Any])
            #expect(same(benchmark.metric(.wallTime)?.samples, stats["data"] as? [Double]))
            #expect(benchmark.suite == test["group"] as? String)
        }
        let sort = try #require(report.benchmarks.first { $0.name == "test_sort" && $0.parameters == [Parameter(name: "size", value: "10")] })
        #expect(sort.kind == .inProcess)
        let machine = try #require(try jsonObject(data)["machine_info"] as? [String: Any])
        #expect(report.machine?.hostname == machine["node"] as? String)
        #expect(report.git?.commit == "abc", "pytest recorded the commit as unversioned: this checkout's facts instead")
        #expect(report.startedAt.iso8601.hasPrefix("2026-12-03"))


        // Saved without --benchmark-save-data: pytest-benchmark's summary, no samples.
        let summaryData = try load("pytest-benchmark/without-data.json")
        let summary = try PytestBenchmarkImport.convert(summaryData, context: context("w.json"))
        let summarized = try #require(try jsonObject(summaryData)["benchmarks"] as? [[String: Any]])
        for (benchmark, test) in zip(summary.benchmarks, summarized) {
            let stats = try #require(test["stats"] as? [String: Any])
            let wall = try #require(benchmark.metric(.wallTime))
            #expect(wall.isSummary && wall.samples.isEmpty)
            #expect(same([wall.statistics.mean, wall.statistics.median, wall.statistics.percentiles.p25],
                         [stats["mean"], stats["median"], stats["q1"]].compactMap { $0 as? Double }))
            #expect(wall.statistics.count == stats["rounds"] as? Int)
            #expect(wall.statistics.percentiles.p95.isNaN, "pytest-benchmark reports no 95th percentile: unknown, not made up")
        }
    }

    @Test func goRepetitionsAreSamplesAndNamesCarryParameters() throws {
        let report = try GoBenchImport.convert(try load("go/bench.txt"), context: context("bench.txt"))
        #expect(report.benchmarks.map(\.name) == ["Sort", "Sort", "Join"])
        let sort = report.benchmarks[1]
        #expect(sort.parameters == [Parameter(name: "size", value: "100"), Parameter(name: "procs", value: "2")])
        #expect(sort.metric(.wallTime)?.samples.map { ($0 * 1e9).rounded() } == [6025, 3626, 3921])
        #expect(sort.metric(.allocatedBytes)?.samples == [24, 24, 24] && sort.metric(.allocations)?.samples == [1, 1, 1])
        let join = report.benchmarks[2]
        #expect(join.metric("parts/op")?.samples == [4, 4, 4] && join.metric("bytes/op-out")?.samples == [7, 7, 7])
        #expect(report.machine?.cpuModel == "AMD EPYC", "the cpu: line")
    }

    @Test func googleBenchmarkRepetitionsCountersAndArguments() throws {
        let data = try load("google-benchmark/out.json")
        let report = try GoogleBenchmarkImport.convert(data, context: context("gb.json"))
        let rows = try #require(try jsonObject(data)["benchmarks"] as? [[String: Any]])
        let repetitions = rows.filter { $0["run_type"] as? String == "iteration" }
        #expect(report.benchmarks.map { BenchmarkKey.of(name: $0.name, parameters: $0.parameters) }.count == Set(repetitions.compactMap { $0["run_name"] as? String }).count)
        let sort = try #require(report.benchmarks.first { $0.name == "BM_Sort" && $0.parameters == [Parameter(name: "arg", value: "256")] })
        let expected = repetitions.filter { $0["run_name"] as? String == "BM_Sort/256" }.compactMap { $0["real_time"] as? Double }.map { $0 * 1e-9 }
        #expect(same(sort.metric(.wallTime)?.samples, expected) && expected.count == 3, "the three repetitions, not the aggregates")
        let sum = try #require(report.benchmarks.first { $0.name == "BM_Sum" })
        #expect(sum.metric("items_per_second")?.unit == .perSecond && sum.metric("items_per_iter")?.samples == [1000, 1000, 1000])
        #expect(sum.metric(.cpuTime)?.samples.count == 3)
        let context = try #require(try jsonObject(data)["context"] as? [String: Any])
        #expect(report.machine?.logicalCores == context["num_cpus"] as? Int)
        let (name, parameters) = GoogleBenchmarkImport.split("BM_X/n:8/threads:2")
        #expect(name == "BM_X" && parameters == [Parameter(name: "n", value: "8"), Parameter(name: "threads", value: "2")])
    }

    @Test func criterionPerIterationSamplesFromItsFolder() throws {
        let root = Self.fixtures + "/criterion"
        var files: [(path: String, data: Data)] = []
        let enumerator = try #require(FileManager.default.enumerator(atPath: root))
        while let path = enumerator.nextObject() as? String {
            guard path.hasSuffix(".json") else { continue }
            files.append((path, try Data(contentsOf: URL(fileURLWithPath: root + "/" + path))))
        }
        let report = try CriterionImport.convert(files, context: context("target/criterion"))
        #expect(Set(report.benchmarks.map { BenchmarkKey.of(name: $0.name, parameters: $0.parameters) })
                == ["fib/fixed20", "fib/param [input=10]", "fib/param [input=15]"])
        let sample = try jsonObject(try load("criterion/fib/param/10/new/sample.json"))
        let iters = try #require(sample["iters"] as? [Double]), times = try #require(sample["times"] as? [Double])
        let param10 = try #require(report.benchmarks.first { $0.parameters == [Parameter(name: "input", value: "10")] })
        #expect(same(param10.metric(.wallTime)?.samples, zip(times, iters).map { $0 / $1 * 1e-9 }))
        #expect(throws: ImportFailure.self) { try CriterionImport.convert([], context: context("empty")) }
        let broken = files.map { $0.path.hasSuffix("fixed20/new/sample.json") ? ($0.path, Data("{\"iters\": [1], \"times\": []}".utf8)) : $0 }
        do {
            _ = try CriterionImport.convert(broken, context: context("c"))
            Issue.record("accepted times and iters of different lengths")
        } catch {
            #expect("\(error)".hasPrefix("c/fib/fixed20/new/sample.json:iters: "), "\(error)")
        }
    }

    @Test func googleBenchmarkAggregatesOnlyAreASummary() throws {
        let data = try load("google-benchmark/aggregates-only.json")
        #expect(PeerFormat.detect(data) == .googleBenchmark)
        let report = try GoogleBenchmarkImport.convert(data, context: context("agg.json"))
        let rows = try #require(try jsonObject(data)["benchmarks"] as? [[String: Any]])
        func row(_ aggregate: String) throws -> [String: Any] { try #require(rows.first { $0["aggregate_name"] as? String == aggregate }) }
        let sum = try #require(report.benchmarks.first { $0.name == "BM_Sum" })
        let wall = try #require(sum.metric(.wallTime))
        #expect(wall.isSummary)
        #expect(same([wall.statistics.mean], [try #require(try row("mean")["real_time"] as? Double) * 1e-9]))
        #expect(same([wall.statistics.stddev], [try #require(try row("stddev")["real_time"] as? Double) * 1e-9]))
        #expect(wall.statistics.count == (try row("mean")["repetitions"] as? Int) && wall.statistics.count == 3)
        #expect(sum.metric(.cpuTime)?.isSummary == true)
    }

    @Test func packageBenchmarkJMHKeepsEveryRecordedValue() throws {
        let data = try load("package-benchmark/sorting.jmh.json")
        let report = try JMHImport.convert(data, context: context("Current_run.jmh.json"))
        let entries = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(report.benchmarks.map(\.name) == ["sort 1000", "sort 10000"] && report.benchmarks.allSatisfy { $0.suite == "Sorting" })
        for (benchmark, entry) in zip(report.benchmarks, entries) {
            let secondary = try #require(entry["secondaryMetrics"] as? [String: [String: Any]])
            let wall = try #require(secondary["Time (wall clock)"]?["rawData"] as? [[Double]])
            #expect(same(benchmark.metric(.wallTime)?.samples, wall.flatMap { $0 }.map { $0 * 1e-6 }), "µs to seconds, every value")
            let primary = try #require((entry["primaryMetric"] as? [String: Any])?["rawData"] as? [[Double]])
            #expect(same(benchmark.metric(.operationsPerSecond)?.samples, primary.flatMap { $0 }))
            #expect(benchmark.metric(.allocations)?.unit == .count && benchmark.metric(.cpuTime) != nil)
        }
        #expect(report.tags == ["imported:jmh"])
    }

    @Test func packageBenchmarkJSONIsStoredAsTheNinetyNinthPercentile() throws {
        let data = try load("package-benchmark/sorting-smaller-is-better.json")
        let report = try CustomBenchmarkImport.convert(data, context: context("Current_run.json"))
        let entries = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(report.benchmarks.map(\.name) == ["sort 1000", "sort 10000"])
        let wall = try #require(report.benchmarks[0].metric("wall_time_p99"))
        let entry = try #require(entries.first { $0["name"] as? String == "sort 1000 - Time (wall clock)" })
        #expect(wall.isSummary && wall.unit == .seconds && report.benchmarks[0].metric(.wallTime) == nil, "a p99 is never a mean")
        #expect(same([wall.statistics.mean], [try #require(entry["value"] as? Double) * 1e-6]))
        #expect(report.benchmarks[0].metric("allocations_p99")?.statistics.mean == 22)
        // A generic custom entry: the unit says the metric, the range gives bounds.
        let custom = Data(#"[{"name": "parse", "unit": "ms", "value": 12.5, "range": "± 0.5"}, {"name": "cache hits", "unit": "hits", "value": 90}]"#.utf8)
        let generic = try CustomBenchmarkImport.convert(custom, context: context("c.json"), polarity: .higherIsBetter)
        let parse = try #require(generic.benchmarks.first?.metric(.wallTime))
        let bounds = try #require(parse.statistics.bounds)
        #expect(abs(parse.statistics.mean - 0.0125) < 1e-15 && abs(bounds.lower - 0.012) < 1e-15 && abs(bounds.upper - 0.013) < 1e-15)
        #expect(parse.effectivePolarity == .higherIsBetter, "the file's polarity (custom-bigger-is-better)")
        #expect(generic.benchmarks.last?.metric("value")?.statistics.mean == 90)
    }

    @Test func bmfIsASummaryAndRoundTrips() throws {
        let data = try load("bmf/from-hyperfine.json")
        let report = try BMFImport.convert(data, context: context("bmf.json"))
        let hyperfine = try jsonObject(try load("hyperfine/two-commands.json"))
        let results = try #require(hyperfine["results"] as? [[String: Any]])
        for result in results {
            let command = try #require(result["command"] as? String)
            let wall = try #require(report.benchmarks.first { $0.name == command }?.metric(.wallTime))
            let mean = try #require(result["mean"] as? Double), stddev = try #require(result["stddev"] as? Double)
            #expect(wall.isSummary && abs(wall.statistics.mean / mean - 1) < 1e-12, "latency ns back to seconds")
            let bounds = try #require(wall.statistics.bounds)
            #expect(abs(bounds.lower - (mean - stddev)) < 1e-12 && abs(bounds.upper - (mean + stddev)) < 1e-12)
        }
        // Metron's BMF export reads back as the same figures, parameters included.
        var run = report
        run.benchmarks.append(BenchmarkResult(name: "sort", kind: .inProcess, parameters: [Parameter(name: "n", value: "10")],
                                              metrics: [Metric(id: .wallTime, unit: .seconds, samples: [0.001, 0.002, 0.003]),
                                                        Metric(id: .peakRSS, unit: .bytes, samples: [1024, 2048])]))
        let again = try BMFImport.convert(Data(try BMFJSON.bytes(run)), context: context("again.json"))
        let sort = try #require(again.benchmarks.first { $0.name == "sort" })
        #expect(sort.parameters == [Parameter(name: "n", value: "10")])
        #expect(abs(try #require(sort.metric(.wallTime)).statistics.mean - 0.002) < 1e-15)
        #expect(sort.metric(.peakRSS)?.unit == .bytes && sort.metric(.peakRSS)?.statistics.mean == 1536)
        #expect(again.benchmarks.count == run.benchmarks.count)
    }

    @Test func customJSONExportReadsBack() throws {
        let run = RunReport(id: "r1", metronVersion: "t", startedAt: Timestamp(secondsSinceEpoch: 0), machine: nil, git: nil, benchmarks: [
            BenchmarkResult(name: "sort", kind: .inProcess, parameters: [Parameter(name: "n", value: "10")],
                            metrics: [Metric(id: .wallTime, unit: .seconds, samples: [0.001, 0.002, 0.003]),
                                      Metric(id: .peakRSS, unit: .bytes, samples: [1024, 2048]),
                                      Metric(id: .operationsPerSecond, unit: .perSecond, samples: [500, 1000])]),
        ])
        let smaller = CustomBenchmarkJSON.entries(run, polarity: .lowerIsBetter)
        #expect(smaller.map(\.name) == ["sort [n=10]", "sort [n=10] - peak_rss"] && smaller[0].unit == "ns" && smaller[0].range == "± 1000000.000")
        #expect(CustomBenchmarkJSON.entries(run, polarity: .higherIsBetter).map(\.name) == ["sort [n=10] - operations_per_second"])
        let again = try CustomBenchmarkImport.convert(Data(try CustomBenchmarkJSON.bytes(run, polarity: .lowerIsBetter)), context: context("s.json"))
        let sort = try #require(again.benchmarks.first)
        #expect(again.benchmarks.count == 1 && sort.name == "sort" && sort.parameters == [Parameter(name: "n", value: "10")])
        #expect(abs(try #require(sort.metric(.wallTime)).statistics.mean - 0.002) < 1e-15)
        #expect(sort.metric(.peakRSS)?.unit == .bytes && sort.metric(.peakRSS)?.statistics.mean == 1536)
        let bounds = try #require(sort.metric(.wallTime)?.statistics.bounds)
        #expect(abs(bounds.lower - 0.001) < 1e-12 && abs(bounds.upper - 0.003) < 1e-12, "± σ as the range")
    }

    /// A truncated, wrong-typed or foreign file: one line naming the file and the place.
    @Test func badInputIsNamedByFileAndPlace() throws {
        let truncated = Data(try load("hyperfine/two-commands.json").prefix(200))
        #expect(throws: ImportFailure.self) { try HyperfineImport.convert(truncated, context: context("t.json")) }
        let wrongType = Data(#"{"results": [{"command": "x", "mean": "fast", "stddev": null, "median": 1, "user": 0, "system": 0, "min": 1, "max": 1, "times": [1], "exit_codes": [0]}]}"#.utf8)
        do {
            _ = try HyperfineImport.convert(wrongType, context: context("w.json"))
            Issue.record("accepted a string mean")
        } catch {
            #expect("\(error)".contains("results[0].mean"), "\(error)")
        }
        do {
            _ = try GoBenchImport.convert(Data("goos: linux\nBenchmarkX-2  10  abc ns/op\n".utf8), context: context("g.txt"))
            Issue.record("accepted a non-number")
        } catch {
            #expect("\(error)".hasPrefix("g.txt:2: "), "\(error)")
        }
        #expect(throws: ImportFailure.self) { try GoBenchImport.convert(Data("PASS\n".utf8), context: context("empty.txt")) }
    }
}
