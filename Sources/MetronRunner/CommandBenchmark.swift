import MetronCore

/// Benchmarks commands: per command, setup once, warm-up runs, measured runs (each after
/// `prepare` and followed by `conclude`), cleanup once — hyperfine's order. Either one command
/// after another (`run`) or several in interleaved rounds (`runInterleaved`). Failures, timeouts,
/// interrupts and a dying spawner end up in a result's status, never as lost runs: whatever ran
/// is returned. Measuring only: the results carry raw runs; statistics and warnings are computed
/// afterwards (`CommandAnalysis`).
public struct CommandBenchmark {
    public let runner: any Executor
    public let settings: ExecSettings
    public let shellOverhead: ShellOverhead

    public init(runner: any Executor, settings: ExecSettings, shellOverhead: ShellOverhead = .zero) {
        self.runner = runner
        self.settings = settings
        self.shellOverhead = shellOverhead
    }

    /// Checks that the command and its auxiliary commands can be started at all (found in PATH,
    /// parseable), so a typo is reported by name before anything runs.
    public static func validate(_ spec: CommandSpec, settings: ExecSettings) throws {
        for command in [spec.command, spec.prepare, spec.conclude, spec.setup, spec.cleanup].compactMap({ $0 }) {
            _ = try ShellCommand.launchSpec(for: command, shell: settings.shell, output: .discard,
                                            environment: spec.environment, directory: spec.directory)
        }
    }

    /// One command, start to end. `beforeMeasuring` is called right before the first measured
    /// run (after setup and warm-up), so that the caller can finish work that may share the
    /// machine with those but not with a measurement; `afterMeasuring` once no more run of the
    /// command follows (before the cleanup command), however the benchmark ends.
    public func run(_ spec: CommandSpec, progress: (BenchmarkProgress) -> Void = { _ in },
                    beforeMeasuring: () -> Void = {}, afterMeasuring: () -> Void = {}) throws -> BenchmarkResult {
        let flow = try CommandFlow(spec, benchmark: self)
        guard flow.setUp(progress) else { return flow.end(afterMeasuring: afterMeasuring) }
        flow.warmUp(progress)
        guard flow.stop == nil else { return flow.end(afterMeasuring: afterMeasuring) }
        beforeMeasuring()
        let start = MonotonicClock.seconds()
        var total = settings.runs ?? settings.minRuns
        func report() { progress(.measuring(done: flow.measured, total: total, elapsed: MonotonicClock.seconds() - start)) }
        report()
        // The first run alone: its time decides how many follow (automatic mode).
        flow.measure(1) { first in
            total = settings.runCount(firstRunTime: first)
        } each: { report() }
        if flow.stop == nil { flow.measure(total - flow.measured, each: report) }
        if flow.stop == nil { progress(.measuring(done: total, total: total, elapsed: MonotonicClock.seconds() - start)) }
        return flow.end(afterMeasuring: afterMeasuring)
    }

    /// Several commands in rounds: every command's setup, then its warm-up runs, then rounds of
    /// one measured run of each command in an order shuffled per round by `SplitMix64(seed)`,
    /// then every cleanup. Drift of the machine (frequency, caches, neighbours) then falls on all
    /// commands alike, and the runs of one round can be compared pair by pair. Each run records
    /// its round. A command that fails leaves the rounds (its result says why); the others go on.
    /// Automatic mode: the first round's times decide the number of rounds, so that each command
    /// gets about `targetTime` of runs on average.
    public func runInterleaved(_ specs: [CommandSpec], seed: UInt64, progress: (Int, BenchmarkProgress) -> Void = { _, _ in },
                               beforeMeasuring: () -> Void = {}, afterMeasuring: () -> Void = {}) throws -> [BenchmarkResult] {
        let flows = try specs.map { try CommandFlow($0, benchmark: self) }
        var live: [Int] = []
        for (index, flow) in flows.enumerated() where runner.interruption == nil {
            if flow.setUp({ progress(index, $0) }) { live.append(index) }
        }
        for index in live where runner.interruption == nil { flows[index].warmUp { progress(index, $0) } }
        live = live.filter { flows[$0].stop == nil }
        var generator = SplitMix64(seed: seed)
        var rounds = settings.runs ?? settings.minRuns
        if runner.interruption == nil && !live.isEmpty { beforeMeasuring() }
        let start = MonotonicClock.seconds()
        var round = 0
        var firstTimes: [Double] = []
        while round < rounds && !live.isEmpty && runner.interruption == nil {
            var order = live
            for position in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(position, Int(generator.nextIndex(below: UInt64(position + 1))))
            }
            for index in order where runner.interruption == nil {
                flows[index].round = round
                flows[index].measure(1) { firstTimes.append($0) } each: {}
            }
            if round == 0 && settings.runs == nil && !firstTimes.isEmpty {
                rounds = settings.runCount(firstRunTime: firstTimes.reduce(0, +) / Double(firstTimes.count))
            }
            round += 1
            let elapsed = MonotonicClock.seconds() - start
            for index in live { progress(index, .measuring(done: round, total: rounds, elapsed: elapsed)) }
            live = live.filter { flows[$0].stop == nil }
        }
        if runner.interruption != nil {
            for flow in flows where flow.stop == nil { flow.interruptedBetweenRuns() }
        }
        afterMeasuring()
        return flows.map { $0.end(afterMeasuring: {}) }
    }
}

