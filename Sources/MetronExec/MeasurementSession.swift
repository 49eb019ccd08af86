import FoundationEssentials
import Glibc
import MetronCore
import MetronReport
import MetronRunner

/// One benchmark to measure, with the settings of its suite.
public struct PlannedBenchmark {
    public var spec: CommandSpec
    /// In-process benchmarks (a Swift benchmark target of the suite file) instead of a command.
    public var inProcess: InProcessBenchmarks? = nil
    public var settings: ExecSettings
    /// Commands run once before the first and after the last benchmark of a group (a suite).
    public var group: String? = nil
    public var groupSetup: String? = nil
    public var groupCleanup: String? = nil
    /// What the terminal calls it, when not its name (the two sides of `run --against`).
    public var label: String? = nil

    public init(spec: CommandSpec, inProcess: InProcessBenchmarks? = nil, settings: ExecSettings, group: String? = nil,
                groupSetup: String? = nil, groupCleanup: String? = nil) {
        self.spec = spec
        self.inProcess = inProcess
        self.settings = settings
        self.group = group
        self.groupSetup = groupSetup
        self.groupCleanup = groupCleanup
    }
}

/// A Swift benchmark target's benchmarks: how to run them (building and starting the target is
/// the full CLI's business, so `exec`'s binary does not link it), and the name that stands for
/// them when they cannot run.
public struct InProcessBenchmarks {
    public var target: String
    public var run: () throws -> [BenchmarkResult]

    public init(target: String, run: @escaping () throws -> [BenchmarkResult]) {
        self.target = target
        self.run = run
    }
}

/// Runs planned command benchmarks one after another with progress and terminal output, and
/// returns the run report. Shared by `metron exec` and `metron run`. Never throws away what was
/// measured: failures and interrupts end up in the report.
public enum MeasurementSession {
    public static func validate(_ plan: [PlannedBenchmark]) throws {
        for item in plan where item.inProcess == nil {
            do {
                try CommandBenchmark.validate(item.spec, settings: item.settings)
            } catch let error as RunnerError {
                throw UsageFailure(error.description)
            }
        }
    }

    /// The executor that really runs commands, or a usage error saying why there is none.
    public static func processRunner() throws -> ProcessRunner {
        do {
            return try ProcessRunner()
        } catch {
            throw UsageFailure(error.description)
        }
    }

    /// `relativeSummary`: end with "A ran x times faster than B" (for alternatives, not suites).
    /// `quiet`: no per-benchmark output or progress (`metron monitor` prints a line per run).
    /// `interleaveSeed`: measure the plan's commands in interleaved rounds shuffled by this seed
    /// (when it holds two or more commands with the same settings and nothing else).
    /// `reference`: the plan's index of the reference command; every other is compared with it
    /// (`RunReport.comparisons`) and the summary speaks of it.
    public static func measure(_ plan: [PlannedBenchmark], executor: any Executor, style: TerminalStyle,
                               tags: [String] = [], relativeSummary: Bool = true, quiet: Bool = false,
                               interleaveSeed: UInt64? = nil, reference: Int? = nil) throws -> RunReport {
        let quiet = quiet || style.silent
        Interruption.install()
        // The tree's state before anything runs. git (~2.5 ms) starts first (for `exec`, before
        // the arguments are parsed: Prestart) and runs beside the fork server's start-up, setup
        // commands and warm-up runs, never beside a measured run: not finished by the first
        // one, it runs again after the last one (BackgroundFacts).
        let facts = Prestart.takeFacts() ?? BackgroundFacts()
        facts.start()
        var report = RunReport(
            id: UUID().uuidString.lowercased(), metronVersion: MetronVersion.current,
            startedAt: Timestamp(secondsSinceEpoch: MonotonicClock.wallClockSeconds()),
            machine: facts.machine(), git: nil, tags: tags)
        if plan.contains(where: { $0.inProcess == nil }) { report.measuredBy = executor.identity }
        let cores = Double(max(report.machine?.logicalCores ?? 1, 1))
        let load = MachineStateCollector.loadAverage().map { $0 / cores }
        let cpuBefore = CPUTimes.now()

        if let seed = interleaveSeed, plan.count >= 2,
           plan.allSatisfy({ $0.inProcess == nil && $0.groupSetup == nil && $0.groupCleanup == nil && $0.settings == plan[0].settings }) {
            let results = try measureInterleaved(plan, executor: executor, seed: seed, style: style, quiet: quiet, facts: facts)
            report.benchmarks = results
            report.interleaving = Interleaving(seed: seed, rounds: results.map { ($0.runs.compactMap(\.round).max() ?? -1) + 1 }.max() ?? 0)
        } else {
            report.benchmarks = try measureInTurn(plan, executor: executor, style: style, quiet: quiet, facts: facts)
        }
        report.noise = NoiseFigure(loadPerCore: load, steal: CPUTimes.steal(from: cpuBefore, to: CPUTimes.now()))
        report.git = facts.wait()
        report.finishedAt = Timestamp(secondsSinceEpoch: MonotonicClock.wallClockSeconds())
        if executor.interruption != nil { report.status = .interrupted }
        if let reference, report.benchmarks.indices.contains(reference) {
            report.reference = report.benchmarks[reference].key
            report.comparisons = ReferenceComparison.compare(report.benchmarks, reference: reference)
            if let summary = TerminalReport.referenceSummary(report.benchmarks, reference: reference,
                                                             comparisons: report.comparisons ?? [],
                                                             paired: report.interleaving != nil),
               !style.silent { print(summary) }
        } else if relativeSummary, !style.silent, let summary = TerminalReport.summary(report.benchmarks, order: style.order) {
            print(summary)
        }
        fflush(nil)
        return report
    }

