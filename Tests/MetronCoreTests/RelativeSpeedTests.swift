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
