import ArgumentParser
import Foundation
import MetronCore
import MetronStore
import MetronSuite

/// The CI gate: budgets of the suite file on the latest run, and regressions against a baseline.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check budgets and regressions of the latest run; exit 1 when something fails.",
        discussion: """
            Budgets come from the suite file. Regressions are judged against the baseline (if it \
            exists): a significant slowdown in the warning band is a warning, in the critical band \
            an error. Exit status: 0 when nothing at the failing level was found, 1 when something \
            was, 2 for usage or configuration errors.
            """)

    @Option(name: [.short, .long], help: "The suite file with the budgets.")
    var config: String = "metron.yml"

    @Option(name: [.short, .long], help: "Check only this suite.")
    var suite: String?

    @Option(name: [.short, .long], help: "Baseline to check regressions against (skipped if it does not exist).")
    var baseline: String = "main"

    @Option(help: "Run to check (default: the latest).")
    var run: String = "latest"

    @Option(help: "Fail on: error (default) or warning.")
    var failOn: String = "error"

    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
        guard let threshold = Severity(rawValue: failOn) else { throw ValidationError("--fail-on must be error or warning") }
        let file: SuiteFile
        let items: [SuitePlanItem]
        do {
            file = try SuiteFile.load(path: config)
            items = try file.plan(suites: suite.map { [$0] } ?? [])
        } catch let error as SuiteFileError {
            throw UsageFailure(error.description)
        }
        let budgets = Dictionary(items.map { ($0.spec.name, $0.budgets) }, uniquingKeysWith: { first, _ in first })

        let (report, base) = try await storeOptions.withStore { store -> (RunReport, RunReport?) in
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

        var findings: [(severity: Severity, text: String)] = []
        let results = report.benchmarks.filter { suite == nil || $0.suite == suite }
        for result in results {
            if result.status != .ok {
                findings.append((.error, "\(result.name): \(result.status.rawValue)\(result.message.map { " — \($0)" } ?? "")"))
            }
            let evaluation = BudgetEvaluation.evaluate(result, budgets: budgets[result.name] ?? [])
            for violation in evaluation.violations {
                findings.append((violation.budget.severity, "\(result.name)\(label(result.parameters)): \(violation.message)"))
            }
        }
        var regressionLines = 0
        if let base, base.id != report.id {
            var scopedBase = base
            scopedBase.benchmarks = base.benchmarks.filter { suite == nil || $0.suite == suite }
            var scoped = report
            scoped.benchmarks = results
            let comparison = RunComparison.compare(baseline: scopedBase, current: scoped, bands: file.bands)
            if comparison.machinesDiffer {
                print("Warning: the baseline '\(baseline)' was measured on a different machine; regressions are not judged.")
            } else {
                for item in comparison.comparisons where item.verdict == .slower {
                    regressionLines += 1
                    let severity: Severity? = item.band == .critical ? .error : item.band == .warning ? .warning : nil
                    let text = "\(item.benchmark)\(label(item.parameters)): regression \(ComparisonText.signed(item.change)) vs baseline '\(baseline)' (\(item.band.rawValue))"
                    if let severity { findings.append((severity, text)) } else { print("Note: \(text)") }
                }
            }
        }

        print("Checked run \(report.id.prefix(8)) (\(results.count) benchmarks) against budgets in \(config)"
              + (base == nil ? "; no baseline '\(baseline)' for regressions" : " and baseline '\(baseline)'"))
        for finding in findings.sorted(by: { $0.severity > $1.severity }) {
            print("  [\(finding.severity.rawValue.uppercased())] \(finding.text)")
        }
        let failing = findings.filter { $0.severity >= threshold }
        if failing.isEmpty {
            print("PASS: no \(threshold == .warning ? "warnings or errors" : "errors")" + (findings.isEmpty ? "" : " (\(findings.count) warning\(findings.count == 1 ? "" : "s"))"))
        } else {
            print("FAIL: \(failing.count) finding\(failing.count == 1 ? "" : "s") at level \(threshold.rawValue) or above")
            throw ExitCode(ExitStatus.failure)
        }
    }

    func label(_ parameters: [Parameter]) -> String {
        parameters.isEmpty ? "" : " [" + parameters.map { "\($0.name)=\($0.value)" }.joined(separator: ", ") + "]"
    }
}
