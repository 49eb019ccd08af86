import MetronCore

/// Benchmarks one command: setup once, warm-up runs, measured runs (each after `prepare`),
/// cleanup once. Failures, timeouts and interrupts end up in the result's status, never as lost
/// measurements: whatever ran is returned.
public struct CommandBenchmark {
    public let runner: ProcessRunner
    public let settings: ExecSettings
    public let shellOverhead: ShellOverhead

    public init(runner: ProcessRunner, settings: ExecSettings, shellOverhead: ShellOverhead = .zero) {
        self.runner = runner
        self.settings = settings
        self.shellOverhead = shellOverhead
    }

    /// Checks that the command and its auxiliary commands can be started at all (found in PATH,
    /// parseable), so a typo is reported by name before anything runs.
    public static func validate(_ spec: CommandSpec, settings: ExecSettings) throws {
        for command in [spec.command, spec.prepare, spec.setup, spec.cleanup].compactMap({ $0 }) {
            _ = try ShellCommand.launchSpec(for: command, shell: settings.shell, output: .discard,
                                            environment: spec.environment)
        }
    }

    /// `beforeMeasuring` is called right before the first measured run (after setup and warm-up),
    /// so that the caller can finish work that may share the machine with those but not with a
    /// measurement; `afterMeasuring` once no more run of the command follows (before the
    /// statistics and the cleanup command), however the benchmark ends.
    public func run(_ spec: CommandSpec, progress: (BenchmarkProgress) -> Void = { _ in },
                    beforeMeasuring: () -> Void = {}, afterMeasuring: () -> Void = {}) throws -> BenchmarkResult {
        let output: OutputDisposition = settings.showOutput ? .inherit : .discard
        let launch = runner.prepare(try ShellCommand.launchSpec(
            for: spec.command, shell: settings.shell, output: output, environment: spec.environment))
        let prepare = try spec.prepare.map {
            runner.prepare(try ShellCommand.launchSpec(for: $0, shell: settings.shell, output: output,
                                                       environment: spec.environment))
        }
        var result = BenchmarkResult(name: spec.name, kind: .command, command: spec.command, suite: spec.suite,
                                     tags: spec.tags, parameters: spec.parameters, warmupRuns: 0)
        var runs: [CommandRun] = []

        func finish(_ status: BenchmarkStatus, _ message: String? = nil) -> BenchmarkResult {
            afterMeasuring()
            result.runs = runs
            result.metrics = CommandMetrics.summarize(runs, bootstrap: settings.bootstrap)
            // With --ignore-failure every run may have timed out: nothing was measured.
            let allTimedOut = status == .ok && result.metrics.isEmpty && !runs.isEmpty
            result.status = allTimedOut ? .timedOut : status
            result.message = allTimedOut ? "every run timed out" : message
            result.warnings = MeasurementWarnings.evaluate(
                runs: runs, wallTime: result.metrics[.wallTime]?.statistics,
                usedShell: settings.shell != .none, ignoredFailures: settings.ignoreFailure)
            if status != .interrupted, let cleanup = spec.cleanup {
                if let error = auxiliaryFailure(runAuxiliary(cleanup, role: "cleanup", environment: spec.environment)),
                   result.status == .ok {
                    result.status = .failed
                    result.message = error
                }
            }
            return result
        }

        if let setup = spec.setup {
            progress(.setup)
            if let error = auxiliaryFailure(runAuxiliary(setup, role: "setup", environment: spec.environment)) {
                if Interruption.receivedSignal != nil { return finish(.interrupted, "interrupted during setup") }
                afterMeasuring()
                result.status = .skipped
                result.message = error
                return result
            }
        }

        // Returns a status that ends the benchmark, or nil to go on.
        func verdict(_ outcome: ProcessOutcome, run: Int, warmup: Bool) -> (BenchmarkStatus, String)? {
            let label = warmup ? "warm-up run \(run)" : "run \(run)"
            if outcome.interrupted {
                return (.interrupted, "interrupted by \(signalName(Interruption.receivedSignal ?? 2)) during \(label)")
            }
            if outcome.timedOut {
                let message = "timed out after \(Formatting.duration(settings.timeout ?? 0)) in \(label); the process tree was killed"
                return settings.ignoreFailure ? nil : (.timedOut, message)
            }
            guard !settings.ignoreFailure else { return nil }
            if let signal = outcome.signal {
                return (.failed, "terminated by \(signalName(signal)) in \(label). Use --ignore-failure to "
                        + "benchmark it anyway, or --show-output to see what went wrong.")
            }
            if let code = outcome.exitCode, code != 0 {
                let hint = code == 127 && settings.shell != .none ? " (command not found by the shell?)" : ""
                return (.failed, "exited with code \(code)\(hint) in \(label). Use --ignore-failure to "
                        + "benchmark it anyway, or --show-output to see what went wrong.")
            }
            return nil
        }

        func prepareRun() -> String? {
            guard let prepare else { return nil }
            return auxiliaryFailure(runAuxiliary(prepared: prepare, command: spec.prepare ?? "", role: "prepare"))
        }

        // `count` runs of the command, each after `prepare` when there is one. Without `prepare`
        // they go to the runner as one batch, so that nothing waits for this thread between runs.
        // `handle` sees every outcome and returns the status that ends the benchmark, if any.
        func execute(_ count: Int, _ handle: (ProcessOutcome) -> (BenchmarkStatus, String)?) throws -> (BenchmarkStatus, String)? {
            guard count > 0 else { return nil }
            if prepare == nil {
                var stop: (BenchmarkStatus, String)?
                try runner.run(launch, count: count, timeout: settings.timeout, stopAtFailure: !settings.ignoreFailure) { outcome in
                    if stop == nil { stop = handle(outcome) }
                }
                return stop ?? interruptedBetweenRuns()
            }
            for _ in 0..<count {
                if let error = prepareRun() {
                    return (Interruption.receivedSignal != nil ? .interrupted : .failed, error)
                }
                if let stop = handle(try runner.run(launch, timeout: settings.timeout)) { return stop }
                if let stop = interruptedBetweenRuns() { return stop }
            }
            return nil
        }

        // A signal that lands as a run ends finds no run to kill: that run completed and counts,
        // and the batch ends after it without any outcome marked interrupted.
        func interruptedBetweenRuns() -> (BenchmarkStatus, String)? {
            guard let signal = Interruption.receivedSignal else { return nil }
            return (.interrupted, "interrupted by \(signalName(signal)) after \(runs.count) measured runs")
        }

        if settings.warmup > 0 { progress(.warmup(done: 0, total: settings.warmup)) }
        let warmupStop = try execute(settings.warmup) { outcome in
            result.warmupRuns += 1
            progress(.warmup(done: result.warmupRuns, total: settings.warmup))
            return verdict(outcome, run: result.warmupRuns, warmup: true)
        }
        if let (status, message) = warmupStop { return finish(status, message) }

        beforeMeasuring()
        let measuringStart = MonotonicClock.seconds()
        var total = settings.runs ?? settings.minRuns
        var index = 0
        func measured(_ outcome: ProcessOutcome) -> (BenchmarkStatus, String)? {
            let outcome = shellOverhead.subtract(from: outcome)
            if !outcome.interrupted { runs.append(outcome.commandRun) }
            index += 1
            if index == 1 { total = settings.runCount(firstRunTime: outcome.wallTime) }
            progress(.measuring(done: index, total: total, elapsed: MonotonicClock.seconds() - measuringStart))
            return verdict(outcome, run: index, warmup: false)
        }
        progress(.measuring(done: 0, total: total, elapsed: 0))
        // The first run alone: its time decides how many follow (automatic mode).
        if let (status, message) = try execute(1, measured) { return finish(status, message) }
        if let (status, message) = try execute(total - index, measured) { return finish(status, message) }
        progress(.measuring(done: total, total: total, elapsed: MonotonicClock.seconds() - measuringStart))
        return finish(.ok)
    }

