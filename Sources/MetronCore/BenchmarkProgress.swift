/// Reported while a benchmark runs, for progress bars.
public enum BenchmarkProgress: Sendable, Equatable {
    case setup
    case warmup(done: Int, total: Int)
    /// `elapsed` is wall time since measuring began, prepare commands included, for the ETA.
    case measuring(done: Int, total: Int, elapsed: Double)
}
