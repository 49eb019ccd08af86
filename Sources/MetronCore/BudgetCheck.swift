/// A statistic a budget (SLA) limits.
public enum BudgetStatistic: String, Codable, Sendable, CaseIterable {
    case mean, median, p95, p99
    case maxMemory = "max_memory"
    case cpuPercent = "cpu_percent"
    case minOpsPerSecond = "min_ops_per_second"
    case maxOverheadPercent = "max_overhead_percent"

    /// The label in violation messages, e.g. "wall_time_p95".
    var label: String {
        switch self {
        case .mean, .median, .p95, .p99: return "wall_time_\(rawValue)"
        default: return rawValue
        }
    }
}

public enum Severity: String, Codable, Sendable, Comparable, CaseIterable {
    case warning, error

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .warning && rhs == .error }
}

/// A limit on one statistic of a benchmark: time in seconds, memory in bytes, CPU and overhead in
/// percent, throughput in operations per second (a minimum; every other budget is a maximum).
public struct Budget: Codable, Sendable, Equatable {
    public var statistic: BudgetStatistic
    public var limit: Double
    public var severity: Severity

    public init(statistic: BudgetStatistic, limit: Double, severity: Severity = .error) {
        self.statistic = statistic
        self.limit = limit
        self.severity = severity
    }
}

public struct BudgetViolation: Codable, Sendable, Equatable {
    public var benchmark: String
    public var budget: Budget
    public var actual: Double
    /// Seed 002's shape: `wall_time_p95: 1.25 s > 1.20 s (error)`.
    public var message: String
}

public struct BudgetEvaluation: Sendable, Equatable {
    public var violations: [BudgetViolation]
    /// Budgets whose statistic the result does not have (e.g. ops/s of a command).
    public var notMeasured: [Budget]

    public static func evaluate(_ result: BenchmarkResult, budgets: [Budget]) -> BudgetEvaluation {
        var evaluation = BudgetEvaluation(violations: [], notMeasured: [])
        let wall = result.metric(.wallTime)?.statistics
        for budget in budgets {
            let actual: Double?
            switch budget.statistic {
            case .mean: actual = wall?.mean
            case .median: actual = wall?.median
            case .p95: actual = wall?.percentiles.p95
            case .p99: actual = wall?.percentiles.p99
            case .maxMemory: actual = (result.metric(.peakRSSTree) ?? result.metric(.peakRSS))?.statistics.max
            case .cpuPercent: actual = result.metric(.cpuPercent)?.statistics.mean
            case .minOpsPerSecond:
                actual = result.metric("ops_per_second")?.statistics.mean ?? wall.flatMap { $0.mean > 0 ? 1 / $0.mean : nil }
            case .maxOverheadPercent: actual = result.metric("overhead_percent")?.statistics.mean
            }
            guard let actual else {
                evaluation.notMeasured.append(budget)
                continue
            }
            let isMinimum = budget.statistic == .minOpsPerSecond
            let violated = isMinimum ? actual < budget.limit : actual > budget.limit
            guard violated else { continue }
            let text = { (value: Double) -> String in
                switch budget.statistic {
                case .mean, .median, .p95, .p99: return Formatting.duration(value)
                case .maxMemory: return Formatting.bytes(value)
                case .cpuPercent, .maxOverheadPercent: return Formatting.percent(value)
                case .minOpsPerSecond: return Formatting.fixed(value, digits: 1) + " ops/s"
                }
            }
            let message = "\(budget.statistic.label): \(text(actual)) \(isMinimum ? "<" : ">") \(text(budget.limit)) (\(budget.severity.rawValue))"
            evaluation.violations.append(BudgetViolation(benchmark: result.name, budget: budget, actual: actual, message: message))
        }
        return evaluation
    }
}
