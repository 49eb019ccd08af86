#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import MetronCore

/// Every rule on data that should trigger it and on data just on the other side of its threshold.
struct RecommendationsTests {
    /// A command result with the given per-run samples; CPU defaults to a steady half of the wall.
    static func result(_ name: String = "bench", wall: [Double], user: [Double]? = nil, system: [Double]? = nil,
                       parameters: [Parameter] = [], extra: [Metric] = []) -> BenchmarkResult {
        let user = user ?? wall.map { $0 * 0.45 }
        let system = system ?? wall.map { $0 * 0.05 }
        return BenchmarkResult(name: name, kind: .command, parameters: parameters, metrics: [
            Metric(id: .wallTime, unit: .seconds, samples: wall, bootstrap: nil),
            Metric(id: .userTime, unit: .seconds, samples: user, bootstrap: nil),
            Metric(id: .systemTime, unit: .seconds, samples: system, bootstrap: nil),
        ] + extra)
    }

    /// `count` samples around `mean` with the given coefficient of variation (deterministic).
    static func spread(_ mean: Double, cv: Double, count: Int = 20) -> [Double] {
        (0..<count).map { i in mean * (1 + cv * (i.isMultiple(of: 2) ? 1 : -1)) }
    }

    static func rules(_ results: [BenchmarkResult], history: [String: [HistoryPoint]] = [:],
                      budgets: [String: [Budget]] = [:], cores: Int? = nil) -> [Recommendation.Rule] {
        Recommendations.analyze(results, history: history, budgets: budgets, logicalCores: cores).map(\.rule)
    }

    @Test func highVarianceTellsANoisyMachineFromUnstableCode() throws {
        // Wall varies 30 %, CPU barely: the machine.
        let noisy = Self.result(wall: Self.spread(0.1, cv: 0.3), user: Array(repeating: 0.045, count: 20),
                                system: Array(repeating: 0.005, count: 20))
        let found = try #require(Recommendations.analyze([noisy]).first { $0.rule == .highVariance })
        #expect(found.title == "Stabilise a noisy machine")
        #expect(found.description.contains("CPU time varies only"))
        #expect(found.priority == 4)
        // CPU varies with the wall: the code.
        let unstable = Self.result(wall: Self.spread(0.1, cv: 0.15))
        #expect(Recommendations.analyze([unstable]).first { $0.rule == .highVariance }?.title == "Unstable code path")
        // 9 % is under the 10 % threshold.
        #expect(!Self.rules([Self.result(wall: Self.spread(0.1, cv: 0.09))]).contains(.highVariance))
    }

    @Test func coldFirstRunIsFlaggedOnlyWhenItStandsOut() {
        var cold = Self.spread(0.1, cv: 0.01)
        cold[0] = 0.2
        #expect(Self.rules([Self.result(wall: cold)]).contains(.coldStart))
        var warm = Self.spread(0.1, cv: 0.01)
        warm[0] = 0.14  // 1.4 × the median: under the 1.5 × ratio
        #expect(!Self.rules([Self.result(wall: warm)]).contains(.coldStart))
        var last = Self.spread(0.1, cv: 0.01)
        last[19] = 0.3  // slow, but not the first run
        #expect(!Self.rules([Self.result(wall: last)]).contains(.coldStart))
    }

    @Test func cpuBoundSingleThreadedNeedsSpareCores() throws {
        let wall = Self.spread(0.2, cv: 0.01)
        let bound = Self.result(wall: wall, user: wall.map { $0 * 0.95 }, system: wall.map { $0 * 0.02 })
        let found = try #require(Recommendations.analyze([bound], logicalCores: 4).first { $0.rule == .cpuBound })
        // Amdahl, 90 % parallel over 4 cores: 1 − (0.1 + 0.9 / 4).
        #expect(abs(found.estimatedImprovement - 0.675) < 1e-9)
        #expect(!Self.rules([bound], cores: 1).contains(.cpuBound))
        // Already using two cores: not single-threaded.
        let parallel = Self.result(wall: wall, user: wall.map { $0 * 1.9 }, system: wall.map { $0 * 0.05 })
        #expect(!Self.rules([parallel], cores: 4).contains(.cpuBound))
        // 80 % busy is below the 85 % threshold.
        let busy = Self.result(wall: wall, user: wall.map { $0 * 0.78 }, system: wall.map { $0 * 0.02 })
        #expect(!Self.rules([busy], cores: 4).contains(.cpuBound))
    }

