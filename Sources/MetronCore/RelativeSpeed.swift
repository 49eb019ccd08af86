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
