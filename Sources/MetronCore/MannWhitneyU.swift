#if canImport(Glibc)
import Glibc
#endif

/// The Mann-Whitney U test (Wilcoxon rank-sum): does one sample tend to have larger values than
/// the other? Distribution-free, so it suits timing data, which is rarely normal.
public struct MannWhitneyResult: Codable, Sendable, Equatable {
    /// U statistic of the first sample.
    public var u: Double
    /// Two-sided p-value.
    public var pValue: Double
}

public enum MannWhitney {
    /// Two-sided test with the normal approximation, tie correction and continuity correction —
    /// `scipy.stats.mannwhitneyu(x, y, method="asymptotic")`. O(n log n).
    public static func test(_ x: [Double], _ y: [Double]) -> MannWhitneyResult {
        let n1 = Double(x.count), n2 = Double(y.count)
        guard !x.isEmpty, !y.isEmpty else { return MannWhitneyResult(u: 0, pValue: 1) }
        // Rank the pooled sample, averaging ranks over ties.
        let pooled = (x.map { ($0, true) } + y.map { ($0, false) }).sorted { $0.0 < $1.0 }
        var rankSumX = 0.0
        var tieTerm = 0.0
        var start = 0
        while start < pooled.count {
            var end = start + 1
            while end < pooled.count && pooled[end].0 == pooled[start].0 { end += 1 }
            let averageRank = Double(start + end + 1) / 2  // ranks start..<end are start+1 … end
            for index in start..<end where pooled[index].1 { rankSumX += averageRank }
            let t = Double(end - start)
            tieTerm += t * t * t - t
            start = end
        }
        let u1 = rankSumX - n1 * (n1 + 1) / 2
        let u2 = n1 * n2 - u1
        let n = n1 + n2
        let mean = n1 * n2 / 2
        let variance = n1 * n2 / 12 * ((n + 1) - tieTerm / (n * (n - 1)))
        guard variance > 0 else { return MannWhitneyResult(u: u1, pValue: 1) }
        let z = (max(u1, u2) - mean - 0.5) / variance.squareRoot()
        let p = min(1, erfc(z / 2.0.squareRoot()))
        return MannWhitneyResult(u: u1, pValue: p)
    }
}
