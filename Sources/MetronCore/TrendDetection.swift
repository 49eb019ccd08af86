/// One benchmark's headline value in one stored run.
public struct TrendPoint: Codable, Sendable, Equatable {
    public var runID: String
    public var commit: String?
    public var timestamp: Timestamp
    public var value: Double

    public init(runID: String, commit: String?, timestamp: Timestamp, value: Double) {
        self.runID = runID
        self.commit = commit
        self.timestamp = timestamp
        self.value = value
    }
}

/// A shift of the mean level in a benchmark's history.
public struct ChangePoint: Codable, Sendable, Equatable {
    /// Index of the first point after the shift.
    public var index: Int
    public var runID: String
    public var commit: String?
    public var meanBefore: Double
    public var meanAfter: Double
    /// meanAfter / meanBefore − 1.
    public var change: Double
}

/// Recent behaviour (rolling mean and spread, the latest run against its window) and the change
/// points of a whole history.
public struct TrendAnalysis: Codable, Sendable, Equatable {
    public var window: Int
    public var rollingMean: [Double]
    public var rollingStddev: [Double]
    /// Latest value against the mean of the `window` points before it.
    public var latestChange: Double?
    /// latestChange above the threshold (seed 002 flags > 10 %).
    public var degraded: Bool
    public var changePoints: [ChangePoint]

    /// Change points by binary segmentation of the mean: a split is kept when it lowers the sum
    /// of squared errors by more than a BIC-style penalty (2·σ²·ln n, σ estimated robustly from
    /// successive differences, so one shift does not inflate it), leaves at least `minimumSegment`
    /// points on each side and moves the mean by at least `minimumShift`.
    public static func analyze(_ points: [TrendPoint], window: Int = 20, degradationThreshold: Double = 0.10,
                               minimumShift: Double = 0.02, minimumSegment: Int = 3) -> TrendAnalysis {
        let values = points.map(\.value)
        let window = max(1, window)
        var means: [Double] = [], deviations: [Double] = []
        for index in values.indices {
            let slice = values[max(0, index - window + 1)...index]
            let mean = slice.reduce(0, +) / Double(slice.count)
            means.append(mean)
            let variance = slice.count > 1 ? slice.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(slice.count - 1) : 0
            deviations.append(variance.squareRoot())
        }
        var latestChange: Double?
        if values.count >= 2 {
            let previous = values[max(0, values.count - 1 - window)..<(values.count - 1)]
            let mean = previous.reduce(0, +) / Double(previous.count)
            if mean != 0 { latestChange = values[values.count - 1] / mean - 1 }
        }
        let splits = changePointIndices(values, minimumShift: minimumShift, minimumSegment: max(1, minimumSegment))
        var changePoints: [ChangePoint] = []
        let bounds = [0] + splits + [values.count]
        for (offset, split) in splits.enumerated() {
            let before = values[bounds[offset]..<split], after = values[split..<bounds[offset + 2]]
            let meanBefore = before.reduce(0, +) / Double(before.count)
            let meanAfter = after.reduce(0, +) / Double(after.count)
            changePoints.append(ChangePoint(index: split, runID: points[split].runID, commit: points[split].commit,
                                            meanBefore: meanBefore, meanAfter: meanAfter,
                                            change: meanBefore != 0 ? meanAfter / meanBefore - 1 : 0))
        }
        return TrendAnalysis(window: window, rollingMean: means, rollingStddev: deviations, latestChange: latestChange,
                             degraded: (latestChange ?? 0) > degradationThreshold, changePoints: changePoints)
    }

    static func changePointIndices(_ values: [Double], minimumShift: Double, minimumSegment: Int) -> [Int] {
        let n = values.count
        guard n >= 2 * minimumSegment else { return [] }
        // Noise level from successive differences: a level shift adds one large difference only.
        let differences = zip(values.dropFirst(), values).map { abs($0 - $1) }.sorted()
        let sigma = max(percentile(sorted: differences, 50) * 1.4826 / 2.0.squareRoot(), 1e-12)
        let penalty = 2 * sigma * sigma * log(Double(n)) * 2
        var prefix = [0.0], prefixSquares = [0.0]
        for value in values {
            prefix.append(prefix.last! + value)
            prefixSquares.append(prefixSquares.last! + value * value)
        }
        func sse(_ a: Int, _ b: Int) -> Double {
            let count = Double(b - a)
            let sum = prefix[b] - prefix[a]
            return prefixSquares[b] - prefixSquares[a] - sum * sum / count
        }
        func mean(_ a: Int, _ b: Int) -> Double { (prefix[b] - prefix[a]) / Double(b - a) }
        var result: [Int] = []
        func split(_ a: Int, _ b: Int) {
            guard b - a >= 2 * minimumSegment else { return }
            var best: (gain: Double, index: Int)?
            for k in (a + minimumSegment)...(b - minimumSegment) {
                let gain = sse(a, b) - sse(a, k) - sse(k, b)
                if best == nil || gain > best!.gain { best = (gain, k) }
            }
            guard let best, best.gain > penalty else { return }
            let before = mean(a, best.index), after = mean(best.index, b)
            guard before != 0, abs(after / before - 1) >= minimumShift else { return }
            split(a, best.index)
            result.append(best.index)
            split(best.index, b)
        }
        split(0, n)
        return result.sorted()
    }
}

#if canImport(Glibc)
import Glibc
#endif
