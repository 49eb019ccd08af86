import FoundationEssentials
import MetronCore
import MetronJSON

/// pytest-benchmark `--benchmark-json`: one benchmark per test, `stats.data` (the time of each
/// round per iteration) as wall-time samples — or, in a file saved without
/// `--benchmark-save-data`, its summary (rounds, mean, stddev, min, max, median, quartiles), the test's `params` as parameters, its `group` as
/// the suite, and the file's `machine_info` and `commit_info` as the run's machine and git facts.
public enum PytestBenchmarkImport {
    struct Document: Decodable {
        var machineInfo: MachineFacts?
        var commitInfo: CommitFacts?
        var benchmarks: [Benchmark]
        var datetime: String?

        enum CodingKeys: String, CodingKey {
            case machineInfo = "machine_info", commitInfo = "commit_info", benchmarks, datetime
        }
    }

    struct MachineFacts: Decodable {
        var node: String?
        var machine: String?
        var release: String?
        var system: String?
        var cpu: CPU?
        var pythonVersion: String?

        struct CPU: Decodable {
            var brandRaw: String?
            var count: Int?
            enum CodingKeys: String, CodingKey { case brandRaw = "brand_raw", count }
        }

        enum CodingKeys: String, CodingKey { case node, machine, release, system, cpu, pythonVersion = "python_version" }
    }

    struct CommitFacts: Decodable {
        var id: String?
        var branch: String?
        var dirty: Bool?
    }

    struct Benchmark: Decodable {
        var group: String?
        var name: String
        var params: [String: ParameterValue]?
        var stats: Stats
    }

    struct Stats: Decodable {
        var data: [Double]?
        var rounds: Int?
        var min: Double?
        var max: Double?
        var mean: Double?
        var stddev: Double?
        var median: Double?
        var q1: Double?
        var q3: Double?
    }

    /// A parameter as pytest wrote it (any JSON scalar), kept as its text.
    struct ParameterValue: Decodable {
        var text: String
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let value = try? container.decode(String.self) { text = value }
            else if let value = try? container.decode(Int.self) { text = String(value) }
            else if let value = try? container.decode(Double.self) { text = String(value) }
            else if let value = try? container.decode(Bool.self) { text = String(value) }
            else if container.decodeNil() { text = "None" }
            else { throw DecodingError.dataCorruptedError(in: container, debugDescription: "a parameter must be a string, number, boolean or null") }
        }
    }

    public static func convert(_ data: Data, context: ImportContext) throws(ImportFailure) -> RunReport {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: data)
        } catch {
            throw ImportFailure(file: context.file, reason: "not pytest-benchmark JSON: " + JSONExport.describe(error))
        }
        guard !document.benchmarks.isEmpty else { throw ImportFailure(file: context.file, location: "benchmarks", reason: "no benchmarks") }
        var benchmarks: [BenchmarkResult] = []
        for (index, test) in document.benchmarks.enumerated() {
            let metric: Metric
            if let samples = test.stats.data, !samples.isEmpty {
                guard samples.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
                    throw ImportFailure(file: context.file, location: "benchmarks[\(index)].stats.data", reason: "a timing is negative or not a number")
                }
                metric = Metric(id: .wallTime, unit: .seconds, samples: samples)
            } else {
                // Saved without --benchmark-save-data: pytest-benchmark's own summary.
                let s = test.stats
                guard let mean = s.mean, mean.isFinite,
                      [s.min, s.max, s.stddev, s.median, s.q1, s.q3].allSatisfy({ $0?.isFinite ?? true }) else {
                    throw ImportFailure(file: context.file, location: "benchmarks[\(index)].stats",
                                        reason: "'\(test.name)' has neither raw timings (data) nor a finite mean")
                }
                var percentiles: [Double: Double] = [:]
                percentiles[25] = s.q1
                percentiles[75] = s.q3
                metric = Metric(id: .wallTime, unit: .seconds,
                                summary: StatisticsSummary(count: s.rounds, mean: mean, median: s.median, stddev: s.stddev,
                                                           min: s.min, max: s.max, percentiles: percentiles))
            }
            // "test_sort[size=10]" is test_sort with the parameter size=10.
            let base = test.name.firstIndex(of: "[").map { String(test.name[..<$0]) } ?? test.name
            let parameters = (test.params ?? [:]).sorted { $0.key < $1.key }.map { Parameter(name: $0.key, value: $0.value.text) }
            benchmarks.append(BenchmarkResult(name: parameters.isEmpty ? test.name : base, kind: .inProcess, suite: test.group,
                                              parameters: parameters, metrics: [metric]))
        }
        let machine = document.machineInfo.map { facts in
            MachineInfo(hostname: facts.node ?? context.machine?.hostname ?? "", cpuModel: facts.cpu?.brandRaw ?? "",
                        logicalCores: facts.cpu?.count ?? 0,
                        memoryBytes: facts.node == context.machine?.hostname ? context.machine?.memoryBytes ?? 0 : 0,
                        os: facts.system ?? "", kernel: facts.release ?? "", architecture: facts.machine ?? "",
                        toolchain: facts.pythonVersion.map { "Python \($0)" })
        }
        var git: GitInfo?
        if let commit = document.commitInfo, let id = commit.id, id != "unversioned" {
            git = GitInfo(commit: id, branch: commit.branch, dirty: commit.dirty ?? false)
        }
        let started = document.datetime.flatMap { Timestamp(iso8601: $0) ?? Timestamp(iso8601: String($0.prefix(19)) + "Z") }
        return context.report(benchmarks, format: .pytestBenchmark, content: data, startedAt: started, machine: machine, git: git)
    }
}
