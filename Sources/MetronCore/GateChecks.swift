/// One check of the CI gate: a benchmark's status, one budget, or its comparison with the
/// baseline. `metron check` prints the failing ones, JUnit output makes each a test case, the
/// HTML report shows them as SLA status.
public struct GateCheck: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        /// The benchmark completed (status ok).
        case status
        /// A budget (SLA) of the suite file.
        case budget
        /// No significant slowdown against the baseline beyond the minor band.
        case regression
    }

    public enum Outcome: String, Codable, Sendable {
        case passed
        /// A violation; `severity` says how serious.
        case failed
        /// Passed, with something worth a line (a minor regression).
        case note
        /// Could not be judged (a budget on a statistic the benchmark does not have).
        case notMeasured
    }

    public var kind: Kind
    public var benchmark: String
    public var parameters: [Parameter]
    public var suite: String?
    /// What was checked: "status", "wall_time_p95 ≤ 25.0 ms", "regression vs baseline 'main'".
    public var name: String
    public var outcome: Outcome
    /// Set for failures: the budget's severity, or the regression band's (warning or error).
    public var severity: Severity?
    /// The finding in one line, as `metron check` prints it after the benchmark's name.
    public var message: String
    /// The measured figure (budgets) or the relative change (regressions).
    public var actual: Double?
    public var limit: Double?

    public var key: String { BenchmarkKey.of(name: benchmark, parameters: parameters) }
}

/// What the gate does when the baseline was measured on a machine with another fingerprint.
public enum DifferentMachinePolicy: String, Sendable, CaseIterable {
    /// A failed check at error level naming the facts that differ (the default: never a silent pass).
    case fail
    /// The same check at warning level; regressions are not judged.
    case warn
    /// Judge regressions as if the machines were the same.
    case compare
}

/// Every check of a run: statuses, budgets and (when a baseline exists) regressions. Pure: the
/// caller loads the runs and the budgets.
public struct GateEvaluation: Sendable, Equatable {
    public var checks: [GateCheck]
    /// The comparison with the baseline, when there was one (also when machines differ).
    public var comparison: RunComparison?
    /// The baseline was measured on another machine: regressions were not judged.
    public var regressionsSkippedForMachine: Bool

