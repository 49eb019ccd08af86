import Foundation
import MetronCore
import Testing

/// Workloads of known cost, measured by a real benchmark executable (metron-inprocess-fixture),
/// each benchmark in its own child process as users run them.
/// Every test that runs the fixture, one at a time: timing tests must not compete for the cores.
@Suite(.serialized)
enum FixtureTests {}

extension FixtureTests {
    @Suite
    struct MeasurementTruthTests {
        @Test func aSleepOfKnownDurationMeasuresItsDuration() throws {
            let report = try Fixture.report("^sleep 2ms$", environment: ["METRON_WARMUP": "0.01", "METRON_MAX_DURATION": "0.3"])
            let result = try #require(report.result("sleep 2ms"))
            #expect(result.status == .ok)
            let wall = try #require(result.metric(.wallTime)).statistics
            // nanosleep never returns early; it overshoots by the timer slack (~50-100 µs) and scheduling.
            #expect(wall.min >= 0.002)
            #expect(wall.median < 0.0030, "median \(wall.median)")
            #expect(wall.count >= 20)
            // Sleeping costs next to no CPU, and blocks once per iteration.
            let cpu = try #require(result.metric("cpu_time")).statistics
            #expect(cpu.median < 0.0005, "cpu \(cpu.median)")
            let switches = try #require(result.metric(.voluntaryContextSwitches)).statistics
            #expect(switches.median >= 0.9 && switches.median <= 1.5, "voluntary switches \(switches.median)")
        }

        @Test func aLoopOfKnownLengthScalesLinearlyInCPUTime() throws {
            let steps = [10_000, 100_000, 1_000_000, 3_000_000]
            // Up to five measurements: each size runs in its own process, and a process that lands
            // on a vCPU the hypervisor is starving measures slower (seen: 3.8 against 2.1 ns a step,
            // and three measurements in a row off during a fresh-clone CI run). Interference only
            // ever adds, so one measurement that meets the truth shows it holds.
            var cpu: [Double] = []
            var perStep: [Double] = []
            var typical = 0.0
            for _ in 0..<5 {
                let report = try Fixture.report("^lcg ")
                cpu = try steps.map { n -> Double in
                    let result = try #require(report.result("lcg [steps=\(n)]"))
                    #expect(result.parameters == [Parameter(name: "steps", value: String(n))])
                    // The fastest sample: interference (other processes, a hypervisor's steal time,
                    // which a guest accounts as the process's CPU time) only ever adds.
                    return try #require(result.metric("cpu_time")).statistics.min
                }
                perStep = zip(cpu, steps).map { $0 / Double($1) }
                typical = (perStep.sorted()[1] + perStep.sorted()[2]) / 2
                if perStep.allSatisfy({ abs($0 / typical - 1) < 0.3 }) { break }
            }
            // CPU time grows in proportion to the loop (a serial dependency chain): the same cost
            // per step at every size over a 300× range, within 30 % of their median.
            for (index, cost) in perStep.enumerated() {
                #expect(abs(cost / typical - 1) < 0.3, "steps \(steps[index]): \(cost * 1e9) ns per step vs \(typical * 1e9)")
            }
            let fit = try #require(ComplexityFit.fit(sizes: steps.map(Double.init), costs: cpu))
            // Linear — or, when the processes' per-step costs drift by as much as the check above
            // admits (up to 30 %), n log n by a hair: over 10^4…3·10^6, log n grows only 1.6×. Then
            // the straight line must still fit within that same 30 %. Quadratic or worse fails.
            let linear = try #require(fit.candidates.first { $0.complexity == .linear })
            #expect(fit.complexity == .linear || (fit.complexity == .linearithmic && linear.relativeRMSE < 0.3),
                    "\(fit.complexity), linear candidate's relative RMSE \(linear.relativeRMSE)")
        }