/// One command's benchmark as it goes: its launches, the runs so far and, once it must end, why.
final class CommandFlow {
    let spec: CommandSpec
    let benchmark: CommandBenchmark
    private var runner: any Executor { benchmark.runner }
    private var settings: ExecSettings { benchmark.settings }
    private let launch: PreparedLaunch
    private let prepare: PreparedLaunch?
    private let conclude: PreparedLaunch?
    private(set) var result: BenchmarkResult
    private(set) var runs: [CommandRun] = []
    private(set) var measured = 0
    /// The status and message that end the benchmark, once something ended it.
    private(set) var stop: (BenchmarkStatus, String)?
    /// Set by the interleaved driver before each run; recorded in the run.
    var round: Int?
    private var skipped = false

    init(_ spec: CommandSpec, benchmark: CommandBenchmark) throws {
        self.spec = spec
        self.benchmark = benchmark
        // The command's setup, prepare, conclude and cleanup share its input and output, as in
        // hyperfine.
        func prepared(_ command: String) throws -> PreparedLaunch {
            benchmark.runner.prepare(try ShellCommand.launchSpec(for: command, shell: benchmark.settings.shell,
                                                                 output: benchmark.settings.output(of: spec),
                                                                 environment: spec.environment, directory: spec.directory,
                                                                 input: benchmark.settings.input))
        }
        // Measured runs count the hardware's instructions and cycles where the machine allows.
        var measured = try ShellCommand.launchSpec(for: spec.command, shell: benchmark.settings.shell,
                                                   output: benchmark.settings.output(of: spec),
                                                   environment: spec.environment, directory: spec.directory,
                                                   input: benchmark.settings.input)
        measured.counters = PerfCounter.hardware
        launch = benchmark.runner.prepare(measured)
        prepare = try spec.prepare.map(prepared)
        conclude = try spec.conclude.map(prepared)
        result = BenchmarkResult(name: spec.name, kind: .command, command: spec.command, suite: spec.suite,
                                 tags: spec.tags, parameters: spec.parameters, warmupRuns: 0)
    }

    /// Runs the setup command; false when the benchmark ends here (skipped or interrupted).
    func setUp(_ progress: (BenchmarkProgress) -> Void) -> Bool {
        guard let setup = spec.setup else { return true }
        progress(.setup)
        guard let error = runAuxiliary(setup, role: "setup") else { return true }
        if runner.interruption != nil {
            stop = (.interrupted, "interrupted during setup")
        } else {
            stop = (.skipped, error)
            skipped = true
        }
        return false
    }

    func warmUp(_ progress: (BenchmarkProgress) -> Void) {
        guard settings.warmup > 0 else { return }
        progress(.warmup(done: 0, total: settings.warmup))
        execute(settings.warmup) { outcome in
            self.result.warmupRuns += 1
            progress(.warmup(done: self.result.warmupRuns, total: self.settings.warmup))
            return self.verdict(outcome, run: self.result.warmupRuns, warmup: true)
        }
    }

