import MetronCore
import Testing
@testable import MetronRunner

/// Benchmark flow through the scripted executor: exact sequences of launches, no process and no
/// clock. Commands are `/bin/echo WORD` so that every launch names its role.
@Suite struct BenchmarkFlowTests {
    func spec(_ name: String = "cmd", prepare: Bool = false, conclude: Bool = false, setup: Bool = true,
              cleanup: Bool = true) -> CommandSpec {
        CommandSpec(name: name, command: "/bin/echo \(name)",
                    prepare: prepare ? "/bin/echo prepare-\(name)" : nil,
                    conclude: conclude ? "/bin/echo conclude-\(name)" : nil,
                    setup: setup ? "/bin/echo setup-\(name)" : nil,
                    cleanup: cleanup ? "/bin/echo cleanup-\(name)" : nil)
    }

    func settings(runs: Int? = 3, warmup: Int = 0) -> ExecSettings {
        var settings = ExecSettings()
        settings.runs = runs
        settings.warmup = warmup
        return settings
    }

    /// What was launched, without the "/bin/echo " of every line.
    func roles(_ executor: ScriptedExecutor) -> [String] {
        executor.launches.map { $0.dropFirst().joined(separator: " ") }
    }

    @Test func hyperfinesOrderSetupPrepareRunConcludeCleanup() throws {
        let executor = ScriptedExecutor()
        let result = try CommandBenchmark(runner: executor, settings: settings(runs: 2, warmup: 1))
            .run(spec(prepare: true, conclude: true))
        #expect(roles(executor) == [
            "setup-cmd",
            "prepare-cmd", "cmd", "conclude-cmd",  // warm-up
            "prepare-cmd", "cmd", "conclude-cmd",
            "prepare-cmd", "cmd", "conclude-cmd",
            "cleanup-cmd",
        ])
        #expect(result.status == .ok && result.runs.count == 2 && result.warmupRuns == 1)
    }

    /// The command's own runs count the hardware's instructions and cycles, and their counts are
    /// the run's; setup, prepare, conclude and cleanup are not counted.
    @Test func onlyTheCommandsRunsAreCounted() throws {
        var counts = 0
        let executor = ScriptedExecutor { _, run in
            var outcome = ProcessOutcome.scripted()
            if run.arguments.last == "cmd" {
                counts += 1
                outcome.counts = [.instructions: 1_000 * Int64(counts), .cycles: 2_000]
            }
            return outcome
        }
        let result = try CommandBenchmark(runner: executor, settings: settings(runs: 2, warmup: 1))
            .run(spec(prepare: true, conclude: true))
        let counted = zip(roles(executor), executor.counters).filter { !$0.1.isEmpty }.map(\.0)
        #expect(counted == ["cmd", "cmd", "cmd"])
        #expect(executor.counters.allSatisfy { $0.isEmpty || $0 == PerfCounter.hardware })
        #expect(result.runs.map(\.instructions) == [2_000, 3_000], "the warm-up's count is not a run's")
        let metrics = CommandMetrics.summarize(result.runs, bootstrap: nil)
        #expect(metrics.first { $0.id == .instructions }?.samples == [2_000, 3_000])
        #expect(metrics.first { $0.id == .cycles }?.samples == [2_000, 2_000])
        #expect(metrics.first { $0.id == .instructions }?.isDeterministic == false)
    }

    @Test func theFirstRunDecidesTheAutomaticCount() throws {
        // 0.75 s a run, about 3 s wanted: 4 runs in all (minimum 2).
        let executor = ScriptedExecutor { _, _ in .scripted(wallTime: 0.75) }
        var automatic = settings(runs: nil)
        automatic.minRuns = 2
        let result = try CommandBenchmark(runner: executor, settings: automatic).run(spec(setup: false, cleanup: false))
        #expect(result.runs.count == 4)
        // The minimum wins over a long first run.
        let slow = ScriptedExecutor { _, _ in .scripted(wallTime: 5) }
        automatic.minRuns = 3
        #expect(try CommandBenchmark(runner: slow, settings: automatic).run(spec(setup: false, cleanup: false)).runs.count == 3)
    }

    @Test func aFailedRunEndsTheBenchmarkKeepsItsRunsAndStillCleansUp() throws {
        let executor = ScriptedExecutor { _, run in
            run.arguments.last == "cmd" && run.index == 2 ? .scripted(exitCode: 1) : .scripted()
        }
        let result = try CommandBenchmark(runner: executor, settings: settings(runs: 5)).run(spec())
        #expect(result.status == .failed)
        #expect(result.message?.contains("exited with code 1 in run 3") == true)
        #expect(result.runs.map(\.exitCode) == [0, 0, 1])
        #expect(roles(executor) == ["setup-cmd", "cmd", "cmd", "cmd", "cleanup-cmd"])
    }

    @Test func ignoredFailuresGoOn() throws {
        let executor = ScriptedExecutor { _, run in .scripted(exitCode: run.index % 2 == 0 ? 0 : 3) }
        var ignoring = settings(runs: 4)
        ignoring.ignoreFailure = true
        let result = try CommandBenchmark(runner: executor, settings: ignoring).run(spec(setup: false, cleanup: false))
        #expect(result.status == .ok && result.runs.map(\.exitCode) == [0, 3, 0, 3])
    }

    @Test func aFailingSetupSkipsTheBenchmarkWithoutCleanup() throws {
        let executor = ScriptedExecutor { _, run in run.arguments.last == "setup-cmd" ? .scripted(exitCode: 2) : .scripted() }
        let result = try CommandBenchmark(runner: executor, settings: settings()).run(spec())
        #expect(result.status == .skipped && result.runs.isEmpty)
        #expect(roles(executor) == ["setup-cmd"])
    }

    @Test func anInterruptEndsAtOnceWithoutCleanup() throws {
        let executor = ScriptedExecutor { executor, run in
            guard run.index == 1 else { return .scripted() }
            executor.interruption = 2
            return .scripted(exitCode: nil, signal: 9, interrupted: true)
        }
        let result = try CommandBenchmark(runner: executor, settings: settings(runs: 10)).run(spec())
        #expect(result.status == .interrupted)
        #expect(result.runs.count == 1)  // the killed run is no measurement
        #expect(roles(executor) == ["setup-cmd", "cmd", "cmd"])
    }

    @Test func aSignalBetweenRunsStopsBeforeTheNextRun() throws {
        let executor = ScriptedExecutor { executor, run in
            if run.arguments.last == "cmd" && run.index == 0 { executor.interruption = 15 }
            return .scripted()
        }
        let withPrepare = settings(runs: 10)
        let result = try CommandBenchmark(runner: executor, settings: withPrepare).run(spec(prepare: true, setup: false, cleanup: false))
        #expect(result.status == .interrupted && result.runs.count == 1)
        #expect(result.message?.contains("SIGTERM") == true)
    }

    @Test func aDyingSpawnerFailsTheBenchmarkAndKeepsWhatWasMeasured() throws {
        let executor = ScriptedExecutor { _, run in
            if run.arguments.last == "cmd" && run.index == 3 { throw SpawnerError.died("/x/metron-spawner") }
            return .scripted()
        }
        let result = try CommandBenchmark(runner: executor, settings: settings(runs: 6)).run(spec())
        #expect(result.status == .failed)
        #expect(result.runs.count == 3)
        #expect(result.message?.contains("metron-spawner (/x/metron-spawner) died") == true)
    }

    // MARK: - Interleaved rounds

    /// The order the driver must produce: SplitMix64(seed) shuffling the live commands per round.
    func expectedOrder(commands: Int, rounds: Int, seed: UInt64) -> [[Int]] {
        var generator = SplitMix64(seed: seed)
        return (0..<rounds).map { _ in
            var order = Array(0..<commands)
            for position in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(position, Int(generator.nextIndex(below: UInt64(position + 1))))
            }
            return order
        }
    }

    @Test func roundsRunEachCommandOnceInTheSeededOrder() throws {
        let executor = ScriptedExecutor()
        let names = ["a", "b", "c"]
        let results = try CommandBenchmark(runner: executor, settings: settings(runs: 6, warmup: 1))
            .runInterleaved(names.map { spec($0) }, seed: 42)
        let lines = roles(executor)
        // Every setup, then every warm-up, then the rounds, then every cleanup.
        #expect(Array(lines.prefix(6)) == ["setup-a", "setup-b", "setup-c", "a", "b", "c"])
        #expect(Array(lines.suffix(3)) == ["cleanup-a", "cleanup-b", "cleanup-c"])
        let measured = Array(lines.dropFirst(6).dropLast(3))
        let order = expectedOrder(commands: 3, rounds: 6, seed: 42)
        #expect(measured == order.flatMap { $0.map { names[$0] } })
        #expect(Set(order.map { $0 }).count > 1, "the shuffle must vary between rounds")
        for result in results {
            #expect(result.status == .ok)
            #expect(result.runs.map(\.round) == [0, 1, 2, 3, 4, 5])
        }
        // Another seed, another order.
        #expect(expectedOrder(commands: 3, rounds: 6, seed: 43) != order)
    }

    @Test func aCommandThatFailsLeavesTheRoundsAndTheOthersGoOn() throws {
        let executor = ScriptedExecutor { _, run in
            run.arguments.last == "b" && run.index == 1 ? .scripted(exitCode: 1) : .scripted()
        }
        let results = try CommandBenchmark(runner: executor, settings: settings(runs: 4))
            .runInterleaved(["a", "b", "c"].map { spec($0, setup: false, cleanup: false) }, seed: 7)
        #expect(results.map(\.status) == [.ok, .failed, .ok])
        #expect(results.map(\.runs.count) == [4, 2, 4])
        #expect(roles(executor).filter { $0 == "b" }.count == 2)
    }

    @Test func automaticRoundsComeFromTheFirstRoundsMeanTime() throws {
        // a takes 0.5 s and b 1.5 s: a mean of 1 s a run, about 3 s wanted: 3 rounds.
        let executor = ScriptedExecutor { _, run in .scripted(wallTime: run.arguments.last == "a" ? 0.5 : 1.5) }
        var automatic = settings(runs: nil)
        automatic.minRuns = 2
        let results = try CommandBenchmark(runner: executor, settings: automatic)
            .runInterleaved(["a", "b"].map { spec($0, setup: false, cleanup: false) }, seed: 1)
        #expect(results.map(\.runs.count) == [3, 3])
    }

    @Test func anInterruptEndsEveryCommandOfTheRounds() throws {
        let executor = ScriptedExecutor { executor, run in
            if run.index == 2 { executor.interruption = 2 }
            return .scripted()
        }
        let results = try CommandBenchmark(runner: executor, settings: settings(runs: 10))
            .runInterleaved(["a", "b"].map { spec($0) }, seed: 3)
        #expect(results.allSatisfy { $0.status == .interrupted })
        #expect(!roles(executor).contains { $0.hasPrefix("cleanup") })
        #expect(executor.launches.count <= 2 + 6)
    }
}
