@testable import Metron
import Testing

/// The calibration and sampling decisions, driven by a simulated body of known cost.
struct SamplingPlanTests {
    /// Runs a plan against a body costing `cost` seconds per iteration on a simulated clock;
    /// returns the plan and the iteration count of every measured sample.
    func simulate(_ configuration: BenchmarkConfiguration, cost: Double, clockCost: Double = 2e-8)
        -> (plan: SamplingPlan, samples: [Int])
    {
        var now = 1000.0
        var plan = SamplingPlan(ResolvedConfiguration(configuration), clockCost: clockCost)
        var guardSteps = 0
        while plan.phase == .warmup && guardSteps < 10_000 {
            let wall = Double(plan.iterations) * cost
            now += wall
            plan.recordWarmup(wall: wall, now: now)
            guardSteps += 1
        }
        var samples: [Int] = []
        while plan.shouldTakeSample(now: now) {
            samples.append(plan.iterations)
            now += Double(plan.iterations) * cost
        }
        return (plan, samples)
    }

    @Test func calibratesSoOneSampleLastsTheSampleTime() {
        let (plan, samples) = simulate(BenchmarkConfiguration(warmup: .milliseconds(100), sampleTime: .milliseconds(1)), cost: 3e-9)
        // ceil(1 ms / 3 ns) = 333,334 iterations per sample, 100 samples (the default maximum).
        #expect(samples.count == 100)
        #expect(samples.allSatisfy { $0 == 333_334 })
        #expect(plan.warmupTime >= 0.1)
    }

    @Test func slowBodiesRunOneIterationPerSampleUntilMaxDuration() {
        let (_, samples) = simulate(BenchmarkConfiguration(warmup: .zero, maxDuration: .seconds(1), sampleTime: .milliseconds(1)),
                                    cost: 0.3)
        // 0.3 s per sample: samples start at 0, 0.3, 0.6, 0.9 s; the one after crosses 1 s.
        #expect(samples == [1, 1, 1, 1])
    }

    @Test func sampleTimeIsAtLeastAThousandClockReads() {
        let plan = SamplingPlan(ResolvedConfiguration(BenchmarkConfiguration(sampleTime: .nanoseconds(10))), clockCost: 5e-8)
        #expect(abs(plan.sampleTime - 5e-5) < 1e-15)
    }

    @Test func fixedIterationsSkipCalibration() {
        let (plan, samples) = simulate(BenchmarkConfiguration(warmup: .zero, maxSamples: 4, iterations: 7), cost: 1e-6)
        #expect(samples == [7, 7, 7, 7])
        #expect(plan.warmupIterations == 0)
    }

    @Test func anEmptyBodyStopsCalibratingAtTheIterationCap() {
        // A body the optimiser deleted costs nothing however many iterations run: calibration
        // stops at the cap instead of overflowing, and samples assume at least 1 ps per iteration.
        let (plan, samples) = simulate(BenchmarkConfiguration(warmup: .seconds(1), maxSamples: 3), cost: 0)
        // …and ends the warm-up there: a body that costs nothing has nothing to warm.
        // (1 + 10 + … + 10⁹ + 2·10⁹ + 4·10⁹ + the cap: no batch repeats while waiting for the warm-up time)
        #expect(plan.warmupIterations < 3 * SamplingPlan.maximumIterations)
        #expect(plan.phase == .measure)
        #expect(samples == [1_000_000_000, 1_000_000_000, 1_000_000_000])
    }

    @Test func configurationLayers() throws {
        let suite = BenchmarkConfiguration(warmup: .seconds(2), maxSamples: 10)
        let benchmark = BenchmarkConfiguration(maxSamples: 20)
        let environment = try BenchmarkConfiguration.fromEnvironment(["METRON_MAX_DURATION": "250ms", "METRON_ITERATIONS": "3"])
        let resolved = ResolvedConfiguration(environment.over(benchmark.over(suite)))
        #expect(resolved.warmup == 2)
        #expect(resolved.maxSamples == 20)
        #expect(resolved.maxDuration == 0.25)
        #expect(resolved.iterations == 3)
        #expect(resolved.sampleTime == 0.001)
    }

    @Test func durationText() {
        #expect(DurationText.parse("0.5") == .milliseconds(500))
        #expect(DurationText.parse("200ms") == .milliseconds(200))
        #expect(DurationText.parse("2s") == .seconds(2))
        #expect(DurationText.parse("50us") == .microseconds(50))
        #expect(DurationText.parse("50µs") == .microseconds(50))
        #expect(DurationText.parse("100ns") == .nanoseconds(100))
        #expect(DurationText.parse("soon") == nil)
        #expect(DurationText.parse("-1s") == nil)
    }
}
