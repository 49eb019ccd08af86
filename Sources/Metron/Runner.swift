#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import MetronCore
import MetronJSON
import MetronReport
import MetronRunner
import CMetronProbe

extension Benchmarks {
    /// Runs the benchmarks as the executable's command line asks (`--help` lists the options);
    /// never returns. Each benchmark runs in a child process of this executable, so one that
    /// crashes is reported as failed and the others still run.
    ///
    /// Synchronous, so that a program calling it has a synchronous main: an `async` main ends the
    /// main thread in `dispatch_main` (`pthread_exit`), which Valgrind 3.19 does not survive, so
    /// the counted run of `--valgrind` could never start. That run works on a task of its own
    /// while the main thread waits; every other run works on the main actor, as an async main would.
    public func main(arguments: [String] = CommandLine.arguments) -> Never {
        let runner = UncheckedSendable(BenchmarkRunner(benchmarks: self))
        if arguments.contains(RunnerOptions.simulateFlag) {
            Task.detached { exit(await runner.value.run(arguments: arguments)) }
            while true { pause() }
        }
        Task { @MainActor in exit(await runner.value.run(arguments: arguments)) }
        dispatchMain()
    }
}

/// The runner handed to the task that runs it: it is used there alone, the main thread only waits.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Exit codes: 0 all ok, 1 some benchmark failed, 2 usage error, 128 + signal when interrupted.
struct BenchmarkRunner {
    let benchmarks: Benchmarks
    let environment = ProcessInfo.processInfo.environment

    func run(arguments: [String]) async -> Int32 {
        let options: RunnerOptions
        do {
            options = try RunnerOptions.parse(Array(arguments.dropFirst()))
        } catch {
            if RunnerOptions.exitCode(for: error) == .success {
                print(RunnerOptions.fullMessage(for: error))
                return 0
            }
            return usageError(RunnerOptions.message(for: error))
        }
        let environmentConfiguration: BenchmarkConfiguration
        do {
            environmentConfiguration = try BenchmarkConfiguration.fromEnvironment(environment)
        } catch {
            return usageError("\(error)")
        }
        if let timeout = options.timeout, !(timeout > 0 && timeout.isFinite) {
            return usageError("--timeout: expected a positive number of seconds, got \(timeout)")
        }
        let instances = benchmarks.instances
        if let index = options.childIndex {
            return await runChild(index: index, instances: instances, resultPath: options.childResultPath,
                                  environmentConfiguration: environmentConfiguration, simulate: options.simulateIterations)
        }
        let selected: [(index: Int, instance: BenchmarkInstance)]
        do {
            let filters = try options.filters.map { try Regex($0) }
            let skips = try options.skips.map { try Regex($0) }
            selected = instances.enumerated().filter { _, instance in
                (filters.isEmpty || filters.contains { instance.key.contains($0) })
                    && !skips.contains { instance.key.contains($0) }
            }.map { ($0.offset, $0.element) }
        } catch {
            return usageError("invalid regular expression: \(error)")
        }
        if options.list {
            for (_, instance) in selected {
                let tags = instance.declaration.tags.isEmpty ? "" : "  [" + instance.declaration.tags.joined(separator: ", ") + "]"
                print(instance.key + tags)
            }
            return 0
        }
        guard !selected.isEmpty else {
            return usageError(instances.isEmpty ? "no benchmarks are declared"
                                                : "no benchmark matches the filters (see --list)")
        }
        for (_, instance) in selected {
            if let baseline = instance.declaration.baseline, !benchmarks.declarations.contains(where: { $0.name == baseline }) {
                return usageError("benchmark '\(instance.declaration.name)' names baseline '\(baseline)', which is not declared")
            }
        }
        var valgrind: String?
        if options.valgrind {
            if options.noIsolation { return usageError("--valgrind counts each benchmark in a child process: it cannot be combined with --no-isolation") }
            guard let path = ExecutableLookup.resolve("valgrind") else {
                return usageError("--valgrind needs Valgrind, and 'valgrind' is not in PATH (apt-get install valgrind)")
            }
            guard metron_simulation_available() >= 0 else {
                return usageError("--valgrind: this executable was built without Valgrind's headers, so it cannot mark what to count "
                                  + "(apt-get install valgrind, then rebuild)")
            }
            valgrind = path
        }
        return await runAll(selected, options: options, environmentConfiguration: environmentConfiguration, valgrind: valgrind)
    }

    private var suiteName: String {
        benchmarks.suite ?? (CommandLine.arguments.first.map { String($0.split(separator: "/").last ?? "") } ?? "benchmarks")
    }

