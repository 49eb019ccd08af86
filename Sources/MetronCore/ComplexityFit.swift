#if canImport(Glibc)
import Glibc
#endif

/// Growth classes a parameter scan is matched against, cheapest first.
public enum ComplexityClass: String, Codable, Sendable, CaseIterable {
    case constant = "O(1)"
    case logarithmic = "O(log n)"
    case linear = "O(n)"
    case linearithmic = "O(n log n)"
    case quadratic = "O(n²)"
    case cubic = "O(n³)"

    /// The shape f(n) of the model cost = a + b·f(n).
    public func shape(_ n: Double) -> Double {
        switch self {
        case .constant: return 0
        case .logarithmic: return Swift.max(0, log(n))
        case .linear: return n
        case .linearithmic: return n * Swift.max(0, log(n))
        case .quadratic: return n * n
        case .cubic: return n * n * n
        }
    }

    /// The word a report uses: "linear", "quadratic"…
    public var word: String {
        switch self {
        case .constant: return "constant"
        case .logarithmic: return "logarithmic"
        case .linear: return "linear"
        case .linearithmic: return "linearithmic"
        case .quadratic: return "quadratic"
        case .cubic: return "cubic"
        }
    }

    /// What `coefficient` is the cost of ("per step", "per n·log n"…).
    var unitName: String {
        switch self {
        case .constant: return "per call"
        case .logarithmic: return "per log n"
        case .linear: return "per step"
        case .linearithmic: return "per n·log n"
        case .quadratic: return "per n²"
        case .cubic: return "per n³"
        }
    }

    /// Worse than linear: the scan grows faster than its input.
    public var isSuperlinear: Bool {
        switch self {
        case .linearithmic, .quadratic, .cubic: return true
        default: return false
        }
    }
}

/// The verdict of fitting a parameter scan's costs (e.g. mean seconds at n = 10, 50, 100, 500,
/// 1000) to each growth class by least squares, cost = a + b·f(n).
///
/// Why an intercept: real benchmarks carry a fixed cost (a call, a setup) that would otherwise be
/// mistaken for a slower growth class at small n. Why weighted: timing noise is roughly
/// proportional to the cost, so each point is weighted by 1/cost², which fits relative errors and
/// keeps the largest n from drowning the rest.
public struct ComplexityFit: Codable, Sendable, Equatable {
    public struct Candidate: Codable, Sendable, Equatable {
        public var complexity: ComplexityClass
        public var intercept: Double
        public var coefficient: Double
        /// Weighted coefficient of determination of this model, in [0, 1] for a sensible fit.
        public var rSquared: Double
        /// Root-mean-square relative error of the model's predictions.
        public var relativeRMSE: Double
    }

    public var complexity: ComplexityClass
    /// Cost per unit of f(n) (seconds per step for a linear scan of wall time).
    public var coefficient: Double
    public var intercept: Double
    public var rSquared: Double
    /// Every class tried, in `ComplexityClass.allCases` order.
    public var candidates: [Candidate]

    /// The fewest distinct sizes a fit needs: every model has two coefficients, so through three
    /// points any of them fits with one degree of freedom to spare ("O(n³), R² 1.000" through
    /// three compression levels).
    public static let minimumSizes = 4
    /// How far the sizes must spread (largest ÷ smallest): over a narrower range the growth
    /// classes look alike, and the parameter is more likely a setting (a level, a mode) than a size.
    public static let minimumSpread = 4.0

    /// Fits a scan. Needs at least `minimumSizes` distinct positive sizes spread by at least
    /// `minimumSpread`, and positive costs; nil otherwise. A richer model is chosen over a simpler
    /// one only when it fits clearly better (relative RMSE below 0.8 × the simpler's).
    /// - Parameter flatTolerance: when the chosen growing model explains a change across the
    ///   scanned range smaller than this fraction of the mean cost, the verdict is constant.
    public static func fit(sizes: [Double], costs: [Double], flatTolerance: Double = 0.10) -> ComplexityFit? {
        guard sizes.count == costs.count, Set(sizes).count >= minimumSizes,
              sizes.allSatisfy({ $0 > 0 && $0.isFinite }), costs.allSatisfy({ $0 > 0 && $0.isFinite }),
              sizes.max()! / sizes.min()! >= minimumSpread
        else { return nil }
        let weights = costs.map { 1 / ($0 * $0) }
        let candidates = ComplexityClass.allCases.map { fitOne($0, sizes, costs, weights) }
        let meanCost = costs.reduce(0, +) / Double(costs.count)
        let lo = sizes.min()!, hi = sizes.max()!
        let growing = candidates.dropFirst().filter { $0.coefficient > 0 }
        var best = candidates[0]
        // Cheapest first: each richer model must fit clearly better than the one chosen so far.
        for candidate in growing where candidate.relativeRMSE < best.relativeRMSE * 0.8 {
            let change = candidate.coefficient * (candidate.complexity.shape(hi) - candidate.complexity.shape(lo))
            // A growing model must also explain a real change across the range.
            if change > flatTolerance * meanCost { best = candidate }
        }
        return ComplexityFit(complexity: best.complexity, coefficient: best.coefficient,
                             intercept: best.intercept, rSquared: best.rSquared, candidates: candidates)
    }

    /// "linear, ~240 µs per step" for a time scan; `format` renders the per-unit cost.
    public func summary(format: (Double) -> String = Formatting.duration) -> String {
        if complexity == .constant { return "constant, ~\(format(intercept)) per call" }
        return "\(complexity.word), ~\(format(coefficient)) \(complexity.unitName)"
    }

    /// The model's predicted cost at n.
    public func predict(_ n: Double) -> Double {
        intercept + coefficient * complexity.shape(n)
    }

    private static func fitOne(_ model: ComplexityClass, _ n: [Double], _ y: [Double], _ w: [Double]) -> Candidate {
        let x = n.map(model.shape)
        let sw = w.reduce(0, +)
        let mx = zip(w, x).map { $0 * $1 }.reduce(0, +) / sw
        let my = zip(w, y).map { $0 * $1 }.reduce(0, +) / sw
        var sxx = 0.0, sxy = 0.0, syy = 0.0
        for i in x.indices {
            sxx += w[i] * (x[i] - mx) * (x[i] - mx)
            sxy += w[i] * (x[i] - mx) * (y[i] - my)
            syy += w[i] * (y[i] - my) * (y[i] - my)
        }
        let b = (model == .constant || sxx == 0) ? 0 : sxy / sxx
        let a = my - b * mx
        var ssr = 0.0, rel = 0.0
        for i in x.indices {
            let predicted = a + b * x[i]
            ssr += w[i] * (y[i] - predicted) * (y[i] - predicted)
            rel += ((y[i] - predicted) / y[i]) * ((y[i] - predicted) / y[i])
        }
        let r2 = syy == 0 ? 1 : 1 - ssr / syy
        return Candidate(complexity: model, intercept: a, coefficient: b, rSquared: r2,
                         relativeRMSE: (rel / Double(x.count)).squareRoot())
    }
}
