/// One stored run's headline figures for one benchmark: what a history chart and the
/// memory-growth rule need.
public struct HistoryPoint: Codable, Sendable, Equatable {
    public var runID: String
    public var startedAt: Timestamp
    public var commit: String?
    public var count: Int
    /// Wall time, seconds.
    public var mean: Double
    public var stddev: Double
    public var median: Double
    public var p95: Double
    /// The bootstrap interval of the mean when stored with the run.
    public var meanCI: ConfidenceInterval?
    /// Peak memory of the run (bytes, the largest sample), when measured.
    public var peakMemory: Double?

    public init(runID: String, startedAt: Timestamp, commit: String? = nil, count: Int, mean: Double, stddev: Double,
                median: Double, p95: Double, meanCI: ConfidenceInterval? = nil, peakMemory: Double? = nil) {
        self.runID = runID
        self.startedAt = startedAt
        self.commit = commit
        self.count = count
        self.mean = mean
        self.stddev = stddev
        self.median = median
        self.p95 = p95
        self.meanCI = meanCI
        self.peakMemory = peakMemory
    }

    /// The point of `result` in `run`; nil when it measured no wall time.
    public init?(run: RunReport, result: BenchmarkResult) {
        guard let wall = result.wallTime else { return nil }
        self.init(runID: run.id, startedAt: run.startedAt, commit: run.git?.commit, count: wall.count, mean: wall.mean,
                  stddev: wall.stddev, median: wall.median, p95: wall.percentiles.p95, meanCI: wall.meanCI,
                  peakMemory: (result.metric(.peakRSSTree) ?? result.metric(.peakRSS))?.statistics.max)
    }

    /// The mean's interval: the stored bootstrap interval, else mean ± 1.96·σ/√n.
    public var interval: (lower: Double, upper: Double) {
        if let meanCI { return (meanCI.lower, meanCI.upper) }
        let half = count > 1 && stddev.isFinite ? 1.96 * stddev / Double(count).squareRoot() : 0
        return (mean - half, mean + half)
    }
}
