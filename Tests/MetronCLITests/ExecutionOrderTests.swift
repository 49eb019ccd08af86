@testable import MetronCLI
import MetronCore
import MetronExec
import MetronReport
import MetronRunner
import Testing

/// hyperfine's execution-order cases (`tests/execution_order_tests.rs` in sharkdp/hyperfine
/// 1.20), re-expressed through the scripted executor: the same command lines, parsed and planned
/// by `metron exec`, and the exact sequence of launches compared with hyperfine's expected log.
/// hyperfine's commands are `echo WORDS >> LOG`; here they are `echo WORDS` without a shell, and
/// the launch's words stand for the line the log would get. Several commands run one after
/// another with `--sequential` (hyperfine's order; Metron's default interleaves them in rounds).
@Suite(.serialized)
struct ExecutionOrderTests {
    /// The launches of `metron exec ARGUMENTS -N`, each without its leading `echo`.
    func order(_ arguments: [String]) throws -> [String] {
        let command = try ExecCommand.parse(ArgumentPreprocessor.join(arguments + ["-N"]))
        let plan = try command.plan()
        let executor = ScriptedExecutor()
        var style = TerminalStyle(colors: false, progress: false)
        style.silent = true
        _ = try command.measure(try command.validated(plan), plan: plan, executor: executor, style: style)
        return executor.launches.map { $0.dropFirst().joined(separator: " ") }
    }

    func echo(_ words: String) -> String { "echo \(words)" }

    @Test func benchmarksAreExecutedSequentiallyOne() throws {
        #expect(try order(["--runs=1", "--sequential", echo("command 1"), echo("command 2")]) == ["command 1", "command 2"])
    }

