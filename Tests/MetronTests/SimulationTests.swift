import Foundation
import MetronCore
import Testing
@testable import Metron

/// `--valgrind` in a benchmark executable: the body counted in three batches (one warm-up, then
/// N and 2N iterations), the counts joined to the timed result — or, where this machine's Valgrind
/// cannot run the executable, the timed results kept with the reason and exit 2.
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

    @Test func countsJoinTheResultOrTheReasonDoes() throws {
        let run = try Fixture.run(["--valgrind", "--filter", "^lcg", "--format", "json"])
        let report = try run.report()
        let results = report.benchmarks.filter { $0.name == "lcg" }
        try #require(results.count == 4, "\(run.stderr)")
        #expect(results.allSatisfy { $0.metric(.wallTime) != nil }, "the timed results stand either way")
        if run.status == 0 {
            // lcg does the same steps per iteration: ten times the steps, ten times the instructions.
            let counts = results.map { $0.metric(.instructions)?.samples.first ?? 0 }
            #expect(results.allSatisfy { $0.metric(.instructions)?.deterministic == true })
            #expect(abs(counts[1] / counts[0] / 10 - 1) < 0.02, "\(counts)")
        } else {
            #expect(run.status == 2, "\(run.stderr)")
            let reasons = results.flatMap { $0.warnings.filter { $0.code == .simulationFailed } }
            #expect(reasons.count == 4 && reasons.allSatisfy { $0.message.contains("under Valgrind") }, "\(reasons)")
            #expect(results.allSatisfy { $0.metric(.instructions)?.isDeterministic != true })
        }
        let refused = try Fixture.run(["--valgrind", "--no-isolation", "--filter", "^lcg"])
        #expect(refused.status == 2 && refused.stderr.contains("cannot be combined with --no-isolation"))
    }
}