        @Test func allocationCountsAreExact() throws {
            let report = try Fixture.report("^(no )?allocations$")
            let allocating = try #require(report.result("allocations"))
            let count = try #require(allocating.metric("allocations"))
            let bytes = try #require(allocating.metric("allocated_bytes"))
            // 10 allocations of 1000 bytes per iteration, in every sample.
            #expect(count.samples.allSatisfy { $0 == 10 }, "\(count.samples)")
            #expect(bytes.samples.allSatisfy { $0 == 10_000 }, "\(bytes.samples)")
            let none = try #require(report.result("no allocations"))
            #expect(try #require(none.metric("allocations")).samples.allSatisfy { $0 == 0 })
            #expect(try #require(none.metric("allocated_bytes")).samples.allSatisfy { $0 == 0 })
        }

        @Test func setupAndTeardownAreNotTimed() throws {
            // One iteration per sample: a 200 ms set-up inside any sample would make it ≥ 200 ms.
            let report = try Fixture.report("^setup excluded$", environment: ["METRON_ITERATIONS": "1", "METRON_SAMPLES": "50",
                                                                            "METRON_WARMUP": "0"])
            let result = try #require(report.result("setup excluded"))
            let wall = try #require(result.metric(.wallTime))
            #expect(wall.samples.count == 50)
            // Half the set-up's cost: a preempted sample stays far below it, a timed set-up cannot.
            #expect(wall.statistics.max < 0.1, "slowest sample \(wall.statistics.max)")
            // Fixed iterations that short trip the clock-resolution warning.
            #expect(result.warnings.contains { $0.code == .shortSamples && $0.message.contains("under 1000 clock reads") })
        }

        @Test func perIterationPreparationIsNotTimed() throws {
            // Preparing each input sleeps 1 ms; sorting three integers takes well under 100 µs.
            let report = try Fixture.report("^prepare excluded$", environment: ["METRON_WARMUP": "0", "METRON_MAX_DURATION": "0.5",
                                                                              "METRON_SAMPLE_TIME": "50us"])
            let result = try #require(report.result("prepare excluded"))
            let wall = try #require(result.metric(.wallTime)).statistics
            // Were preparation timed, every sample would cost ≥ 1 ms per iteration; a preempted
            // sample or two may, the middle of them cannot.
            #expect(wall.percentiles.p75 < 0.0005, "p75 \(wall.percentiles.p75)")
            #expect(wall.median < 0.0001, "median \(wall.median)")
            #expect(wall.count >= 2)
        }

        @Test func memoryGrowthIsMeasuredPerSample() throws {
            // The benchmark's own configuration: no warm-up, 10 iterations × 5 samples, 64 KiB kept each.
            let report = try Fixture.report("^leak$", environment: [:])
            let result = try #require(report.result("leak"))
            let growth = try #require(result.metric("rss_growth")).samples
            #expect(growth.count == 5)
            let perSample = 10.0 * 65_536
            for (index, value) in growth.enumerated() {
                let expected = perSample * Double(index + 1)
                #expect(value >= expected * 0.9 && value <= expected + 512 * 1024, "sample \(index): \(value) vs \(expected)")
            }
            let peak = try #require(result.metric(.peakRSS)).samples
            #expect(peak.allSatisfy { $0 > 1_000_000 })
            #expect(zip(peak, peak.dropFirst()).allSatisfy { $0 <= $1 }, "peak RSS never shrinks")
        }