    @Test func benchmarksAreExecutedSequentially() throws {
        #expect(try order(["--runs=2", "--sequential", echo("command 1"), echo("command 2")])
                == ["command 1", "command 1", "command 2", "command 2"])
    }

    @Test func warmupRunsAreExecutedBeforeBenchmarkingRuns() throws {
        #expect(try order(["--runs=2", "--warmup=3", echo("command 1")]) == Array(repeating: "command 1", count: 5))
    }

    @Test func setupCommandsAreExecutedBeforeEachSeriesOfTimingRuns() throws {
        #expect(try order(["--runs=2", "--sequential", "--setup", echo("setup"), echo("command 1"), echo("command 2")])
                == ["setup", "command 1", "command 1", "setup", "command 2", "command 2"])
    }

    @Test func prepareCommandsAreExecutedBeforeEachTimingRun() throws {
        #expect(try order(["--runs=2", "--sequential", "--prepare", echo("prepare"), echo("command 1"), echo("command 2")])
                == ["prepare", "command 1", "prepare", "command 1", "prepare", "command 2", "prepare", "command 2"])
    }

    @Test func concludeCommandsAreExecutedAfterEachTimingRun() throws {
        #expect(try order(["--runs=2", "--sequential", "--conclude", echo("conclude"), echo("command 1"), echo("command 2")])
                == ["command 1", "conclude", "command 1", "conclude", "command 2", "conclude", "command 2", "conclude"])
    }

    @Test func prepareCommandsAreExecutedBeforeEachWarmup() throws {
        #expect(try order(["--warmup=2", "--runs=1", "--sequential", "--prepare", echo("prepare"), echo("command 1"), echo("command 2")])
                == ["prepare", "command 1", "prepare", "command 1", "prepare", "command 1",
                    "prepare", "command 2", "prepare", "command 2", "prepare", "command 2"])
    }

    @Test func concludeCommandsAreExecutedAfterEachWarmup() throws {
        #expect(try order(["--warmup=2", "--runs=1", "--sequential", "--conclude", echo("conclude"), echo("command 1"), echo("command 2")])
                == ["command 1", "conclude", "command 1", "conclude", "command 1", "conclude",
                    "command 2", "conclude", "command 2", "conclude", "command 2", "conclude"])
    }

    @Test func cleanupCommandsAreExecutedOnceAfterEachBenchmark() throws {
        #expect(try order(["--runs=2", "--sequential", "--cleanup", echo("cleanup"), echo("command 1"), echo("command 2")])
                == ["command 1", "command 1", "cleanup", "command 2", "command 2", "cleanup"])
    }

    /// setup → (prepare, run, conclude) × (warm-ups + runs) → cleanup, per command.
    func series(_ command: String, prepare: String? = "prepare", conclude: String? = nil, runs: Int = 3) -> [String] {
        ["setup"] + Array(repeating: [prepare, command, conclude].compactMap { $0 }, count: runs).flatMap { $0 } + ["cleanup"]
    }

    @Test func setupPrepareCleanupCombined() throws {
        #expect(try order(["--warmup=1", "--runs=2", "--sequential", "--setup", echo("setup"), "--prepare", echo("prepare"),
                           echo("command1"), echo("command2"), "--cleanup", echo("cleanup")])
                == series("command1") + series("command2"))
    }

    @Test func setupPrepareConcludeCleanupCombined() throws {
        #expect(try order(["--warmup=1", "--runs=2", "--sequential", "--setup", echo("setup"), "--prepare", echo("prepare"),
                           echo("command1"), echo("command2"), "--conclude", echo("conclude"), "--cleanup", echo("cleanup")])
                == series("command1", conclude: "conclude") + series("command2", conclude: "conclude"))
    }

    @Test func singleParameterValue() throws {
        #expect(try order(["--runs=2", "--parameter-list", "number", "1,2,3", echo("command {number}")])
                == ["command 1", "command 1", "command 2", "command 2", "command 3", "command 3"])
    }

    /// The first parameter list varies fastest.
    @Test func multipleParameterValues() throws {
        #expect(try order(["--runs=2", "--parameter-list", "number", "1,2,3", "--parameter-list", "letter", "a,b",
                           echo("command {number} {letter}")])
                == ["1 a", "2 a", "3 a", "1 b", "2 b", "3 b"].flatMap { ["command \($0)", "command \($0)"] })
    }

    @Test func referenceIsExecutedFirst() throws {
        #expect(try order(["--runs=1", "--sequential", "--reference", echo("reference"), echo("command 1"), echo("command 2")])
                == ["reference", "command 1", "command 2"])
    }

    @Test func referenceIsExecutedFirstParameterValue() throws {
        #expect(try order(["--runs=2", "--reference", echo("reference"), "--parameter-list", "number", "1,2,3",
                           echo("command {number}"), "--sequential"])
                == ["reference", "reference", "command 1", "command 1", "command 2", "command 2", "command 3", "command 3"])
    }

    @Test func referenceIsExecutedSeparatelyFromCommands() throws {
        #expect(try order(["--runs=1", "--sequential", "--reference", echo("command 1"), echo("command 1"), echo("command 2")])
                == ["command 1", "command 1", "command 2"])
    }

    @Test func setupPrepareReferenceConcludeCleanupCombined() throws {
        #expect(try order(["--warmup=1", "--runs=2", "--sequential", "--setup", echo("setup"), "--prepare", echo("prepare"),
                           "--reference", echo("reference"), echo("command1"), echo("command2"), "--conclude", echo("conclude"),
                           "--cleanup", echo("cleanup")])
                == series("reference", conclude: "conclude") + series("command1", conclude: "conclude")
                   + series("command2", conclude: "conclude"))
    }

    @Test func setupSeparatePrepareSeparateConcludeCleanupCombined() throws {
        #expect(try order(["--warmup=1", "--runs=2", "--sequential", "--setup", echo("setup"), "--cleanup", echo("cleanup"),
                           "--prepare", echo("prepare1"), echo("command1"), "--conclude", echo("conclude1"),
                           "--prepare", echo("prepare2"), echo("command2"), "--conclude", echo("conclude2")])
                == series("command1", prepare: "prepare1", conclude: "conclude1")
                   + series("command2", prepare: "prepare2", conclude: "conclude2"))
    }

    /// Once per command and the reference: the reference's value comes first.
    @Test func setupSeparatePrepareReferenceSeparateConcludeCleanupCombined() throws {
        #expect(try order(["--warmup=1", "--runs=2", "--sequential", "--setup", echo("setup"), "--cleanup", echo("cleanup"),
                           "--prepare", echo("prepareref"), "--reference", echo("reference"), "--conclude", echo("concluderef"),
                           "--prepare", echo("prepare1"), echo("command1"), "--conclude", echo("conclude1"),
                           "--prepare", echo("prepare2"), echo("command2"), "--conclude", echo("conclude2")])
                == series("reference", prepare: "prepareref", conclude: "concluderef")
                   + series("command1", prepare: "prepare1", conclude: "conclude1")
                   + series("command2", prepare: "prepare2", conclude: "conclude2"))
    }

    // Beyond hyperfine's cases.

    /// Several commands with parameters: the commands vary fastest, as in hyperfine.
    @Test func commandsVaryFastestThenParameters() throws {
        #expect(try order(["--runs=1", "--sequential", "-L", "n", "1,2", echo("a {n}"), echo("b {n}")]) == ["a 1", "b 1", "a 2", "b 2"])
    }

    /// By default several commands run in rounds: every setup, then each round's runs in a
    /// seeded order, then every cleanup.
    @Test func interleavedByDefault() throws {
        let launches = try order(["--runs=3", "--seed", "7", "--setup", echo("setup"), "--cleanup", echo("cleanup"), echo("a"), echo("b")])
        #expect(Array(launches.prefix(2)) == ["setup", "setup"] && Array(launches.suffix(2)) == ["cleanup", "cleanup"])
        let rounds = Array(launches.dropFirst(2).dropLast(2))
        #expect(rounds.count == 6)
        for round in 0..<3 { #expect(Set(rounds[(2 * round)..<(2 * round + 2)]) == ["a", "b"]) }
    }

    /// `--ignore-failure=LIST`: those exit codes are ignored, any other ends the benchmark.
    @Test func ignoreFailureWithExitCodes() throws {
        func outcome(code: Int32) throws -> (Int, BenchmarkStatus) {
            let command = try ExecCommand.parse(ArgumentPreprocessor.join(["--runs=4", "-N", "--ignore-failure=1,3", echo("x")]))
            let plan = try command.plan()
            let executor = ScriptedExecutor { _, run in .scripted(exitCode: run.index == 1 ? code : 0) }
            var style = TerminalStyle(colors: false, progress: false)
            style.silent = true
            let report = try command.measure(try command.validated(plan), plan: plan, executor: executor, style: style)
            return (executor.launches.count, report.benchmarks[0].status)
        }
        #expect(try outcome(code: 3) == (4, .ok))
        #expect(try outcome(code: 2) == (2, .failed))
        let all = try ExecCommand.parse(ArgumentPreprocessor.join(["--ignore-failure=all-non-zero", "x"])).plan().settings
        #expect(all.ignoreFailure && all.ignoredExitCodes == nil)
        #expect(throws: (any Error).self) { try ExecCommand.parse(ArgumentPreprocessor.join(["--ignore-failure=1,x", "x"])).plan() }
    }

    /// A count that fits none of the forms is refused with the forms it could take.
    @Test func perCommandCountsAreChecked() throws {
        let command = try ExecCommand.parse(["--prepare", "p", "--prepare", "q", "--prepare", "r", "--prepare", "s", "a", "b"])
        #expect(throws: (any Error).self) { try command.plan() }
        // Once per benchmark after expansion (hyperfine's count): one value per parameter value.
        let specs = try ExecCommand.parse(ArgumentPreprocessor.join(["-L", "n", "1,2,3", "--prepare", "p1", "--prepare", "p2",
                                                                      "--prepare", "p3", "x {n}"])).plan().specs
        #expect(specs.map(\.prepare) == ["p1", "p2", "p3"])
    }
}
