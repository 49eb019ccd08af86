/// "A ran 1.23 ± 0.04 times faster than B": each benchmark's mean relative to the fastest, with
/// the uncertainty propagated from both standard deviations (first-order error propagation of a
/// quotient, as hyperfine reports it).
public struct RelativeSpeed: Sendable, Equatable {
    public var index: Int
    /// mean / fastest mean (1 for the fastest itself).
    public var ratio: Double
    /// Standard uncertainty of `ratio`.
    public var uncertainty: Double
    public var isFastest: Bool

    /// One entry per input, in input order. Inputs are (mean, stddev); means must be positive.
    public static func compute(_ inputs: [(mean: Double, stddev: Double)]) -> [RelativeSpeed] {
        guard let fastest = inputs.indices.min(by: { inputs[$0].mean < inputs[$1].mean }) else { return [] }
        let reference = inputs[fastest]
        return inputs.indices.map { index in
            let item = inputs[index]
            let ratio = item.mean / reference.mean
            let relativeError: Double
            if index == fastest {
                relativeError = 0
            } else {
                let a = item.stddev / item.mean
                let b = reference.stddev / reference.mean
                relativeError = (a * a + b * b).squareRoot()
            }
            return RelativeSpeed(index: index, ratio: ratio, uncertainty: ratio * relativeError,
                                 isFastest: index == fastest)
        }
    }
}

extension RelativeSpeed {
    /// Relative speeds of commands measured in interleaved rounds, from per-round pairs: each
    /// command's ratio to the fastest is exp(mean over shared rounds of log(t / t_fastest)), and
    /// its uncertainty the spread of those per-round ratios (ratio × standard deviation of the log
    /// ratios). Drift shared by a round falls out of each pair. Nil unless every input has runs in
    /// at least two rounds shared with every other.
    public static func paired(_ rounds: [[Int: Double]]) -> [RelativeSpeed]? {
        guard rounds.count >= 2 else { return nil }
        let shared = rounds.dropFirst().reduce(Set(rounds[0].keys)) { $0.intersection($1.keys) }
        guard shared.count >= 2 else { return nil }
        let order = shared.sorted()
        func logMean(_ index: Int) -> Double { order.map { log(rounds[index][$0]!) }.reduce(0, +) / Double(order.count) }
        guard let fastest = rounds.indices.min(by: { logMean($0) < logMean($1) }) else { return nil }
        return rounds.indices.map { index in
            let logs = order.map { log(rounds[index][$0]! / rounds[fastest][$0]!) }
            let mean = logs.reduce(0, +) / Double(logs.count)
            let variance = logs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(logs.count - 1, 1))
            let ratio = exp(mean)
            return RelativeSpeed(index: index, ratio: ratio, uncertainty: index == fastest ? 0 : ratio * variance.squareRoot(),
                                 isFastest: index == fastest)
        }
    }

    /// Paired speeds when the results' runs carry their rounds, else hyperfine's from means and
    /// standard deviations; `pairedRounds` says which, as the number of rounds (nil: unpaired).
    public static func of(_ results: [BenchmarkResult]) -> (speeds: [RelativeSpeed], pairedRounds: Int?) {
        let rounds = results.map { CommandMetrics.byRound($0, \.wallTime).filter { $0.value > 0 } }
        if results.allSatisfy({ $0.runs.contains { $0.round != nil } }), let paired = paired(rounds) {
            let shared = rounds.dropFirst().reduce(Set(rounds[0].keys)) { $0.intersection($1.keys) }
            return (paired, shared.count)
        }
        return (compute(results.map { ($0.wallTime!.mean, $0.wallTime!.stddev) }), nil)
    }
}

#if canImport(Glibc)
import Glibc
#endif
