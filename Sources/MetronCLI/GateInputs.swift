import Foundation
import MetronCore
import MetronExec
import MetronStore
import MetronSuite

/// What check, report and recommend judge a run by: the suite file's budgets and bands, the run
/// and its baseline from the store.
enum GateInputs {
    /// Budgets by (suite-qualified) benchmark name and the regression bands. With `required`
    /// false a missing file means no budgets and the default bands.
    static func budgets(config path: String, suite: String?, required: Bool) throws
        -> (budgets: [String: [Budget]], bands: RegressionBands)
    {
        if !required && !FileManager.default.fileExists(atPath: path) { return ([:], RegressionBands()) }
        do {
            let file = try SuiteFile.load(path: path)
            // The gate refuses a suite the file does not declare; a report of one (e.g. of runs
            // saved by `metron exec`) just has no budgets.
            var names: [String] = []
            if let suite, required || file.suite(named: suite) != nil { names = [suite] }
            let items = try file.plan(suites: names)
            return (Dictionary(items.map { ($0.budgetKey, $0.budgets) }, uniquingKeysWith: { first, other in first + other.filter { !first.contains($0) } }), file.bands)
        } catch let error as SuiteFileError {
            throw UsageFailure(error.description)
        }
    }

    /// The run to judge ("latest", optionally of a suite, or any reference `RunReference` takes)
    /// and the run the named baseline points at (nil when there is no such baseline).
    static func runAndBaseline(run: String, suite: String?, baseline: String, store: any ResultStore) async throws
        -> (run: RunReport, baseline: RunReport?)
    {
        let report: RunReport
        if run == "latest" {
            guard let latest = try await store.latestRun(suite: suite) else {
                throw UsageFailure("no stored run\(suite.map { " of suite '\($0)'" } ?? "") to check; run `metron run` first")
            }
            report = latest
        } else {
            report = try await RunReference.resolve(run, store: store)
        }
        var base: RunReport?
        if let named = try await store.baseline(name: baseline) { base = try await store.run(id: named.runID) }
        return (report, base)
    }
}
