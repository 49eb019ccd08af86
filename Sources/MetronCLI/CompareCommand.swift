import ArgumentParser
import Foundation
import MetronCore
import MetronExec
import MetronReport
import MetronStore
import MetronSuite

struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare a run against a baseline: change with its confidence interval, significance, verdict.",
        discussion: """
            --baseline and --current each take a baseline name, a stored run id (or prefix), a git \
            ref or commit with a stored run, a run-report JSON file, or "latest". Defaults: the \
            latest run against the baseline named "main".
            """)

    @Option(name: [.short, .long], help: "The reference side (default: baseline 'main').")
    var baseline: String = "main"

    @Option(name: [.short, .long], help: "The side under test (default: the latest run).")
    var current: String = "latest"

    @Option(name: .customLong("metric"), help: "Metric ids to compare (repeatable; default wall_time).")
    var metrics: [String] = ["wall_time"]

    @Option(help: "Suite file whose regression bands apply (if it exists).")
    var config: String = "metron.yml"

    @Flag(help: "Compare runs from different machines (otherwise refused).")
    var allowDifferentMachines = false

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
        let bands = try loadBands(config)
        let base: RunReport, now: RunReport, history: [String: [Double]]
        if let files = try RunReference.files(baseline, current, storeOptions: storeOptions) {
            (base, now, history) = files
        } else {
            (base, now, history) = try await storeOptions.withStore(creating: false) { store in
                let base = try await RunReference.resolve(baseline, store: store)
                let now = try await RunReference.resolve(current, store: store)
                return (base, now, try await SessionHistory.load(for: base, excluding: now, store: store))
            }
        }
        if base.id == now.id && !json {
            print("The baseline and the current run are the same run (\(now.id.prefix(8))): nothing to compare yet. "
                  + "Store another run (metron run), or name another --baseline or --current.")
            return
        }
        let known = Set((base.benchmarks + now.benchmarks).flatMap { $0.metrics.map(\.id.rawValue) })
        for metric in metrics where !known.contains(metric) {
            throw UsageFailure("unknown metric '\(metric)': these runs have \(known.sorted().joined(separator: ", "))")
        }
        let comparison = RunComparison.compare(baseline: base, current: now, metrics: metrics.map { MetricID(rawValue: $0) },
                                               bands: bands, history: history)
        if comparison.machinesDiffer && !allowDifferentMachines {
            throw UsageFailure("the runs come from different machines (\(MachineInfo.differences(base.machine, now.machine).joined(separator: "; "))); "
                               + "their times are not comparable. Pass --allow-different-machines to compare anyway")
        }
        StepSummary.append(MarkdownReport.comparison(comparison, baseline: base, current: now))
        if json { return try printJSON(comparison) }
        print(ComparisonText.render(comparison, baseline: base, current: now))
    }
}

/// Regression bands of the suite file when there is one, else the defaults.
func loadBands(_ path: String) throws -> RegressionBands {
    guard FileManager.default.fileExists(atPath: path) else { return RegressionBands() }
    do {
        return try SuiteFile.load(path: path).bands
    } catch let error as SuiteFileError {
        throw UsageFailure(error.description)
    }
}

/// Criterion-style text: per benchmark the two sides, the change with its interval, p and the verdict.
enum ComparisonText {
    static func render(_ comparison: RunComparison, baseline: RunReport, current: RunReport) -> String {
        func describe(_ run: RunReport) -> String {
            "\(run.id.prefix(8)) (\(run.startedAt.iso8601.prefix(19)), commit \(run.git.map { String($0.commit.prefix(10)) + ($0.dirty ? "+dirty" : "") } ?? "-"))"
        }
        var lines = ["Performance Comparison Report", "=============================",
                     "Baseline: \(describe(baseline))", "Current:  \(describe(current))"]
        if comparison.machinesDiffer {
            lines.append("WARNING: the runs come from different machines; differences may be the hardware's.")
        }
        if baseline.noise != nil || current.noise != nil {
            lines.append("Noise:    baseline \(baseline.noise?.summary ?? "not recorded"); current \(current.noise?.summary ?? "not recorded")")
            if baseline.noise?.isQuiet == false || current.noise?.isQuiet == false {
                lines.append("WARNING: a side was measured on a busy machine; a change between the sessions may be the load's (see metron doctor).")
            }
        }
        lines.append("")
        for item in comparison.comparisons {
            let parameters = item.parameters.isEmpty ? "" : " [" + item.parameters.map { "\($0.name)=\($0.value)" }.joined(separator: ", ") + "]"
            let metric = item.metric == .wallTime ? "" : " \(item.metric)"
            lines.append("\(item.benchmark)\(parameters)\(metric)")
            lines.append("  Baseline:  mean=\(Formatting.value(item.baseline.mean, item.unit)), p95=\(Formatting.value(item.baseline.p95, item.unit))")
            lines.append("  Current:   mean=\(Formatting.value(item.current.mean, item.unit)), p95=\(Formatting.value(item.current.p95, item.unit))")
            let interval = item.changeCI.map { "[\(signed($0.lower)) \(signed(item.change)) \(signed($0.upper))]" } ?? signed(item.change)
            lines.append("  change: \(interval)  (p = \(Formatting.pValue(item.pValue, digits: item.pValue < 0.001 ? 6 : 3)))")
            lines.append("  " + verdictText(item))
            if let evidence = item.evidence, item.verdict != .inconclusive { lines.append("  (\(evidence))") }
            lines.append("")
        }
        for name in comparison.added { lines.append("\(name): new in the current run (no baseline)") }
        for name in comparison.removed { lines.append("\(name): only in the baseline") }
        if let ratio = comparison.geometricMeanRatio {
            let change = ratio - 1
            let direction = change <= 0 ? "faster" : "slower"
            let called = comparison.comparisons.filter { $0.metric == .wallTime && ($0.verdict == .faster || $0.verdict == .slower) }.count
            let total = comparison.comparisons.filter { $0.metric == .wallTime }.count
            lines.append("Overall: \(Formatting.fixed(abs(change) * 100, digits: 1))% \(direction) (geometric mean of \(total) benchmarks; "
                         + "\(called == 0 ? "no" : String(called)) significant change\(called == 1 ? "" : "s"))")
        }
        // Names come from imports and uploads too: no escape sequence reaches the terminal.
        return lines.map(Formatting.printable).joined(separator: "\n")
    }

    static func verdictText(_ item: MetricComparison) -> String {
        switch item.verdict {
        case .faster: return "Performance has improved: \(Formatting.fixed(abs(item.change) * 100, digits: 1))% faster ✅"
        case .noChange: return "No significant change."
        case .inconclusive: return "Inconclusive: \(item.evidence ?? "not enough evidence to call a change either way")."
        case .slower:
            let mark = item.band == .critical ? "❌" : item.band == .warning ? "⚠️" : ""
            return "Performance has regressed: \(Formatting.fixed(item.change * 100, digits: 1))% slower — \(item.band.rawValue) \(mark)"
        }
    }

    static func signed(_ change: Double) -> String {
        (change >= 0 ? "+" : "") + Formatting.fixed(change * 100, digits: 2) + "%"
    }
}
