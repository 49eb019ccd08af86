import Foundation
import MetronCore
import Testing

/// Reference figures from numpy/scipy, written by Fixtures/make_fixtures.py.
struct StatisticsFixture: Decodable, Sendable {
    struct SplitMixCase: Decodable, Sendable {
        var seed: String
        var outputs: [String]
    }

    struct Expected: Decodable, Sendable {
        var count: Int
        var mean: Double
        var median: Double
        var stddev: Double
        var min: Double
        var max: Double
        var percentiles: Percentiles
        var mad: Double
        var iqr: Double
        var coefficientOfVariation: Double
        var outliers: OutlierCounts
    }

    struct BootstrapCase: Decodable, Sendable {
        var resamples: Int
        var level: Double
        var seed: String
        var mean: [Double]
        var median: [Double]

        var options: BootstrapOptions {
            BootstrapOptions(resamples: resamples, level: level, seed: parseHex(seed))
        }
    }

    struct Dataset: Decodable, Sendable, CustomTestStringConvertible {
        var name: String
        var samples: [Double]
        var expected: Expected
        var bootstrap: [BootstrapCase]

        var testDescription: String { name }
    }

    struct ScipyBootstrap: Decodable, Sendable {
        var name: String
        var level: Double
        var resamples: Int
        var mean: [Double]
        var median: [Double]
    }

    var numpy: String
    var scipy: String
    var splitmix64: [SplitMixCase]
    var datasets: [Dataset]
    var scipyBootstrap: ScipyBootstrap

    static let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent("statistics.json")

    private static let loaded = Result<StatisticsFixture, any Error> {
        try JSONDecoder().decode(StatisticsFixture.self, from: Data(contentsOf: url))
    }

    static func load() throws -> StatisticsFixture { try loaded.get() }

    static func dataset(_ name: String) throws -> Dataset {
        try #require(try load().datasets.first { $0.name == name }, "no data set \(name) in the fixture")
    }
}

func parseHex(_ text: String) -> UInt64 {
    precondition(text.hasPrefix("0x"), "not a hex literal: \(text)")
    guard let value = UInt64(text.dropFirst(2), radix: 16) else { preconditionFailure("bad hex: \(text)") }
    return value
}

/// `actual` within `relative` · |expected| of `expected` (so an expected 0 must be met exactly).
func expectClose(_ actual: Double, _ expected: Double, relative: Double = 1e-9, _ what: @autoclosure () -> String,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(abs(actual - expected) <= relative * abs(expected),
            "\(what()): got \(actual), expected \(expected)", sourceLocation: sourceLocation)
}

/// The named figures of a `Percentiles`, in order.
func figures(_ p: Percentiles) -> [(name: String, value: Double)] {
    [("p25", p.p25), ("p50", p.p50), ("p75", p.p75), ("p90", p.p90), ("p95", p.p95), ("p99", p.p99),
     ("p999", p.p999)]
}