    /// `count` measured runs; `first` sees the first measured run's wall time, `each` is called
    /// after every run.
    func measure(_ count: Int, first: (Double) -> Void = { _ in }, each: () -> Void) {
        execute(count) { outcome in
            let outcome = self.benchmark.shellOverhead.subtract(from: outcome)
            if !outcome.interrupted {
                var run = outcome.commandRun
                run.round = self.round
                self.runs.append(run)
            }
            self.measured += 1
            if self.measured == 1 { first(outcome.wallTime) }
            each()
            return self.verdict(outcome, run: self.measured, warmup: false)
        }
    }

    /// A signal that lands as a run ends finds no run to kill: that run completed and counts,
    /// and the benchmark ends after it without any outcome marked interrupted.
    func interruptedBetweenRuns() {
        guard stop == nil, let signal = runner.interruption else { return }
        stop = (.interrupted, "interrupted by \(signalName(signal)) after \(runs.count) measured runs")
    }

    /// The result: runs and status, after the cleanup command (not after an interrupt).
    func end(afterMeasuring: () -> Void) -> BenchmarkResult {
        afterMeasuring()
        if stop == nil, runner.interruption == nil, let valgrind = settings.valgrind { simulate(valgrind) }
        var result = self.result
        result.runs = runs
        let (status, message) = stop ?? (.ok, nil)
        result.status = status
        result.message = message
        if !skipped, status != .interrupted, let cleanup = spec.cleanup,
           let error = runAuxiliary(cleanup, role: "cleanup"), result.status == .ok {
            result.status = .failed
            result.message = error
        }
        return result
    }

    /// One run under Valgrind's cache simulation after the measured ones (and after their
    /// `prepare`, before `conclude`, as every run): its counts go to `simulations`, its time
    /// nowhere. A run that gives no counts leaves a `simulationFailed` warning; the measured runs
    /// stand.
    private func simulate(_ valgrind: String) {
        let directory: String
        do {
            directory = try ValgrindSimulation.makeDirectory()
        } catch {
            result.warnings.append(MeasurementWarning(.simulationFailed, "\(error)"))
            return
        }
        defer { ValgrindSimulation.removeDirectory(directory) }
        if let prepare, let error = runAuxiliary(prepared: prepare, command: spec.prepare ?? "", role: "prepare") {
            result.warnings.append(MeasurementWarning(.simulationFailed, "no run under Valgrind: \(error)"))
            return
        }
        func count(_ spec: LaunchSpec, in directory: String) throws -> CacheSimulation {
            let wrapped = runner.prepare(ValgrindSimulation.launch(wrapping: spec, valgrind: valgrind, directory: directory))
            let outcome = try runner.run(wrapped, timeout: settings.timeout.map { $0 * ValgrindSimulation.timeoutFactor })
            return try ValgrindSimulation.collect(outcome, directory: directory)
        }
        do {
            result.simulations = [try count(launch.spec, in: directory)]
        } catch where ValgrindSimulation.isDebugInfoFailure(error) {
            // Once more with a copy of the program without debug information, in a folder of its
            // own so that nothing of the first attempt is read again.
            do {
                let retry = try ValgrindSimulation.makeDirectory(), output = try ValgrindSimulation.makeDirectory()
                defer {
                    ValgrindSimulation.removeDirectory(retry)
                    ValgrindSimulation.removeDirectory(output)
                }
                var spec = launch.spec
                if let copy = ValgrindSimulation.withoutDebugInfo(spec.executablePath, in: retry) {
                    spec.executablePath = copy.path
                    spec.environment.merge(copy.environment) { _, new in new }
                }
                result.simulations = [try count(spec, in: output)]
            } catch {
                result.warnings.append(MeasurementWarning(.simulationFailed, "\(error)" + ValgrindSimulation.debugInfoHint))
            }
        } catch {
            result.warnings.append(MeasurementWarning(.simulationFailed, "\(error)"))
        }
        if let conclude, let error = runAuxiliary(prepared: conclude, command: spec.conclude ?? "", role: "conclude") {
            result.warnings.append(MeasurementWarning(.simulationFailed, "after the run under Valgrind: \(error)"))
        }
    }

