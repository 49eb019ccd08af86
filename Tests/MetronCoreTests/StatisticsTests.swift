import Foundation
import MetronCore
import Testing

@Suite("Statistics against numpy/scipy")
struct StatisticsFixtureTests {
    @Test("every deterministic figure matches numpy/scipy to 1e-9", arguments: try StatisticsFixture.load().datasets)
    func figuresMatchReference(_ data: StatisticsFixture.Dataset) {
        let stats = Statistics(samples: data.samples, bootstrap: nil)
        let expected = data.expected
        #expect(stats.count == expected.count)
        #expect(stats.min == expected.min)
        #expect(stats.max == expected.max)
        expectClose(stats.mean, expected.mean, "mean")
        expectClose(stats.median, expected.median, "median")
        expectClose(stats.stddev, expected.stddev, "stddev")
        for ((name, actual), (_, reference)) in zip(figures(stats.percentiles), figures(expected.percentiles)) {
            expectClose(actual, reference, name)
        }
        expectClose(stats.mad, expected.mad, "mad")
        expectClose(stats.iqr, expected.iqr, "iqr")
        expectClose(stats.coefficientOfVariation, expected.coefficientOfVariation, "coefficient of variation")
        #expect(stats.outliers == expected.outliers)
        #expect(stats.meanCI == nil && stats.medianCI == nil, "no bootstrap options, no intervals")
    }

    @Test("the default bootstrap intervals match the Python re-implementation",
          arguments: try StatisticsFixture.load().datasets)
    func defaultIntervalsMatchReference(_ data: StatisticsFixture.Dataset) throws {
        let stats = Statistics(samples: data.samples)
        guard let reference = data.bootstrap.first else {
            #expect(data.samples.count < 2)
            #expect(stats.meanCI == nil)
            #expect(stats.medianCI == nil)
            return
        }
        #expect(reference.options == BootstrapOptions(), "the fixture's first case uses the default options")
        let meanCI = try #require(stats.meanCI)
        let medianCI = try #require(stats.medianCI)
        #expect(meanCI.level == 0.95 && medianCI.level == 0.95)
        expectBounds(meanCI, reference.mean, "mean CI")
        expectBounds(medianCI, reference.median, "median CI")
    }

    @Test("the mean of data with a 1e9 offset matches numpy to 1e-12 and the spread is exact to 1e-9")
    func largeOffset() throws {
        let data = try StatisticsFixture.dataset("large_offset")
        let stats = Statistics(samples: data.samples, bootstrap: nil)
        expectClose(stats.mean, data.expected.mean, relative: 1e-12, "mean")
        // Both would be ruined by a one-pass Σx² - (Σx)²/n formula: x² ≈ 1e18 has an ulp of 128.
        expectClose(stats.stddev, data.expected.stddev, relative: 1e-9, "stddev")
        expectClose(stats.coefficientOfVariation, data.expected.coefficientOfVariation, relative: 1e-9, "cv")
        // The location figures are ~1e9 but only ~1 apart: compare them on the scale of the spread.
        let scale = data.expected.stddev
        #expect(abs(stats.mean - data.expected.mean) <= 1e-6 * scale)
        for ((name, actual), (_, reference)) in zip(figures(stats.percentiles), figures(data.expected.percentiles)) {
            #expect(abs(actual - reference) <= 1e-6 * scale, "\(name): \(actual) vs \(reference)")
        }
    }
}

/// Both bounds within 1e-9 relative, and also within 1e-6 of the interval's width (which matters
/// when the values have a large offset: 1e-9 of 1e9 is wider than the interval itself).
func expectBounds(_ interval: ConfidenceInterval, _ expected: [Double], _ what: String,
                  sourceLocation: SourceLocation = #_sourceLocation) {
    guard expected.count == 2 else {
        Issue.record("malformed reference interval \(expected)", sourceLocation: sourceLocation)
        return
    }
    expectClose(interval.lower, expected[0], "\(what) lower", sourceLocation: sourceLocation)
    expectClose(interval.upper, expected[1], "\(what) upper", sourceLocation: sourceLocation)
    let width = expected[1] - expected[0]
    #expect(abs(interval.lower - expected[0]) <= 1e-6 * width || interval.lower == expected[0],
            "\(what) lower: got \(interval.lower), expected \(expected[0])", sourceLocation: sourceLocation)
    #expect(abs(interval.upper - expected[1]) <= 1e-6 * width || interval.upper == expected[1],
            "\(what) upper: got \(interval.upper), expected \(expected[1])", sourceLocation: sourceLocation)
}

@Suite("Statistics edge cases")
struct StatisticsEdgeCaseTests {
    @Test("a single sample: stddev 0, every percentile the value, no intervals")
    func singleSample() {
        let stats = Statistics(samples: [0.042])
        #expect(stats.count == 1)
        #expect(stats.mean == 0.042)
        #expect(stats.median == 0.042)
        #expect(stats.stddev == 0)
        #expect(stats.min == 0.042 && stats.max == 0.042)
        #expect(figures(stats.percentiles).allSatisfy { $0.value == 0.042 })
        #expect(stats.mad == 0)
        #expect(stats.iqr == 0)
        #expect(stats.coefficientOfVariation == 0)
        #expect(stats.outliers == OutlierCounts())
        #expect(stats.meanCI == nil)
        #expect(stats.medianCI == nil)
    }

