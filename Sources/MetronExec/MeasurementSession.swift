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

    /// `relativeSummary`: end with "A ran x times faster than B" (for alternatives, not suites).
    /// `quiet`: no per-benchmark output or progress (`metron monitor` prints a line per run).
    public static func measure(_ plan: [PlannedBenchmark], style: TerminalStyle, tags: [String] = [],
                        relativeSummary: Bool = true, quiet: Bool = false) throws -> RunReport {
        Interruption.install()
        // The tree's state before anything runs. git (~2.5 ms) starts first (for `exec`, before
        // the arguments are parsed: Prestart) and runs beside the fork server's start-up, setup
        // commands and warm-up runs, never beside a measured run: not finished by the first
        // one, it runs again after the last one (BackgroundFacts).
        let facts = Prestart.takeFacts() ?? BackgroundFacts()
        facts.start()
        let runner = ProcessRunner(ownsAllChildren: true)
        if !runner.usesForkServer {
            writeStandardError("metron: warning: metron-spawner not found next to metron (or in $METRON_SPAWNER); commands are spawned directly and their peak memory includes Metron's own (~20 MiB)\n")
        }
        var report = RunReport(
            id: UUID().uuidString.lowercased(), metronVersion: MetronVersion.current,
            startedAt: Timestamp(secondsSinceEpoch: MonotonicClock.wallClockSeconds()),
            machine: facts.machine(), git: nil, tags: tags)

        // The shell's own spawn time, measured once per shell used.
        var overheads: [String: ShellOverhead] = [:]
        let progress = ProgressBar(enabled: style.progress && !quiet)
        var failedGroupSetup: String?
        for (index, item) in plan.enumerated() {
            if Interruption.receivedSignal != nil { break }
            let startsGroup = index == 0 || plan[index - 1].group != item.group
            let endsGroup = index == plan.count - 1 || plan[index + 1].group != item.group
            if startsGroup {
                failedGroupSetup = nil
                if let setup = item.groupSetup {
                    failedGroupSetup = runGroupCommand(setup, role: "setup of suite '\(item.group ?? "")'", item: item, runner: runner)
                }
            }
            if let inProcess = item.inProcess {
                facts.clearForMeasuring()  // the target's executable measures as soon as it starts
                report.benchmarks += inProcessResults(inProcess, item: item, skipped: failedGroupSetup)
                continue
            }
            let parameters = item.spec.parameters.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
            let display = item.group == nil || parameters.isEmpty ? item.spec.name : "\(item.spec.name) [\(parameters)]"
            if !quiet {
                print(TerminalReport.header(index: index + 1, result: display, command: nil))
                fflush(nil)
            }
            var result: BenchmarkResult
            if let failedGroupSetup {
                result = BenchmarkResult(name: item.spec.name, kind: .command, command: item.spec.command,
                                         suite: item.spec.suite, tags: item.spec.tags, parameters: item.spec.parameters,
                                         status: .skipped, message: failedGroupSetup)
            } else { do {
                var overhead = ShellOverhead.zero
                if case .shell(let shell) = item.settings.shell {
                    if overheads[shell] == nil { overheads[shell] = try ShellOverhead.measure(shell: shell, runner: runner) }
                    overhead = overheads[shell]!
                }
                let benchmark = CommandBenchmark(runner: runner, settings: item.settings, shellOverhead: overhead)
                let isLast = index == plan.count - 1
                result = try benchmark.run(item.spec, progress: { progress.update($0) },
                                           beforeMeasuring: { facts.clearForMeasuring() },
                                           afterMeasuring: { if isLast { facts.measuringEnded() } })
            } catch {
                let interrupted = Interruption.receivedSignal != nil
                result = BenchmarkResult(name: item.spec.name, kind: .command, command: item.spec.command,
                                         suite: item.spec.suite, tags: item.spec.tags, parameters: item.spec.parameters,
                                         status: interrupted ? .interrupted : .failed, message: "\(error)")
            } }
            progress.clear()
            report.benchmarks.append(result)
            if !quiet {
                print(TerminalReport.body(result))
                print("")
                fflush(nil)
            }
            if endsGroup, let cleanup = item.groupCleanup, Interruption.receivedSignal == nil {
                if let error = runGroupCommand(cleanup, role: "cleanup of suite '\(item.group ?? "")'", item: item, runner: runner) {
                    printError(error)
                }
            }
        }
        report.git = facts.wait()
        report.finishedAt = Timestamp(secondsSinceEpoch: MonotonicClock.wallClockSeconds())
        if Interruption.receivedSignal != nil { report.status = .interrupted }
        if relativeSummary, let summary = TerminalReport.summary(report.benchmarks) { print(summary) }
        fflush(nil)
        return report
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
    private static func runGroupCommand(_ command: String, role: String, item: PlannedBenchmark, runner: ProcessRunner) -> String? {
        do {
            let output: OutputDisposition = item.settings.showOutput ? .inherit : .discard
            let launch = runner.prepare(try ShellCommand.launchSpec(for: command, shell: item.settings.shell, output: output,
                                                                    environment: item.spec.environment))
            let outcome = try runner.run(launch, timeout: item.settings.timeout)
            if outcome.interrupted { return "interrupted during the \(role)" }
            if outcome.timedOut { return "the \(role) command '\(command)' timed out" }
            if let signal = outcome.signal { return "the \(role) command '\(command)' was terminated by \(signalName(signal))" }
            if let code = outcome.exitCode, code != 0 { return "the \(role) command '\(command)' exited with code \(code)" }
            return nil
        } catch {
            return "the \(role) command '\(command)' cannot start: \(error)"
        }
    }

    /// The exit status for a finished (or interrupted) report.
    public static func exitStatus(_ report: RunReport, sideEffectsFailed: Bool) -> Int32 {
        if let signal = Interruption.receivedSignal { return 128 + signal }
        let failed = report.benchmarks.contains { $0.status != .ok }
        return failed || sideEffectsFailed ? ExitStatus.failure : ExitStatus.success
    }
}
