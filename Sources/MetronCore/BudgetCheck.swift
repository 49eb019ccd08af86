/// A statistic a budget (SLA) limits.
public enum BudgetStatistic: String, Codable, Sendable, CaseIterable {
    case mean, median, p95, p99
    case maxMemory = "max_memory"
    case cpuPercent = "cpu_percent"
    case minOpsPerSecond = "min_ops_per_second"
    case maxOverheadPercent = "max_overhead_percent"
    /// Instructions (Valgrind's count, else the hardware's) and estimated cycles, per run of a
    /// command or per iteration in-process.
    case maxInstructions = "max_instructions"
    case maxEstimatedCycles = "max_estimated_cycles"

    /// The label in violation messages, e.g. "wall_time_p95".
    public var label: String {
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
        for budget in budgets {
            guard let actual = value(of: budget.statistic, in: result) else {
                evaluation.notMeasured.append(budget)
                continue
            }
            guard !budget.isMet(by: actual) else { continue }
            let isMinimum = budget.statistic == .minOpsPerSecond
            let message = "\(budget.statistic.label): \(budget.format(actual)) \(isMinimum ? "<" : ">") \(budget.format(budget.limit)) (\(budget.severity.rawValue))"
            evaluation.violations.append(BudgetViolation(benchmark: result.name, budget: budget, actual: actual, message: message))
        }
        return evaluation
    }

    /// The figure a budget on `statistic` limits, nil when the result does not have it.
    /// A summary imported without the figure (NaN) does not have it either.
    public static func value(of statistic: BudgetStatistic, in result: BenchmarkResult) -> Double? {
        rawValue(of: statistic, in: result)?.finiteValue
    }

    private static func rawValue(of statistic: BudgetStatistic, in result: BenchmarkResult) -> Double? {
        let wall = result.metric(.wallTime)?.statistics
        switch statistic {
        case .mean: return wall?.mean
        case .median: return wall?.median
        case .p95: return wall?.percentiles.p95
        case .p99: return wall?.percentiles.p99
        case .maxMemory: return (result.metric(.peakRSSTree) ?? result.metric(.peakRSS))?.statistics.max
        case .cpuPercent: return result.metric(.cpuPercent)?.statistics.mean
        case .minOpsPerSecond:
            return result.metric(.operationsPerSecond)?.statistics.mean ?? wall.flatMap { $0.mean > 0 ? 1 / $0.mean : nil }
        case .maxOverheadPercent: return result.metric(.overhead)?.statistics.mean
        case .maxInstructions: return result.metric(.instructions)?.statistics.mean
        case .maxEstimatedCycles: return result.metric(.estimatedCycles)?.statistics.mean
        }
    }
}

extension Budget {
    /// Throughput budgets are minimums; every other budget is a maximum.
    public func isMet(by actual: Double) -> Bool {
        statistic == .minOpsPerSecond ? actual >= limit : actual <= limit
    }

    /// A value of this budget's statistic in its unit: "25.0 ms", "512.0 MiB", "80.0 %", "1200.0 ops/s".
    public func format(_ value: Double) -> String {
        switch statistic {
        case .mean, .median, .p95, .p99: return Formatting.duration(value)
        case .maxMemory: return Formatting.bytes(value)
        case .cpuPercent, .maxOverheadPercent: return Formatting.percent(value)
        case .minOpsPerSecond: return Formatting.fixed(value, digits: 1) + " ops/s"
        case .maxInstructions, .maxEstimatedCycles: return Formatting.count(value)
        }
    }

    /// "wall_time_p95 ≤ 25.0 ms", "min_ops_per_second ≥ 1000.0 ops/s".
    public var requirement: String {
        "\(statistic.label) \(statistic == .minOpsPerSecond ? "≥" : "≤") \(format(limit))"
    }
}
