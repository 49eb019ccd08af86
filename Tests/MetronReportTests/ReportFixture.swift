import MetronCore
@testable import MetronReport

/// A deterministic store-like history: `runs` runs of `benchmarks` benchmarks over four suites,
/// with a baseline in the middle, a regression, a win, noisy and cold-start benchmarks, budgets
/// (met, violated, near), parameter scans (quadratic sizes, poorly scaling threads) and names
/// full of characters HTML must escape.
struct ReportFixture {
    var runs: [RunReport] = []
    var budgets: [String: [Budget]] = [:]
    var baselineIndex: Int

    static let nastyName = "parse <script>alert(\"x\")</script> & 'quotes'"

    init(benchmarks: Int = 500, runs count: Int = 10) {
        var rng = SplitMix64(seed: 42)
        func uniform() -> Double { Double(rng.next() % 1_000_000) / 1_000_000 }
        func normal() -> Double {
            let u1 = max(uniform(), 1e-9), u2 = uniform()
            return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        }
        let suites = ["api", "parsing", "storage", "startup"]
        let machine = MachineInfo(hostname: "ci-1", cpuModel: "Test CPU @ 3.0GHz", logicalCores: 8, memoryBytes: 16 << 30,
                                  os: "Debian 12", kernel: "6.1", architecture: "x86_64")
        baselineIndex = count / 2
        struct Spec { var name: String; var suite: String; var parameters: [Parameter]; var mean: Double; var cv: Double; var memory: Double }
        var specs: [Spec] = []
        specs.append(Spec(name: "parsing/" + Self.nastyName, suite: "parsing", parameters: [], mean: 0.004, cv: 0.03, memory: 30e6))
        for n in [100.0, 200, 400, 800, 1600] {  // quadratic: 2e-8 · n²
            specs.append(Spec(name: "parsing/pairwise-dedupe", suite: "parsing", parameters: [Parameter(name: "n", value: String(Int(n)))],
                              mean: 0.0005 + 2e-8 * n * n, cv: 0.02, memory: 20e6))
        }
        for n in [1.0, 2, 4, 8] {  // barely faster with more threads
            specs.append(Spec(name: "storage/index-build", suite: "storage", parameters: [Parameter(name: "threads", value: String(Int(n)))],
                              mean: 0.2 / pow(n, 0.15), cv: 0.02, memory: 80e6))
        }
        while specs.count < benchmarks {
            let i = specs.count
            let suite = suites[i % suites.count]
            let mean = 0.001 * pow(10, uniform() * 2.5)
            specs.append(Spec(name: "\(suite)/case-\(i)-\(["alpha", "beta", "gamma", "delta"][i % 4])", suite: suite, parameters: [],
                              mean: mean, cv: i % 23 == 0 ? 0.35 : 0.02 + uniform() * 0.03, memory: 10e6 + uniform() * 200e6))
        }
        for (index, spec) in specs.enumerated() where index % 7 == 0 || spec.name.hasPrefix("parsing/" + Self.nastyName) {
            budgets[spec.name] = [Budget(statistic: .p95, limit: spec.mean * (index % 21 == 0 ? 0.95 : 1.3)),
                                  Budget(statistic: .maxMemory, limit: spec.memory * 1.1, severity: .warning)]
        }
        for r in 0..<count {
            let started = 1_764_000_000.0 + Double(r) * 86_400
            var results: [BenchmarkResult] = []
            for (index, spec) in specs.enumerated() {
                var mean = spec.mean * (1 + 0.002 * normal())
                if r == count - 1 && index % 50 == 3 { mean *= 1.4 }  // regressions in the latest run
                if r == count - 1 && index % 50 == 7 { mean *= 0.7 }  // wins
                if index % 61 == 5 { mean *= 1 + 0.05 * Double(r) }  // slow drift
                var wall = (0..<15).map { _ in max(mean * 0.05, mean * (1 + spec.cv * normal())) }
                if index % 31 == 1 { wall[0] = mean * 4 }  // cold first run
                let user = wall.map { $0 * (index % 3 == 0 ? 0.95 : 0.2) }
                let system = wall.map { $0 * 0.03 }
                let memoryGrowth = index % 97 == 2 ? 1 + 0.08 * Double(r) : 1
                let rss = wall.map { _ in spec.memory * memoryGrowth * (1 + 0.01 * uniform()) }
                let bootstrap = BootstrapOptions(resamples: 200)
                var metrics = [Metric(id: .wallTime, unit: .seconds, samples: wall, bootstrap: bootstrap),
                               Metric(id: .userTime, unit: .seconds, samples: user, bootstrap: nil),
                               Metric(id: .systemTime, unit: .seconds, samples: system, bootstrap: nil),
                               Metric(id: .cpuPercent, unit: .percent, samples: zip(user, zip(system, wall)).map { ($0 + $1.0) / $1.1 * 100 }, bootstrap: nil),
                               Metric(id: .peakRSS, unit: .bytes, samples: rss, bootstrap: nil)]
                if index % 41 == 9 {
                    metrics.append(Metric(id: "allocations", unit: .count, samples: wall.map { $0 / 2e-7 }, bootstrap: nil))
                }
                let failed = r == count - 1 && index == 11
                results.append(BenchmarkResult(name: spec.name, kind: .command, command: "./bench \(spec.name)", suite: spec.suite,
                                               tags: index % 5 == 0 ? ["smoke"] : [], parameters: spec.parameters,
                                               status: failed ? .failed : .ok, message: failed ? "exited with code 3 in run 7" : nil,
                                               metrics: metrics))
            }
            runs.append(RunReport(id: "run\(r)-" + String(repeating: "0", count: 8) + "-\(r)", metronVersion: "0.5.0",
                                  startedAt: Timestamp(secondsSinceEpoch: started), finishedAt: Timestamp(secondsSinceEpoch: started + 600),
                                  machine: machine, git: GitInfo(commit: String(repeating: "\(r % 10)", count: 40), branch: "main", dirty: false),
                                  benchmarks: results))
        }
    }

    func data(suite: String? = nil) -> ReportData {
        ReportData.assemble(run: runs.last!, baseline: runs[baselineIndex], baselineName: "main", history: Array(runs.dropLast()),
                            budgets: budgets, suite: suite, generatedAt: Timestamp(secondsSinceEpoch: 1_765_000_000))
    }
}

#if canImport(Glibc)
import Glibc
#endif