    /// "gzip -1 [level=1]" in a suite, the plain name otherwise.
    private static func displayName(_ item: PlannedBenchmark) -> String {
        if let label = item.label { return label }
        return item.group == nil ? item.spec.name : BenchmarkKey.of(name: item.spec.name, parameters: item.spec.parameters)
    }

    static func failedResult(_ item: PlannedBenchmark, status: BenchmarkStatus, message: String) -> BenchmarkResult {
        BenchmarkResult(name: item.spec.name, kind: .command, command: item.spec.command, suite: item.spec.suite,
                        tags: item.spec.tags, parameters: item.spec.parameters, status: status, message: message)
    }

    /// The shell's own spawn time, measured once per shell used.
    private final class ShellOverheads {
        private var measured: [String: ShellOverhead] = [:]
        func overhead(for settings: ExecSettings, executor: any Executor) throws -> ShellOverhead {
            guard case .shell(let shell) = settings.shell else { return .zero }
            if let known = measured[shell] { return known }
            let overhead = try ShellOverhead.measure(shell: shell, runner: executor)
            measured[shell] = overhead
            return overhead
        }
    }

    /// The plan's benchmarks one after another.
    private static func measureInTurn(_ plan: [PlannedBenchmark], executor: any Executor, style: TerminalStyle,
                                      quiet: Bool, facts: BackgroundFacts) throws -> [BenchmarkResult] {
        var results: [BenchmarkResult] = []
        let overheads = ShellOverheads()
        let progress = ProgressBar(enabled: style.progress && !quiet)
        var failedGroupSetup: String?
        for (index, item) in plan.enumerated() {
            if executor.interruption != nil { break }
            let startsGroup = index == 0 || plan[index - 1].group != item.group
            let endsGroup = index == plan.count - 1 || plan[index + 1].group != item.group
            if startsGroup {
                failedGroupSetup = nil
                if let setup = item.groupSetup {
                    failedGroupSetup = runGroupCommand(setup, role: "setup of suite '\(item.group ?? "")'", item: item, executor: executor)
                }
            }
            if let inProcess = item.inProcess {
                facts.clearForMeasuring()  // the target's executable measures as soon as it starts
                results += inProcessResults(inProcess, item: item, skipped: failedGroupSetup)
                continue
            }
            if !quiet {
                print(TerminalReport.header(index: index + 1, result: displayName(item), command: nil))
                fflush(nil)
            }
            var result: BenchmarkResult
            if let failedGroupSetup {
                result = failedResult(item, status: .skipped, message: failedGroupSetup)
            } else { do {
                let overhead = try overheads.overhead(for: item.settings, executor: executor)
                let benchmark = CommandBenchmark(runner: executor, settings: item.settings, shellOverhead: overhead)
                let isLast = index == plan.count - 1
                let raw = try benchmark.run(item.spec, progress: { progress.update($0) },
                                            beforeMeasuring: { facts.clearForMeasuring() },
                                            afterMeasuring: { if isLast { facts.measuringEnded() } })
                result = CommandAnalysis.analyse(raw, settings: item.settings.onEveryCore)
            } catch {
                result = failedResult(item, status: executor.interruption != nil ? .interrupted : .failed, message: "\(error)")
            } }
            progress.clear()
            results.append(result)
            if !quiet {
                print(TerminalReport.body(result, timeUnit: style.timeUnit))
                print("")
                fflush(nil)
            }
            if endsGroup, let cleanup = item.groupCleanup, executor.interruption == nil {
                if let error = runGroupCommand(cleanup, role: "cleanup of suite '\(item.group ?? "")'", item: item, executor: executor) {
                    printError(error)
                }
            }
        }
        return results
    }