    @Test("constant data: exact mean, zero spread, no outliers, a degenerate interval")
    func constantData() throws {
        // A naive running sum of ten 0.1s is 0.9999999999999999, whose tenth is not 0.1.
        let stats = Statistics(samples: Array(repeating: 0.1, count: 10))
        #expect(stats.mean == 0.1)
        #expect(stats.stddev == 0)
        #expect(stats.iqr == 0)
        #expect(stats.mad == 0)
        #expect(stats.coefficientOfVariation == 0)
        #expect(stats.outliers.total == 0)
        let meanCI = try #require(stats.meanCI)
        let medianCI = try #require(stats.medianCI)
        #expect(meanCI.lower == 0.1 && meanCI.upper == 0.1)
        #expect(medianCI.lower == 0.1 && medianCI.upper == 0.1)
    }

    @Test("the mean is compensated: [1e16, 1, -1e16] has mean 1/3")
    func compensatedMean() {
        // Plain and Kahan summation both lose the 1 and give 0.
        let stats = Statistics(samples: [1e16, 1, -1e16], bootstrap: nil)
        #expect(stats.mean == 1.0 / 3.0)
    }

    @Test("two samples: stddev |a - b| / √2, median their mean, intervals present")
    func twoSamples() throws {
        let stats = Statistics(samples: [2.5, 1.5])
        #expect(stats.stddev == 0.5.squareRoot())
        #expect(stats.median == 2)
        #expect(stats.iqr == 0.5)
        let meanCI = try #require(stats.meanCI)
        #expect(meanCI.lower >= 1.5 && meanCI.upper <= 2.5 && meanCI.lower < meanCI.upper)
    }

    @Test("the coefficient of variation is stddev / mean, and 0 when the mean is 0")
    func coefficientOfVariation() {
        let stats = Statistics(samples: [1, 2, 3, 4], bootstrap: nil)
        #expect(stats.coefficientOfVariation == stats.stddev / 2.5)
        #expect(Statistics(samples: [-1, 0, 1], bootstrap: nil).coefficientOfVariation == 0)
    }

    @Test("no bootstrap options or 0 resamples: no intervals")
    func bootstrapDisabled() {
        let samples = [1.0, 2, 3, 4, 5]
        #expect(Statistics(samples: samples, bootstrap: nil).meanCI == nil)
        let none = Statistics(samples: samples, bootstrap: BootstrapOptions(resamples: 0))
        #expect(none.meanCI == nil && none.medianCI == nil)
        let some = Statistics(samples: samples, bootstrap: BootstrapOptions(resamples: 100, level: 0.8))
        #expect(some.meanCI?.level == 0.8 && some.medianCI?.level == 0.8)
    }

    @Test("the input order does not matter")
    func orderIndependent() throws {
        let data = try StatisticsFixture.dataset("heavy_tailed")
        var generator = SplitMix64(seed: 99)
        let shuffled = data.samples.shuffled(using: &generator)
        #expect(shuffled != data.samples)
        #expect(Statistics(samples: shuffled) == Statistics(samples: data.samples))
    }

    @Test("summarize returns nil for no samples and the statistics otherwise")
    func summarize() {
        #expect(Statistics.summarize([], bootstrap: nil) == nil)
        #expect(Statistics.summarize([]) == nil)
        #expect(Statistics.summarize([3, 1, 2], bootstrap: nil) == Statistics(samples: [1, 2, 3], bootstrap: nil))
    }

    @Test("Statistics(samples: []) stops with a precondition failure")
    func emptyPrecondition() async {
        await #expect(processExitsWith: .failure) {
            _ = Statistics(samples: [], bootstrap: nil)
        }
    }

    @Test("opsPerSecond is 1 / mean for a positive mean, else 0")
    func opsPerSecond() {
        #expect(Statistics(samples: [0.25, 0.25], bootstrap: nil).opsPerSecond == 4)
        #expect(Statistics(samples: [0.5, 1.5], bootstrap: nil).opsPerSecond == 1)
        #expect(Statistics(samples: [0, 0], bootstrap: nil).opsPerSecond == 0)
        #expect(Statistics(samples: [-1, -2], bootstrap: nil).opsPerSecond == 0)
    }

    @Test("Codable: round-trips, leaves out opsPerSecond and absent intervals")
    func coding() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let withCI = Statistics(samples: [0.011, 0.012, 0.0125, 0.013, 0.02], bootstrap: BootstrapOptions(resamples: 500))
        let data = try encoder.encode(withCI)
        #expect(try JSONDecoder().decode(Statistics.self, from: data) == withCI)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == [
            "count", "mean", "median", "stddev", "min", "max", "percentiles", "mad", "iqr",
            "coefficientOfVariation", "outliers", "meanCI", "medianCI",
        ])
        let percentiles = try #require(object["percentiles"] as? [String: Any])
        #expect(Set(percentiles.keys) == ["p25", "p50", "p75", "p90", "p95", "p99", "p999"])
        let outliers = try #require(object["outliers"] as? [String: Any])
        #expect(Set(outliers.keys) == ["lowSevere", "lowMild", "highMild", "highSevere"])
        let interval = try #require(object["meanCI"] as? [String: Any])
        #expect(Set(interval.keys) == ["level", "lower", "upper"])

        let withoutCI = Statistics(samples: [1, 2, 3], bootstrap: nil)
        let plain = try encoder.encode(withoutCI)
        let plainObject = try #require(try JSONSerialization.jsonObject(with: plain) as? [String: Any])
        #expect(plainObject["meanCI"] == nil && plainObject["medianCI"] == nil && plainObject["opsPerSecond"] == nil)
        #expect(try JSONDecoder().decode(Statistics.self, from: plain) == withoutCI)
    }
}