    /// - Parameters:
    ///   - budgets: budgets by benchmark name (the suite-qualified name results carry).
    ///   - suite: only results of this suite (and baseline results of it) are checked.
    public static func evaluate(run: RunReport, baseline: RunReport?, baselineName: String,
                                budgets: [String: [Budget]], bands: RegressionBands = RegressionBands(),
                                suite: String? = nil, onDifferentMachine: DifferentMachinePolicy = .fail,
                                history: [String: [Double]]? = nil) -> GateEvaluation {
        var checks: [GateCheck] = []
        let results = run.benchmarks.filter { suite == nil || $0.suite == suite }
        for result in results {
            let ok = result.status == .ok
            checks.append(GateCheck(
                kind: .status, benchmark: result.name, parameters: result.parameters, suite: result.suite, name: "status",
                outcome: ok ? .passed : .failed, severity: ok ? nil : .error,
                message: ok ? "ok" : "\(result.status.rawValue)\(result.message.map { " — \($0)" } ?? "")"))
            for budget in BudgetLookup.budgets(for: result, in: budgets) {
                let actual = BudgetEvaluation.value(of: budget.statistic, in: result)
                var check = GateCheck(kind: .budget, benchmark: result.name, parameters: result.parameters, suite: result.suite,
                                      name: budget.requirement, outcome: .passed, severity: nil, message: "",
                                      actual: actual, limit: budget.limit)
                if let actual {
                    let violation = BudgetEvaluation.evaluate(result, budgets: [budget]).violations.first
                    check.outcome = violation == nil ? .passed : .failed
                    check.severity = violation?.budget.severity
                    check.message = violation?.message ?? "\(budget.statistic.label): \(budget.format(actual)) (limit \(budget.format(budget.limit)))"
                } else {
                    check.outcome = .notMeasured
                    check.message = "\(budget.statistic.label): not measured by this benchmark"
                }
                checks.append(check)
            }
        }
        var comparison: RunComparison?
        var skipped = false
        if let baseline, baseline.id != run.id {
            var scopedBase = baseline
            scopedBase.benchmarks = baseline.benchmarks.filter { suite == nil || $0.suite == suite }
            var scoped = run
            scoped.benchmarks = results
            let compared = RunComparison.compare(baseline: scopedBase, current: scoped, bands: bands, history: history)
            comparison = compared
            skipped = compared.machinesDiffer && onDifferentMachine != .compare
            if skipped {
                let differences = MachineInfo.differences(baseline.machine, run.machine)
                checks.append(GateCheck(
                    kind: .regression, benchmark: "(run)", parameters: [], suite: suite,
                    name: "same machine as baseline '\(baselineName)'", outcome: .failed,
                    severity: onDifferentMachine == .fail ? .error : .warning,
                    message: "baseline '\(baselineName)' was measured on another machine (\(differences.joined(separator: "; "))): "
                        + "regressions not judged; use --on-different-machine warn|compare to accept it"))
            }
            if !skipped {
                let suites = Dictionary(results.map { ($0.key, $0.suite) }, uniquingKeysWith: { first, _ in first })
                for item in compared.comparisons {
                    let key = BenchmarkKey.of(name: item.benchmark, parameters: item.parameters)
                    var check = GateCheck(kind: .regression, benchmark: item.benchmark, parameters: item.parameters,
                                          suite: suites[key] ?? nil, name: "regression vs baseline '\(baselineName)'",
                                          outcome: .passed, severity: nil, message: "", actual: item.change,
                                          limit: item.deterministic == true ? bands.deterministicWarning : bands.warning)
                    let change = signedPercent(item.change) + (item.metric == .wallTime ? "" : " \(item.metric)")
                    switch (item.verdict, item.band) {
                    case (.slower, .critical), (.slower, .warning):
                        check.outcome = .failed
                        check.severity = item.band == .critical ? .error : .warning
                        check.message = "regression \(change) vs baseline '\(baselineName)' (\(item.band.rawValue))"
                    case (.slower, _):
                        check.outcome = .note
                        check.message = "regression \(change) vs baseline '\(baselineName)' (\(item.band.rawValue))"
                    case (.faster, _):
                        check.message = "faster: \(change) vs baseline '\(baselineName)'"
                    case (.inconclusive, _):
                        // Thin evidence may still say the change is far beyond the critical band.
                        if let lower = item.changeCI?.lower, lower > bands.critical {
                            check.outcome = .failed
                            check.severity = .error
                            check.message = "regression of at least \(signedPercent(lower)) vs baseline '\(baselineName)' by the interval alone (\(item.evidence ?? "inconclusive"))"
                        } else {
                            check.outcome = .note
                            check.message = "inconclusive (\(change)) vs baseline '\(baselineName)': \(item.evidence ?? "not enough evidence")"
                        }
                    case (.noChange, _):
                        check.message = "no significant change (\(change)) vs baseline '\(baselineName)'"
                    }
                    checks.append(check)
                }
            }
        }
        return GateEvaluation(checks: checks, comparison: comparison, regressionsSkippedForMachine: skipped)
    }

    public var failures: [GateCheck] { checks.filter { $0.outcome == .failed } }

    /// Failures at `threshold` or above.
    public func failures(atLeast threshold: Severity) -> [GateCheck] {
        failures.filter { ($0.severity ?? .error) >= threshold }
    }

    /// "+12.34%" / "-3.00%".
    public static func signedPercent(_ change: Double) -> String {
        (change >= 0 ? "+" : "") + Formatting.fixed(change * 100, digits: 2) + "%"
    }
}