    /// The plan's commands (same settings, no suite commands) in interleaved rounds.
    private static func measureInterleaved(_ plan: [PlannedBenchmark], executor: any Executor, seed: UInt64,
                                           style: TerminalStyle, quiet: Bool, facts: BackgroundFacts) throws -> [BenchmarkResult] {
        let settings = plan[0].settings
        let progress = ProgressBar(enabled: style.progress && !quiet)
        if !quiet {
            print("Benchmarks 1–\(plan.count), interleaved: one run of each per round, in an order shuffled per round (seed \(seed))")
            fflush(nil)
        }
        let raw: [BenchmarkResult]
        do {
            let overhead = try ShellOverheads().overhead(for: settings, executor: executor)
            let benchmark = CommandBenchmark(runner: executor, settings: settings, shellOverhead: overhead)
            raw = try benchmark.runInterleaved(plan.map(\.spec), seed: seed, progress: { index, step in
                                                   if index == 0 { progress.update(step) }
                                               },
                                               beforeMeasuring: { facts.clearForMeasuring() },
                                               afterMeasuring: { facts.measuringEnded() })
        } catch {
            progress.clear()
            let status: BenchmarkStatus = executor.interruption != nil ? .interrupted : .failed
            return plan.map { failedResult($0, status: status, message: "\(error)") }
        }
        progress.clear()
        let results = raw.map { CommandAnalysis.analyse($0, settings: settings.onEveryCore) }
        if !quiet {
            print("")
            for (index, (item, result)) in zip(plan, results).enumerated() {
                print(TerminalReport.header(index: index + 1, result: displayName(item), command: nil))
                print(TerminalReport.body(result, timeUnit: style.timeUnit))
                print("")
            }
            fflush(nil)
        }
        return results
    }

    /// A suite's Swift benchmark target: built and run by SwiftPM and the executable itself (its
    /// own progress and table show); results named "suite/benchmark" like command benchmarks.
    private static func inProcessResults(_ benchmarks: InProcessBenchmarks, item: PlannedBenchmark, skipped: String?) -> [BenchmarkResult] {
        let suite = item.spec.suite
        func qualified(_ result: BenchmarkResult) -> BenchmarkResult {
            var result = result
            if let suite { result.name = "\(suite)/\(result.name)"; result.suite = suite }
            result.tags += item.spec.tags.filter { !result.tags.contains($0) }
            return result
        }
        let failed = { (message: String) in
            [qualified(BenchmarkResult(name: benchmarks.target, kind: .inProcess, suite: suite, status: skipped == nil ? .failed : .skipped,
                                       message: message))]
        }
        if let skipped { return failed(skipped) }
        do {
            return try benchmarks.run().map(qualified)
        } catch {
            return failed("\(error)")
        }
    }

    /// Runs a suite-level setup or cleanup command; returns an error message when it fails.
    static func runGroupCommand(_ command: String, role: String, item: PlannedBenchmark, executor: any Executor) -> String? {
        do {
            let launch = executor.prepare(try ShellCommand.launchSpec(for: command, shell: item.settings.shell,
                                                                      output: item.settings.showOutput ? .inherit : .discard,
                                                                      environment: item.spec.environment,
                                                                      directory: item.spec.directory))
            let outcome = try executor.run(launch, timeout: item.settings.timeout)
            return AuxiliaryCommand.failure(outcome, command: command, role: role)
        } catch {
            return "the \(role) command '\(command)' cannot start: \(error)"
        }
    }

    /// The exit status for a finished (or interrupted) report.
    public static func exitStatus(_ report: RunReport, sideEffectsFailed: Bool) -> Int32 {
        if let signal = Interruption.receivedSignal { return 128 + signal }
        let failed = report.benchmarks.contains { $0.status != .ok }
        if failed || sideEffectsFailed { return ExitStatus.failure }
        // Counts were asked for and this machine could not give them (Valgrind cannot run the
        // program): the other metrics are measured and stored, and the request fails as a usage error.
        if report.benchmarks.contains(where: { $0.warnings.contains { $0.code == .simulationFailed } }) { return ExitStatus.usage }
        return ExitStatus.success
    }
}
