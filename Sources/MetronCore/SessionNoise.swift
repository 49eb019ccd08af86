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

/// Quantiles of Student's t distribution, standard library only.
public enum StudentT {
    /// The `p` quantile with `degreesOfFreedom` ν, by the Cornish-Fisher expansion around the
    /// normal quantile (Abramowitz & Stegun 26.7.5), accurate to about 0.5 % for ν ≥ 4 at the
    /// tails used here (p ≤ 0.995).
    public static func quantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
        let z = normalQuantile(p)
        let z2 = z * z
        let g1 = (z2 + 1) * z / 4
        let g2 = ((5 * z2 + 16) * z2 + 3) * z / 96
        let g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384
        let g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160
        return z + g1 / nu + g2 / (nu * nu) + g3 / (nu * nu * nu) + g4 / (nu * nu * nu * nu)
    }

    /// The standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9).
    public static func normalQuantile(_ p: Double) -> Double {
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        if p > 1 - low {
            let q = (-2 * log(1 - p)).squareRoot()
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        let q = p - 0.5, r = q * q
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
            / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    }
}

#if canImport(Glibc)
import Glibc
#endif
