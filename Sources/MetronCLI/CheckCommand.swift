import ArgumentParser
import Foundation
import MetronCore
import MetronExec
import MetronReport
import MetronStore

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

    @Option(name: [.short, .long], help: "The suite file with the budgets and bands (default metron.yml; without one, regressions only, on the default bands).")
    var config: String?

    @Option(name: [.short, .long], help: "Check only this suite.")
    var suite: String?

    @Option(name: [.short, .long], help: "Baseline to check regressions against (skipped if it does not exist).")
    var baseline: String = "main"

    @Option(help: "Run to check (default: the latest).")
    var run: String = "latest"

    @Option(help: "Fail on: error (default) or warning.")
    var failOn: String = "error"

    @Option(help: "When the baseline comes from another machine fingerprint: fail (default), warn, or compare anyway.")
    var onDifferentMachine: String = "fail"

    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
        guard let threshold = Severity(rawValue: failOn) else { throw ValidationError("--fail-on must be error or warning") }
        guard let machinePolicy = DifferentMachinePolicy(rawValue: onDifferentMachine) else {
            throw ValidationError("--on-different-machine must be fail, warn or compare")
        }
        // A file named on the command line, or the suite to check, must exist; the default file
        // may be absent, and then only regressions are checked.
        let (budgets, bands) = try GateInputs.budgets(config: config ?? "metron.yml", suite: suite, required: config != nil || suite != nil)
        let (report, base, history) = try await storeOptions.withStore(creating: false) { store in
            let (report, base) = try await GateInputs.runAndBaseline(run: run, suite: suite, baseline: baseline, store: store)
            var history: [String: [Double]]?
            if let base { history = try await SessionHistory.load(for: base, excluding: report, store: store) }
            return (report, base, history)
        }

        let evaluation = GateEvaluation.evaluate(run: report, baseline: base, baselineName: baseline, budgets: budgets,
                                                 bands: bands, suite: suite, onDifferentMachine: machinePolicy,
                                                 history: history)
        let results = report.benchmarks.filter { suite == nil || $0.suite == suite }
        for note in evaluation.checks where note.outcome == .note {
            print("Note: \(note.key): \(note.message)")
        }
        let findings = evaluation.failures
        let configPath = config ?? "metron.yml"
        let budgetSource = FileManager.default.fileExists(atPath: configPath) ? "budgets in \(configPath)" : "no budgets (no \(configPath))"
        print("Checked run \(report.id.prefix(8)) (\(results.count) benchmark\(results.count == 1 ? "" : "s")) against \(budgetSource)"
              + (base == nil ? "; no baseline '\(baseline)' for regressions" : " and baseline '\(baseline)'"))
        for finding in findings.sorted(by: { ($0.severity ?? .error) > ($1.severity ?? .error) }) {
            print("  [\((finding.severity ?? .error).rawValue.uppercased())] \(finding.key): \(finding.message)")
        }
        let failing = evaluation.failures(atLeast: threshold)
        StepSummary.append(MarkdownReport.check(evaluation, run: report, baselineName: base == nil ? nil : baseline,
                                                 threshold: threshold))
        if failing.isEmpty {
            print("PASS: no \(threshold == .warning ? "warnings or errors" : "errors")" + (findings.isEmpty ? "" : " (\(findings.count) warning\(findings.count == 1 ? "" : "s"))"))
        } else {
            print("FAIL: \(failing.count) finding\(failing.count == 1 ? "" : "s") at level \(threshold.rawValue) or above")
            throw ExitCode(ExitStatus.failure)
        }
    }
}