    private enum AuxiliaryOutcome {
        case ok
        case failed(String)
    }

    private func auxiliaryFailure(_ outcome: AuxiliaryOutcome) -> String? {
        if case .failed(let message) = outcome { return message }
        return nil
    }

    private func runAuxiliary(_ command: String, role: String, environment: [String: String]) -> AuxiliaryOutcome {
        do {
            let output: OutputDisposition = settings.showOutput ? .inherit : .discard
            let launch = runner.prepare(try ShellCommand.launchSpec(
                for: command, shell: settings.shell, output: output, environment: environment))
            return runAuxiliary(prepared: launch, command: command, role: role)
        } catch {
            return .failed("the \(role) command '\(command)' cannot start: \(error)")
        }
    }

    private func runAuxiliary(prepared: PreparedLaunch, command: String, role: String) -> AuxiliaryOutcome {
        do {
            let outcome = try runner.run(prepared, timeout: settings.timeout)
            if outcome.interrupted { return .failed("interrupted during the \(role) command") }
            if outcome.timedOut { return .failed("the \(role) command '\(command)' timed out") }
            if let signal = outcome.signal { return .failed("the \(role) command '\(command)' was terminated by \(signalName(signal))") }
            if let code = outcome.exitCode, code != 0 {
                return .failed("the \(role) command '\(command)' exited with code \(code)")
            }
            return .ok
        } catch {
            return .failed("the \(role) command '\(command)' cannot start: \(error)")
        }
    }
}