    // `count` runs of the command, each after `prepare` and before `conclude` when there are
    // such commands. Without them the runs go to the executor as one batch, so that nothing
    // waits for this thread between runs. `handle` sees every outcome and returns the status
    // that ends the benchmark, if any.
    private func execute(_ count: Int, _ handle: (ProcessOutcome) -> (BenchmarkStatus, String)?) {
        guard count > 0, stop == nil else { return }
        do {
            if prepare == nil && conclude == nil {
                // With only some exit codes ignored, the executor stops at every failure and
                // the verdict decides whether the rest of the runs follow.
                var left = count
                while left > 0 && stop == nil {
                    var done = 0
                    try runner.run(launch, count: left, timeout: settings.timeout, stopAtFailure: settings.stopsAtFailure) { outcome in
                        done += 1
                        if self.stop == nil { self.stop = handle(outcome) }
                    }
                    interruptedBetweenRuns()
                    guard done > 0 else { break }
                    left -= done
                }
                return
            }
            for _ in 0..<count {
                if let prepare, let error = runAuxiliary(prepared: prepare, command: spec.prepare ?? "", role: "prepare") {
                    stop = (runner.interruption != nil ? .interrupted : .failed, error)
                    return
                }
                let outcome = try runner.run(launch, timeout: settings.timeout)
                stop = handle(outcome)
                if stop != nil { return }
                if let conclude, let error = runAuxiliary(prepared: conclude, command: spec.conclude ?? "", role: "conclude") {
                    stop = (runner.interruption != nil ? .interrupted : .failed, error)
                    return
                }
                interruptedBetweenRuns()
                if stop != nil { return }
            }
        } catch {
            stop = (runner.interruption != nil ? .interrupted : .failed, "\(error)")
        }
    }

    // Returns a status that ends the benchmark, or nil to go on.
    private func verdict(_ outcome: ProcessOutcome, run: Int, warmup: Bool) -> (BenchmarkStatus, String)? {
        let label = warmup ? "warm-up run \(run)" : "run \(run)"
        if outcome.interrupted {
            return (.interrupted, "interrupted by \(signalName(runner.interruption ?? 2)) during \(label)")
        }
        let ignoresAll = settings.ignoreFailure && settings.ignoredExitCodes == nil
        if outcome.timedOut {
            let message = "timed out after \(Formatting.duration(settings.timeout ?? 0)) in \(label); the process tree was killed"
            return ignoresAll ? nil : (.timedOut, message)
        }
        guard !ignoresAll else { return nil }
        if let code = outcome.exitCode, code != 0, settings.ignoreFailure, settings.ignoredExitCodes?.contains(code) == true {
            return nil
        }
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

    private func runAuxiliary(_ command: String, role: String) -> String? {
        do {
            let launch = runner.prepare(try ShellCommand.launchSpec(
                for: command, shell: settings.shell, output: settings.output(of: spec), environment: spec.environment,
                directory: spec.directory, input: settings.input))
            return runAuxiliary(prepared: launch, command: command, role: role)
        } catch {
            return "the \(role) command '\(command)' cannot start: \(error)"
        }
    }

    /// Runs a setup, prepare, conclude or cleanup command; the reason it failed, or nil.
    private func runAuxiliary(prepared: PreparedLaunch, command: String, role: String) -> String? {
        do {
            let outcome = try runner.run(prepared, timeout: settings.timeout)
            return AuxiliaryCommand.failure(outcome, command: command, role: role)
        } catch {
            return "the \(role) command '\(command)' cannot start: \(error)"
        }
    }
}

/// How a setup, prepare, conclude or cleanup command's outcome reads as a failure (shared by
/// the per-command flow and suite-level setup and cleanup).
public enum AuxiliaryCommand {
    public static func failure(_ outcome: ProcessOutcome, command: String, role: String) -> String? {
        if outcome.interrupted { return "interrupted during the \(role) command" }
        if outcome.timedOut { return "the \(role) command '\(command)' timed out" }
        if let signal = outcome.signal { return "the \(role) command '\(command)' was terminated by \(signalName(signal))" }
        if let code = outcome.exitCode, code != 0 { return "the \(role) command '\(command)' exited with code \(code)" }
        return nil
    }
}