    @Test func kernelTimeShare() {
        let wall = Self.spread(0.2, cv: 0.01)
        let kernel = Self.result(wall: wall, user: wall.map { $0 * 0.5 }, system: wall.map { $0 * 0.45 })
        #expect(Self.rules([kernel]).contains(.kernelTime))
        let user = Self.result(wall: wall, user: wall.map { $0 * 0.75 }, system: wall.map { $0 * 0.2 })  // 21 %
        #expect(!Self.rules([user]).contains(.kernelTime))
    }

    @Test func idleTimeIsIOWhenBytesMoveAndWaitingOtherwise() {
        let wall = Self.spread(0.2, cv: 0.01)
        let idleUser = wall.map { $0 * 0.1 }, idleSystem = wall.map { $0 * 0.05 }
        let written = Metric(id: .writeBytes, unit: .bytes, samples: Array(repeating: 50e6, count: 20), bootstrap: nil)
        let io = Self.result(wall: wall, user: idleUser, system: idleSystem, extra: [written])
        #expect(Self.rules([io]).contains(.ioBound))
        #expect(!Self.rules([io]).contains(.waiting))
        let faults = Metric(id: .majorPageFaults, unit: .count, samples: Array(repeating: 400, count: 20), bootstrap: nil)
        #expect(Self.rules([Self.result(wall: wall, user: idleUser, system: idleSystem, extra: [faults])]).contains(.ioBound))
        let sleeper = Self.result(wall: wall, user: idleUser, system: idleSystem)
        #expect(Self.rules([sleeper]).contains(.waiting))
        #expect(!Self.rules([sleeper]).contains(.ioBound))
        // Half busy is neither idle nor CPU-bound; a 2 ms benchmark is too short to classify.
        #expect(Self.rules([Self.result(wall: wall)]).allSatisfy { ![.waiting, .ioBound, .cpuBound].contains($0) })
        let short = Self.spread(0.002, cv: 0.01)
        #expect(!Self.rules([Self.result(wall: short, user: short.map { $0 * 0.1 }, system: short.map { $0 * 0.01 })]).contains(.waiting))
    }

