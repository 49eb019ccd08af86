import Foundation
import Glibc
import Testing
@testable import MetronRunner

/// Counters of a command's whole tree (metron-spawner opens them in the child before execve and
/// hands them over). The software events, which every Linux counts, check the path against a
/// truth measured independently in the same run (rusage); the hardware events are then the same
/// path with other numbers, and where the machine has none the run still measures and says why.
@Suite(.serialized)
struct CounterTests {
    let runner = try! ProcessRunner()

    func counted(_ spec: LaunchSpec, _ counters: [PerfCounter], times: Int = 1) throws -> [ProcessOutcome] {
        var spec = spec
        spec.counters = counters
        var outcomes: [ProcessOutcome] = []
        try runner.run(runner.prepare(spec), count: times, timeout: nil, stopAtFailure: false) { outcomes.append($0) }
        return outcomes
    }

    /// The task clock of every process of the tree (two CPU burns in children of a shell) is the
    /// tree's CPU time as rusage reports it; one burn alone counts about half of it.
    @Test func theWholeTreeIsCountedFromTheCommandsStart() throws {
        let burn = Workload.command("burn", "0.12")
        let tree = LaunchSpec(arguments: ["/bin/sh", "-c", "\(burn); \(burn)"], executablePath: "/bin/sh")
        let both = try #require(try counted(tree, [.taskClock, .pageFaults]).first)
        let one = try #require(try counted(Workload.spec("burn", "0.12"), [.taskClock, .pageFaults]).first)
        for outcome in [both, one] {
            let counts = try #require(outcome.counts, "counter error \(String(describing: outcome.counterError))")
            let clock = Double(try #require(counts[.taskClock])) / 1e9
            let cpu = outcome.userTime + outcome.systemTime
            #expect(abs(clock - cpu) <= 0.03 * cpu + 0.004, "task clock \(clock) s, rusage \(cpu) s")
            let faults = Double(try #require(counts[.pageFaults]))
            let rusageFaults = Double(outcome.minorPageFaults + outcome.majorPageFaults)
            #expect(faults > 0 && abs(faults - rusageFaults) <= 0.2 * rusageFaults + 50,
                    "page faults \(faults), rusage \(rusageFaults)")
            #expect(!outcome.countsScaled)
        }
        let ratio = Double(both.counts![.taskClock]!) / Double(one.counts![.taskClock]!)
        #expect(ratio > 1.8 && ratio < 2.3, "two burns count \(ratio)× one")
    }

    /// Each run of a request has its own counts: a run's events start at its execve and end with
    /// its tree, so nothing carries over from the run before.
    @Test func everyRunIsCountedOnItsOwn() throws {
        let outcomes = try counted(Workload.spec("burn", "0.05"), [.taskClock], times: 3)
        #expect(outcomes.count == 3)
        for outcome in outcomes {
            let clock = Double(try #require(outcome.counts?[.taskClock])) / 1e9
            #expect(abs(clock - (outcome.userTime + outcome.systemTime)) <= 0.03 * clock + 0.004)
        }
    }

    /// Instructions and cycles where this machine counts them; elsewhere every run still measures
    /// and carries the reason, the same one the probe gives.
    @Test func hardwareCountersOrTheReasonThereAreNone() throws {
        let outcomes = try counted(Workload.spec("burn", "0.02"), PerfCounter.hardware, times: 2)
        #expect(outcomes.count == 2 && outcomes.allSatisfy { $0.exitCode == 0 && $0.userTime > 0.01 })
        if let reason = PerfCounter.unavailableReason() {
            for outcome in outcomes {
                #expect(outcome.counts == nil && outcome.commandRun.instructions == nil)
                let error = try #require(outcome.counterError)
                #expect(PerfCounter.reason(errno: error, counter: .instructions) == reason)
            }
        } else {
            for outcome in outcomes {
                let run = outcome.commandRun
                #expect((run.instructions ?? 0) > 1_000_000 && (run.cycles ?? 0) > 1_000_000)
            }
        }
    }

    /// A command that cannot start gives its error as before, counters or not, and the next run
    /// of the same server counts normally (nothing of the failed one is left in the socket).
    @Test func aFailedStartLeavesNothingBehind() throws {
        let missing = LaunchSpec(arguments: ["/nonexistent/metron-x"], executablePath: "/nonexistent/metron-x")
        #expect(throws: RunnerError.self) { _ = try counted(missing, [.taskClock]) }
        let after = try #require(try counted(Workload.spec("burn", "0.02"), [.taskClock]).first)
        let clock = Double(try #require(after.counts?[.taskClock])) / 1e9
        #expect(abs(clock - (after.userTime + after.systemTime)) <= 0.03 * clock + 0.004)
    }

    /// No counters asked for, none counted and no error.
    @Test func uncountedRunsCarryNothing() throws {
        let outcome = try #require(try counted(Workload.spec("noop"), []).first)
        #expect(outcome.counts == nil && outcome.counterError == nil)
    }
}
