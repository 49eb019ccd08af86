/// How much a benchmark's mean moves from one session to the next on the same machine, estimated
/// from the stored history of the baseline side: the means of the last runs with the same
/// machine fingerprint, the baseline run included. Within one session the runs agree closely;
/// across sessions (frequency, caches, page placement, neighbours) the mean itself moves, and
/// that spread — not the within-run interval — is what a change between two stored sessions must
/// exceed before it is called.
public struct SessionNoise: Sendable, Equatable {
    /// With fewer stored sessions than this, the spread is not estimated and `noiseFloor` applies.
    public static let minimumSessions = 5
    /// The relative change a comparison must exceed while the spread is not yet known (see
    /// docs/validity.md for how it was chosen).
    public static let defaultNoiseFloor = 0.05

    public var means: [Double]

    public init(means: [Double]) {
        self.means = means.filter { $0.isFinite }
    }

    public var count: Int { means.count }
    public var mean: Double { means.isEmpty ? 0 : means.reduce(0, +) / Double(means.count) }

    /// Sample standard deviation of the session means.
    public var standardDeviation: Double {
        guard means.count >= 2 else { return 0 }
        let m = mean
        return (means.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(means.count - 1)).squareRoot()
    }

    /// Relative half-width of the `level` prediction interval for the mean of one new session:
    /// t(1 − (1 − level)/2, k − 1) · s · √(1 + 1/k) / mean (the interval asv and Bencher's t-test
    /// thresholds use). Nil with fewer than `minimumSessions` sessions.
    public func predictionHalfWidth(level: Double = 0.99) -> Double? {
        guard count >= Self.minimumSessions, mean > 0 else { return nil }
        let k = Double(count)
        let t = StudentT.quantile(1 - (1 - level) / 2, degreesOfFreedom: k - 1)
        return t * standardDeviation * (1 + 1 / k).squareRoot() / mean
    }

    /// The relative change a comparison against this history must exceed, and a sentence saying
    /// where it comes from.
    public func threshold(noiseFloor: Double = defaultNoiseFloor, level: Double = 0.99) -> (value: Double, note: String) {
        if let width = predictionHalfWidth(level: level) {
            let spread = mean > 0 ? standardDeviation / mean : 0
            return (width, "session-to-session spread \(Formatting.fixed(spread * 100, digits: 1)) % over \(count) stored runs: "
                + "a change must leave the \(Formatting.fixed(level * 100, digits: 0)) % prediction interval (±\(Formatting.fixed(width * 100, digits: 1)) %)")
        }
        return (noiseFloor, "session-to-session noise not yet known (\(count) stored run\(count == 1 ? "" : "s") on this machine, "
            + "\(Self.minimumSessions) needed): a change must exceed the \(Formatting.fixed(noiseFloor * 100, digits: 0)) % noise floor")
    }
}

#if canImport(Glibc)
import Glibc
#endif