    private func runAll(_ selected: [(index: Int, instance: BenchmarkInstance)], options: RunnerOptions,
                        environmentConfiguration: BenchmarkConfiguration, valgrind: String?) async -> Int32 {
        let style = TerminalStyle.detect(environment: environment)
        style.activate()
        let table = options.format == .table
        var report = RunReport(
            id: UUID().uuidString.lowercased(), metronVersion: MetronVersion.current,
            startedAt: Timestamp(secondsSinceEpoch: MonotonicClock.wallClockSeconds()),
            machine: MachineInfoCollector.collect(), git: GitInfoCollector.collect())
        // Baselines run even when filtered out (an overhead needs them), right before their first
        // dependent, so both are measured under the same machine load.
        var plan = selected
        for (_, instance) in selected {
            guard let baseline = instance.declaration.baseline,
                  !plan.contains(where: { $0.instance.declaration.name == baseline }),
                  let dependent = plan.firstIndex(where: { $0.instance.declaration.name == instance.declaration.name })
            else { continue }
            let missing = benchmarks.instances.enumerated().filter { $0.element.declaration.name == baseline }
            plan.insert(contentsOf: missing.map { ($0.offset, $0.element) }, at: dependent)
        }
        let executable = ExecutableLookup.ownExecutable() ?? CommandLine.arguments[0]
        let clockCost = clockReadCost()
        // SIGINT/SIGTERM/SIGHUP are recorded instead of killing the runner: a Ctrl-C reaches the
        // child too (same process group) and ends it; the runner then stops and still prints and
        // writes what was measured, and exits 128 + the signal.
        Interruption.install()
        for (position, entry) in plan.enumerated() {
            if style.progress {
                InProcessReport.progress("Running \(position + 1)/\(plan.count): \(entry.instance.key)…")
            }
            var result: BenchmarkResult
            if options.noIsolation {
                let configuration = InstanceExecution.configuration(
                    for: entry.instance, defaults: benchmarks.defaults, environment: environmentConfiguration)
                result = await InstanceExecution.run(entry.instance, configuration: configuration, suite: suiteName,
                                                     clockCost: clockCost)
            } else {
                result = ChildProcess.run(executable: executable, index: entry.index, instance: entry.instance,
                                          suite: suiteName, environment: environment, timeout: options.timeout)
            }
            if let valgrind, result.status == .ok, Interruption.receivedSignal == nil {
                if style.progress { InProcessReport.progress("Counting \(position + 1)/\(plan.count) under Valgrind: \(entry.instance.key)…") }
                InProcessSimulation.count(&result, valgrind: valgrind, executable: executable, index: entry.index,
                                          environment: environment, timeout: options.timeout)
            }
            if style.progress { InProcessReport.clearProgress() }
            if Interruption.receivedSignal != nil, result.status != .ok {
                result.status = .interrupted
                result.message = "the run was interrupted while this benchmark ran"
            }
            report.benchmarks.append(result)
            if table { print(InProcessReport.block(result, index: position + 1, total: plan.count)) }
            if Interruption.receivedSignal != nil {
                report.status = .interrupted
                break
            }
        }
        applyBaselines(&report.benchmarks)
        report.finishedAt = Timestamp(secondsSinceEpoch: MonotonicClock.wallClockSeconds())
        let scans = InProcessReport.scanFits(report.benchmarks)
        var failed = report.benchmarks.contains { $0.status != .ok }
        if let path = options.output {
            do {
                try JSONExport.render(report).write(to: URL(fileURLWithPath: path))
            } catch {
                FileHandle.standardError.write(Data("error: could not write \(path): \(error)\n".utf8))
                failed = true
            }
        }
        if table {
            if let summary = InProcessReport.summary(report.benchmarks, scans: scans) { print(summary) }
        } else if let data = try? JSONExport.render(report) {
            FileHandle.standardOutput.write(data)
        }
        if let signal = Interruption.receivedSignal { return 128 + signal }
        if failed { return 1 }
        // Counts were asked for and could not be had: the timed results are printed and written,
        // and the request fails as a usage error.
        return report.benchmarks.contains { $0.warnings.contains { $0.code == .simulationFailed } } ? 2 : 0
    }

    /// Adds the `overhead` metric to every result whose benchmark names a baseline, against the
    /// baseline's result with the same parameters (or its only result).
    private func applyBaselines(_ results: inout [BenchmarkResult]) {
        let declarations = Dictionary(benchmarks.declarations.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for index in results.indices {
            guard let baseline = declarations[results[index].name]?.baseline else { continue }
            let candidates = results.filter { $0.name == baseline && $0.status == .ok }
            let match = candidates.first { $0.parameters == results[index].parameters }
                ?? (candidates.count == 1 ? candidates.first : nil)
            // The baseline's median: one slow sample of the baseline should not shift every overhead.
            guard let reference = match?.wallTime?.median else {
                results[index].warnings.append(MeasurementWarning(.baselineMissing, "no overhead: baseline '\(baseline)' has no successful result to compare with"))
                continue
            }
            if let metric = ResultBuilder.overhead(of: results[index], baselineMedian: reference) {
                results[index].metrics.append(metric)
            }
        }
    }

    private func runChild(index: Int, instances: [BenchmarkInstance], resultPath: String?,
                          environmentConfiguration: BenchmarkConfiguration, simulate: Int?) async -> Int32 {
        guard instances.indices.contains(index), let resultPath else {
            return usageError("--metron-child needs a valid benchmark index and --metron-result")
        }
        let instance = instances[index]
        let configuration = InstanceExecution.configuration(
            for: instance, defaults: benchmarks.defaults, environment: environmentConfiguration)
        let result = await InstanceExecution.run(instance, configuration: configuration, suite: suiteName,
                                                 clockCost: clockReadCost(), simulate: simulate)
        do {
            try JSONExport.encoder().encode(result).write(to: URL(fileURLWithPath: resultPath))
        } catch {
            FileHandle.standardError.write(Data("error: could not write the result to \(resultPath): \(error)\n".utf8))
            return 1
        }
        return 0
    }

    private func usageError(_ message: String) -> Int32 {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        return 2
    }
}
