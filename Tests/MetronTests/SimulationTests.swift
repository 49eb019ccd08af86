import Foundation
import MetronCore
import Testing
@testable import Metron

/// `--valgrind` in a benchmark executable: the body counted in three batches (one warm-up, then
/// N and 2N iterations) under the real Valgrind, the counts joined to the timed result.
struct SimulationTests {
    @Test func batchesAreAWarmUpThenNAndTwiceN() {
        let batches = SimulatedBatches(iterations: 5)
        var sizes: [Int] = [], counted: [Bool] = []
        while let size = batches.next() {
            sizes.append(size)
            counted.append(batches.counting)
        }
        #expect(sizes == [5, 5, 10] && counted == [false, true, true] && batches.finished)
        #expect(SimulatedBatches(iterations: 0).next() == 1, "at least one iteration")
    }

    @Test func iterationsAreAboutTwentyMillisecondsOfTheBody() {
        var result = BenchmarkResult(name: "b", kind: .inProcess)
        result.metrics = [Metric(id: .wallTime, unit: .seconds, samples: [1e-6, 1e-6, 1e-6], bootstrap: nil)]
        #expect(InProcessSimulation.iterations(for: result) == 20_000)
        result.metrics = [Metric(id: .wallTime, unit: .seconds, samples: [0.5], bootstrap: nil)]
        #expect(InProcessSimulation.iterations(for: result) == 1)
    }

    @Test func theBodyAloneIsCountedPerIteration() throws {
        let run = try Fixture.run(["--valgrind", "--filter", "^lcg \\[steps=10{4,5}\\]", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let results = try run.report().benchmarks.filter { $0.name == "lcg" }
        try #require(results.count == 2, "\(run.stderr)")
        #expect(results.allSatisfy { $0.metric(.wallTime) != nil && $0.metric(.instructions)?.isDeterministic == true })
        // lcg does the same steps every iteration: ten times the steps, ten times the instructions.
        // Counting set-up, the harness or the clock too would add work that does not scale.
        let counts = results.map { $0.metric(.instructions)?.samples.first ?? 0 }
        #expect(counts[0] > 10_000 && abs(counts[1] / counts[0] / 10 - 1) < 0.001, "\(counts)")
        #expect(results.allSatisfy { ($0.metric(.l1Misses)?.samples.first ?? -1) >= 0 }, "misses per iteration are never negative")
        let refused = try Fixture.run(["--valgrind", "--no-isolation", "--filter", "^lcg"])
        #expect(refused.status == 2 && refused.stderr.contains("cannot be combined with --no-isolation"))
    }
}