        @Test func countersAndRatios() throws {
            let report = try Fixture.report("^cache counters$")
            let result = try #require(report.result("cache counters"))
            let hits = try #require(result.metric("hits")).samples
            let misses = try #require(result.metric("misses")).samples
            // Exactly one lookup per iteration, every fourth a miss.
            for (hit, miss) in zip(hits, misses) { #expect(abs(hit + miss - 1) < 1e-12) }
            let ratio = try #require(result.metric("hit_ratio"))
            #expect(ratio.unit == .percent)
            #expect(ratio.samples.allSatisfy { abs($0 - 75) < 0.5 }, "\(ratio.samples)")
        }

        @Test func throughputFromItemsPerIteration() throws {
            let report = try Fixture.report("^throughput$")
            let result = try #require(report.result("throughput"))
            let wall = try #require(result.metric(.wallTime)).samples
            let ops = try #require(result.metric("operations_per_second")).samples
            let items = try #require(result.metric("items_per_second")).samples
            for i in wall.indices {
                #expect(abs(ops[i] * wall[i] - 1) < 1e-9)
                #expect(abs(items[i] / ops[i] - 100) < 1e-9)
            }
        }

        @Test func overheadAgainstABaseline() throws {
            // "doubled" runs the same loop twice as long as its baseline "bare": +100 %.
            // Half a second each, so a burst of load from elsewhere moves a median only if it lasts.
            // Up to five measurements: the two benchmarks run in separate processes, which a
            // starved vCPU can slow unevenly; interference only adds, so one in range shows it holds.
            var measured: Metric?
            for _ in 0..<5 {
                let report = try Fixture.report("^doubled$", environment: ["METRON_WARMUP": "0.05", "METRON_MAX_DURATION": "1",
                                                                         "METRON_SAMPLE_TIME": "5ms"])
                // The baseline runs even though the filter left it out, just before its dependent.
                #expect(report.benchmarks.map(\.name) == ["bare", "doubled"])
                #expect(report.result("bare")?.status == .ok)
                measured = report.result("doubled")?.metric("overhead")
                if let median = measured?.statistics.median, median > 60 && median < 150 { break }
            }
            let overhead = try #require(measured)
            #expect(overhead.unit == .percent)
            #expect(overhead.statistics.median > 60 && overhead.statistics.median < 150, "overhead \(overhead.statistics.median) %")
        }

        @Test func concurrentThroughputAndScaling() throws {
            let report = try Fixture.report("^(threads|tasks) ")
            for key in ["threads [workers=1]", "threads [workers=2]", "tasks [tasks=2]"] {
                let result = try #require(report.result(key), "\(key)")
                #expect(result.status == .ok)
                let ops = try #require(result.metric("operations_per_second"))
                let wall = try #require(result.metric(.wallTime))
                // wall_time is the aggregate time per iteration: the inverse of the throughput.
                #expect(abs(ops.samples[0] * wall.samples[0] - 1) < 1e-9)
                let efficiency = try #require(result.metric("scaling_efficiency")).statistics.median
                #expect(efficiency > 0 && efficiency < 250, "\(key): \(efficiency) %")
            }
            // One worker against itself alone: the same work, so about 100 %.
            let single = try #require(report.result("threads [workers=1]")?.metric("scaling_efficiency")).statistics.median
            #expect(single > 70 && single < 130, "\(single) %")
            // Twice as many workers as cores: measured against the cores the machine has, the
            // CPU-bound loop scales well (against the worker count it would read about 50 %).
            let oversubscribed = try #require(report.result("threads oversubscribed")?.metric("scaling_efficiency")).statistics.median
            #expect(oversubscribed > 65 && oversubscribed < 130, "\(oversubscribed) %")
        }

        @Test func asyncBodies() throws {
            let report = try Fixture.report("^async yield$")
            let result = try #require(report.result("async yield"))
            #expect(result.status == .ok)
            #expect(try #require(result.wallTime).mean > 0)
        }

        @Test func hardwareCountersOrAClearWarning() throws {
            let report = try Fixture.report("^no allocations$")
            let result = try #require(report.result("no allocations"))
            if let instructions = result.metric("instructions") {
                // 100 LCG steps are at least 200 instructions (a multiply and an add each).
                #expect(instructions.statistics.median >= 200)
                #expect(result.metric("cycles") != nil)
            } else {
                #expect(result.warnings.contains { $0.code == .hardwareCountersUnavailable && $0.message.hasPrefix("hardware counters unavailable here (perf_event_open: ") })
            }
        }
    }
}
