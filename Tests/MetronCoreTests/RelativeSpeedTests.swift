import Testing
@testable import MetronCore

struct RelativeSpeedTests {
    @Test func ratiosAgainstTheFastestWithPropagatedUncertainty() throws {
        let speeds = RelativeSpeed.compute([(mean: 0.2, stddev: 0.004), (mean: 0.1, stddev: 0.001)])
        #expect(speeds[1].isFastest && !speeds[0].isFastest)
        #expect(speeds[1].ratio == 1 && speeds[1].uncertainty == 0)
        #expect(abs(speeds[0].ratio - 2) < 1e-12)
        // 2 × sqrt(0.02² + 0.01²)
        #expect(abs(speeds[0].uncertainty - 2 * (0.0004 + 0.0001).squareRoot()) < 1e-12)
    }

    @Test func emptyInputGivesNothing() {
        #expect(RelativeSpeed.compute([]).isEmpty)
    }
}

/// Interleaved rounds: shared drift cancels in per-round pairs.
struct PairedRelativeSpeedTests {
    @Test func driftSharedByARoundCancels() throws {
        // b is exactly 1.5× a in every round, while the machine drifts by ±40 % round to round.
        let drift = [1.0, 1.4, 0.7, 1.2, 0.9, 1.3]
        let a = Dictionary(uniqueKeysWithValues: drift.enumerated().map { ($0.offset, 0.010 * $0.element) })
        let b = a.mapValues { $0 * 1.5 }
        let speeds = try #require(RelativeSpeed.paired([b, a]))
        #expect(speeds[1].isFastest)
        #expect(abs(speeds[0].ratio - 1.5) < 1e-12)
        #expect(speeds[0].uncertainty < 1e-9)
        // The unpaired figure from means and standard deviations carries the drift.
        func stats(_ values: [Double]) -> (mean: Double, stddev: Double) {
            let mean = values.reduce(0, +) / Double(values.count)
            return (mean, (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot())
        }
        let unpaired = RelativeSpeed.compute([stats(Array(b.values)), stats(Array(a.values))])
        #expect(unpaired[0].uncertainty > 0.3)
    }

    @Test func onlySharedRoundsArePaired() throws {
        let a = [0: 1.0, 1: 1.0, 2: 1.0]
        let b = [0: 2.0, 1: 2.0]  // left the rounds after round 1
        let speeds = try #require(RelativeSpeed.paired([a, b]))
        #expect(abs(speeds[1].ratio - 2) < 1e-12)
        #expect(RelativeSpeed.paired([[0: 1.0], [0: 2.0]]) == nil)
    }
}