    @Test func memoryNearItsBudget() throws {
        let peak = Metric(id: .peakRSS, unit: .bytes, samples: Array(repeating: 90e6, count: 20), bootstrap: nil)
        let result = Self.result(wall: Self.spread(0.1, cv: 0.01), extra: [peak])
        let near = try #require(Recommendations.analyze([result], budgets: ["bench": [Budget(statistic: .maxMemory, limit: 100e6)]])
            .first { $0.rule == .memoryNearBudget })
        #expect(near.title == "Peak memory close to its budget")
        let over = try #require(Recommendations.analyze([result], budgets: ["bench": [Budget(statistic: .maxMemory, limit: 80e6)]])
            .first { $0.rule == .memoryNearBudget })
        #expect(over.priority == 5)
        #expect(!Self.rules([result], budgets: ["bench": [Budget(statistic: .maxMemory, limit: 200e6)]]).contains(.memoryNearBudget))
        #expect(!Self.rules([result]).contains(.memoryNearBudget))
    }

    @Test func memoryGrowthAcrossRunsAndAcrossIterations() {
        func point(_ index: Int, _ memory: Double) -> HistoryPoint {
            HistoryPoint(runID: "r\(index)", startedAt: Timestamp(secondsSinceEpoch: Double(index)), count: 10, mean: 0.1,
                         stddev: 0.001, median: 0.1, p95: 0.1, peakMemory: memory)
        }
        let result = Self.result(wall: Self.spread(0.1, cv: 0.01))
        let growing = (0..<6).map { point($0, 100e6 * (1 + 0.05 * Double($0))) }
        #expect(Self.rules([result], history: ["bench": growing]).contains(.memoryGrowth))
        let flat = (0..<6).map { point($0, 100e6 * (1 + 0.001 * Double($0 % 2))) }
        #expect(!Self.rules([result], history: ["bench": flat]).contains(.memoryGrowth))
        let oneJump = [100e6, 100e6, 100e6, 130e6, 100e6, 100e6].enumerated().map { point($0.offset, $0.element) }
        #expect(!Self.rules([result], history: ["bench": oneJump]).contains(.memoryGrowth))
        // Within one run: every iteration holds more.
        let leak = Metric(id: .peakRSS, unit: .bytes, samples: (0..<20).map { 50e6 + 5e6 * Double($0) }, bootstrap: nil)
        #expect(Self.rules([Self.result(wall: Self.spread(0.1, cv: 0.01), extra: [leak])]).contains(.memoryGrowth))
    }

    @Test func allocationHeavyBodies() throws {
        let wall = Array(repeating: 0.001, count: 20)
        // 10,000 allocations × 50 ns = 0.5 ms of a 1 ms body.
        let heavy = Metric(id: "allocations", unit: .count, samples: Array(repeating: 10_000, count: 20), bootstrap: nil)
        let found = try #require(Recommendations.analyze([Self.result(wall: wall, extra: [heavy])]).first { $0.rule == .allocationHeavy })
        #expect(found.description.hasPrefix("10.0 k allocations"), "\(found.description)")
        #expect(found.description.contains("50.0 %"), "\(found.description)")
        let light = Metric(id: "malloc_count_total", unit: .count, samples: Array(repeating: 500, count: 20), bootstrap: nil)  // 2.5 %
        #expect(!Self.rules([Self.result(wall: wall, extra: [light])]).contains(.allocationHeavy))
        #expect(!Self.rules([Self.result(wall: wall)]).contains(.allocationHeavy))
    }

    @Test func poorScalingAcrossThreads() {
        func scan(_ exponent: Double) -> [BenchmarkResult] {
            [1.0, 2, 4, 8].map { n in
                Self.result("index", wall: Self.spread(0.2 / pow(n, exponent), cv: 0.01),
                            parameters: [Parameter(name: "threads", value: String(Int(n)))])
            }
        }
        #expect(Self.rules(scan(0.15), cores: 8).contains(.poorScaling))   // 8 threads: 1.37× of an ideal 8×
        #expect(!Self.rules(scan(0.95), cores: 8).contains(.poorScaling))  // 7.2×: 90 % efficiency
        // 2.8× from 8 threads is poor on 8 cores, and all that can be asked on two.
        #expect(Self.rules(scan(0.5), cores: 8).contains(.poorScaling))
        #expect(!Self.rules(scan(0.5), cores: 2).contains(.poorScaling))
    }

    @Test func scansWorseThanLinear() throws {
        func scan(_ cost: (Double) -> Double) -> [BenchmarkResult] {
            [100.0, 200, 400, 800, 1600].map { n in
                Self.result("dedupe", wall: Self.spread(cost(n), cv: 0.01), parameters: [Parameter(name: "n", value: String(Int(n)))])
            }
        }
        let quadratic = try #require(Recommendations.analyze(scan { 0.0005 + 2e-8 * $0 * $0 }).first { $0.rule == .superlinearScan })
        #expect(quadratic.title.contains("n²") || quadratic.title.contains("quadratic"), "\(quadratic.title)")
        #expect(quadratic.estimatedImprovement > 0.5)
        #expect(!Self.rules(scan { 0.001 + 2e-5 * $0 }).contains(.superlinearScan))
        // Three sizes fit a cubic exactly and prove nothing (gzip's levels 1, 6, 9 did).
        let three = [1.0, 6, 9].map { n in
            Self.result("gzip", wall: Self.spread(0.07 + 0.0005 * n * n * n, cv: 0.01), parameters: [Parameter(name: "level", value: String(Int(n)))])
        }
        #expect(!Self.rules(three).contains(.superlinearScan))
        // Barely curved: a big fixed cost dominates, the growth is close to linear.
        #expect(!Self.rules(scan { 1.0 + 1e-3 * $0 + 1e-9 * $0 * $0 }).contains(.superlinearScan))
    }

    @Test func failedResultsGetNoAdviceAndTheUrgentComeFirst() {
        var failed = Self.result(wall: Self.spread(0.1, cv: 0.4))
        failed.status = .failed
        #expect(Recommendations.analyze([failed]).isEmpty)
        let wall = Self.spread(0.2, cv: 0.35)
        let found = Recommendations.analyze([Self.result(wall: wall, user: wall.map { $0 * 0.1 }, system: wall.map { $0 * 0.02 })])
        #expect(found.count >= 2)
        #expect(zip(found, found.dropFirst()).allSatisfy { $0.priority >= $1.priority })
    }

    @Test func oneAdviceForManyBenchmarksIsOneRecommendation() throws {
        let wall = Self.spread(0.2, cv: 0.01)
        let bound = ["a", "b", "c", "d"].map { Self.result($0, wall: wall, user: wall.map { $0 * 0.95 }, system: wall.map { $0 * 0.02 }) }
        let found = Recommendations.analyze(bound, logicalCores: 4).filter { $0.rule == .cpuBound }
        #expect(found.count == 1)
        #expect(found.first?.benchmarks == ["a", "b", "c", "d"] && found.first?.description.hasPrefix("4 benchmarks: a, b, c, d.") == true)
        #expect(found.first?.steps.first?.contains("metron profile --benchmark") == true)
    }

    @Test func aStoredProfileNamesTheHotFrames() throws {
        let wall = Self.spread(0.2, cv: 0.01)
        let bound = ["a", "b"].map { Self.result($0, wall: wall, user: wall.map { $0 * 0.95 }, system: wall.map { $0 * 0.02 }) }
        let profile = ProfileSummary(name: "a", command: "./a", samples: 900, hottest: [
            .init(name: "parse", selfShare: 0.62, totalShare: 0.70), .init(name: "hash", selfShare: 0.21, totalShare: 0.21),
            .init(name: "main", selfShare: 0.01, totalShare: 1),
        ], startedAt: "2026-12-04T03:00:00.000Z", folder: ".metron/profiles/a/x")
        let found = Recommendations.analyze(bound, logicalCores: 4, profiles: ["a": profile])
        let hot = try #require(found.first { $0.rule == .hotPath })
        #expect(hot.benchmark == "a" && hot.title == "Hot path: parse" && abs(hot.estimatedImprovement - 0.31) < 1e-9)
        #expect(hot.description.contains("parse (62 %), hash (21 %)") && hot.steps[0].contains(".metron/profiles/a/x/flamegraph.svg"))
        // The profiled benchmark's CPU-bound advice starts from its frames; the other's asks for a profile.
        let cpu = found.filter { $0.rule == .cpuBound }
        #expect(cpu.count == 2)
        #expect(cpu.first { $0.benchmark == "a" }?.steps.first == "Start with the hottest frames of its profile: parse (62 %), hash (21 %)")
        #expect(cpu.first { $0.benchmark == "b" }?.steps.first?.contains("metron profile") == true)
        // Too few samples, or no dominant frame: no hot path.
        var thin = profile
        thin.samples = 20
        #expect(!Recommendations.analyze(bound, logicalCores: 4, profiles: ["a": thin]).contains { $0.rule == .hotPath })
        // A binary without symbols: perf names the frame after the file, which is no advice.
        var stripped = profile
        stripped.hottest = [.init(name: "[gzip]", selfShare: 0.98, totalShare: 0.99), .init(name: "memcpy", selfShare: 0.01, totalShare: 0.01)]
        #expect(!Recommendations.analyze(bound, logicalCores: 4, profiles: ["a": stripped]).contains { $0.rule == .hotPath })
    }
}
