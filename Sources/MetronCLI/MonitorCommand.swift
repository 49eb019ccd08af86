import ArgumentParser
import Foundation
import MetronCore
import MetronExec
import MetronReport
import MetronRunner
import MetronStore

/// `metron monitor`: runs suites on a schedule, stores every run, prints a line per run and an
/// alert for each benchmark that breaks a budget or degrades beyond its regression band.
struct MonitorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Run suites periodically, store each run, and alert on budget breaks and regressions.",
        discussion: """
            Each run is compared with the baseline (--baseline, default main) when it exists, \
            otherwise with the monitor's first run. Runs start every --interval seconds (a run \
            that takes longer delays the next one, never overlaps it) until --duration has passed \
            or --count runs were made. SIGINT or SIGTERM between runs stops it with exit status 0; \
            during a run, what was measured is stored and the exit status is 130 or 143. With \
            --fail-on-alert the exit status is 1 when any run raised an alert.
            """)

    @Option(name: [.short, .long], help: "The suite file.")
    var config: String = "metron.yml"

    @Option(name: [.short, .long], help: "Run only this suite (repeatable).")
    var suite: [String] = []

    @Option(name: [.short, .long], help: "Run only benchmarks whose 'suite/name' matches this regular expression.")
    var filter: String?

    @Option(help: "Seconds from the start of one run to the start of the next.")
    var interval: Double = 60

    @Option(help: "Stop after this many seconds (default: run until stopped).")
    var duration: Double?

    @Option(help: "Stop after this many runs.")
    var count: Int?

    @Option(name: [.short, .long], help: "Baseline to judge regressions against (default: main, else the first run).")
    var baseline: String = "main"

    @Flag(help: "Exit 1 at the end when any run raised an alert.")
    var failOnAlert = false

    @Option(name: .customLong("tag"), help: "A tag recorded with each run (repeatable).")
    var tags: [String] = []

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard interval > 0 else { throw ValidationError("--interval must be positive") }
        if let duration, duration <= 0 { throw ValidationError("--duration must be positive") }
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let plan = try SuitePlanning.plan(config: config, suites: suite, filter: filter, environment: environment)
        let (budgets, bands) = try GateInputs.budgets(config: config, suite: nil, required: false)
        try await storeOptions.withStore { store in
            try await monitor(plan: plan, budgets: budgets, bands: bands, store: store, environment: environment)
        }
    }

    func monitor(plan: [PlannedBenchmark], budgets: [String: [Budget]], bands: RegressionBands, store: any ResultStore,
                 environment: [String: String]) async throws {
        let style = TerminalStyle.detect(color: .auto, environment: environment)
        style.activate()
        Interruption.install()

        let started = MonotonicClock.seconds()
        var reference: RunReport?
        var referenceName = baseline
        if let named = try await store.baseline(name: baseline) { reference = try await store.run(id: named.runID) }
        print("Monitoring \(plan.count) benchmark\(plan.count == 1 ? "" : "s") every \(Formatting.duration(interval))"
              + (duration.map { " for \(Formatting.duration($0))" } ?? "") + (count.map { ", at most \($0) runs" } ?? "")
              + "; store \(try storeOptions.location); regressions against "
              + (reference == nil ? "the first run" : "baseline '\(baseline)'"))
        fflush(nil)

        var runs = 0, alerts = 0
        let executor = try MeasurementSession.processRunner()
        while true {
            let runStart = MonotonicClock.seconds()
            let report = try MeasurementSession.measure(plan, executor: executor, style: style, tags: tags + ["monitor"], relativeSummary: false,
                                                        quiet: true)
            runs += 1
            var saved = true
            do {
                try await store.save(report)
            } catch {
                saved = false
                printError("cannot save run \(report.id.prefix(8)): \(error)")
            }
            let evaluation = GateEvaluation.evaluate(run: report, baseline: reference, baselineName: referenceName,
                                                     budgets: budgets, bands: bands)
            let findings = evaluation.failures.sorted { ($0.severity ?? .error) > ($1.severity ?? .error) }
            alerts += findings.count
            print(Self.line(report, number: runs, findings: findings.count, saved: saved))
            for finding in findings {
                print("  ALERT [\((finding.severity ?? .error).rawValue)] \(finding.key): \(finding.message)")
            }
            fflush(nil)
            if reference == nil {
                reference = report
                referenceName = "first run \(report.id.prefix(8))"
            }

            if let signal = Interruption.receivedSignal {
                print("Stopped by \(signalName(signal)) during run \(runs); what it measured is stored.")
                throw ExitCode(128 + signal)
            }
            if let count, runs >= count { break }
            let next = runStart + interval
            if let duration, next - started >= duration { break }
            // Wait for the next start in short steps, so a signal stops the monitor at once.
            while MonotonicClock.seconds() < next && Interruption.receivedSignal == nil {
                try? await Task.sleep(nanoseconds: UInt64(min(0.1, max(0, next - MonotonicClock.seconds())) * 1e9))
            }
            if let signal = Interruption.receivedSignal {
                print("Stopped by \(signalName(signal)) after \(runs) run\(runs == 1 ? "" : "s"), \(alerts) alert\(alerts == 1 ? "" : "s").")
                return
            }
        }
        print("Done: \(runs) run\(runs == 1 ? "" : "s"), \(alerts) alert\(alerts == 1 ? "" : "s").")
        if failOnAlert && alerts > 0 { throw ExitCode(ExitStatus.failure) }
    }

    static func line(_ report: RunReport, number: Int, findings: Int, saved: Bool) -> String {
        let time = String(report.startedAt.iso8601.prefix(19)).replacingOccurrences(of: "T", with: " ")
        let failed = report.benchmarks.filter { $0.status != .ok }.count
        let means = report.benchmarks.compactMap { $0.wallTime?.mean }.filter { $0 > 0 }
        let geometric = means.isEmpty ? nil : exp(means.map(log).reduce(0, +) / Double(means.count))
        var text = "\(time)  #\(number) run \(report.id.prefix(8))  \(Formatting.counted(report.benchmarks.count, "benchmark"))"
        if let geometric { text += "  geomean \(Formatting.duration(geometric))" }
        if failed > 0 { text += "  \(failed) failed" }
        text += findings == 0 ? "  ok" : "  \(findings) alert\(findings == 1 ? "" : "s")"
        if !saved { text += "  (NOT STORED)" }
        return text
    }
}
