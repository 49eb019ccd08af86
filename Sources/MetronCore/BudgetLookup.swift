/// Which budgets apply to a result. A command benchmark's are declared under its name
/// ("suite/name"). The in-process results of a suite's Swift benchmark target are named by the
/// executable, known only once it ran, so the suite file's budgets for the target are kept under
/// "suite/*" and apply to every in-process result of the suite that has none of its own.
public enum BudgetLookup {
    public static func suiteWildcard(_ suite: String) -> String { "\(suite)/*" }

    public static func budgets(for result: BenchmarkResult, in budgets: [String: [Budget]]) -> [Budget] {
        if let own = budgets[result.name] { return own }
        if result.kind == .inProcess, let suite = result.suite, let shared = budgets[suiteWildcard(suite)] { return shared }
        return []
    }
}
