import FoundationEssentials
import MetronCore
import MetronJSON

/// Criterion.rs's `target/criterion` folder: for every benchmark, `new/benchmark.json` (its
/// group, function and input) and `new/sample.json` (each sample's iteration count and total
/// time), so each sample's time per iteration is one wall-time sample, as Criterion's own
/// analysis uses them. `change/` and `base/` are Criterion's comparison with its previous run;
/// Metron compares against its own history instead and does not read them.
public enum CriterionImport {
    struct Benchmark: Decodable {
        var groupId: String
        var functionId: String?
        var valueStr: String?
        enum CodingKeys: String, CodingKey { case groupId = "group_id", functionId = "function_id", valueStr = "value_str" }
    }

    struct Sample: Decodable {
        var iters: [Double]
        var times: [Double]
    }

    /// `files`: every file under the folder, by its path relative to it.
    public static func convert(_ files: [(path: String, data: Data)], context: ImportContext) throws(ImportFailure) -> RunReport {
        let byPath = Dictionary(files.map { ($0.path, $0.data) }, uniquingKeysWith: { first, _ in first })
        let samples = files.map(\.path).filter { $0 == "new/sample.json" || $0.hasSuffix("/new/sample.json") }.sorted()
        guard !samples.isEmpty else {
            throw ImportFailure(file: context.file, reason: "no Criterion results (…/new/sample.json) under it: give target/criterion after cargo bench")
        }
        var benchmarks: [BenchmarkResult] = []
        var content = Data()
        for samplePath in samples {
            let directory = String(samplePath.dropLast("sample.json".count))
            let benchmarkPath = directory + "benchmark.json"
            guard let benchmarkData = byPath[benchmarkPath] else {
                throw ImportFailure(file: context.file + "/" + directory, reason: "benchmark.json is missing beside sample.json")
            }
            let benchmark: Benchmark
            let sample: Sample
            do {
                benchmark = try JSONDecoder().decode(Benchmark.self, from: benchmarkData)
            } catch {
                throw ImportFailure(file: context.file + "/" + benchmarkPath, reason: JSONExport.describe(error))
            }
            do {
                sample = try JSONDecoder().decode(Sample.self, from: byPath[samplePath]!)
            } catch {
                throw ImportFailure(file: context.file + "/" + samplePath, reason: JSONExport.describe(error))
            }
            guard !sample.iters.isEmpty, sample.iters.count == sample.times.count,
                  zip(sample.iters, sample.times).allSatisfy({ $0 > 0 && $1.isFinite && $1 >= 0 }) else {
                throw ImportFailure(file: context.file + "/" + samplePath, location: "iters",
                                    reason: "iters and times must be as many, iters positive and times finite")
            }
            // Criterion's times are nanoseconds for all the iterations of a sample.
            let perIteration = zip(sample.times, sample.iters).map { $0 / $1 * 1e-9 }
            let name = [benchmark.groupId, benchmark.functionId].compactMap { $0 }.joined(separator: "/")
            let parameters = benchmark.valueStr.map { [Parameter(name: "input", value: $0)] } ?? []
            benchmarks.append(BenchmarkResult(name: name, kind: .inProcess, parameters: parameters,
                                              metrics: [Metric(id: .wallTime, unit: .seconds, samples: perIteration)]))
            content += Data(samplePath.utf8) + byPath[samplePath]! + benchmarkData
        }
        return context.report(benchmarks, format: .criterion, content: content)
    }
}
