// TEMPORARY: stand-ins until MetronCore's Budgets.swift / RegressionBands.swift land.
public struct RegressionBands: Sendable, Equatable {
    public var acceptable = 0.05, warning = 0.15, critical = 0.30
    public init() {}
    public init(acceptable: Double, warning: Double, critical: Double) { self.acceptable = acceptable; self.warning = warning; self.critical = critical }
}
public enum BudgetStatistic: String, Codable, Sendable, CaseIterable { case mean, median, p95, p99, maxMemory = "max_memory", cpuPercent = "cpu_percent", minOpsPerSecond = "min_ops_per_second", maxOverheadPercent = "max_overhead_percent" }
public enum Severity: String, Codable, Sendable { case warning, error }
public struct Budget: Sendable, Equatable { public var statistic: BudgetStatistic; public var limit: Double; public var severity: Severity }
