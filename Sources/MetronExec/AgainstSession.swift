import FoundationEssentials
import MetronCore
import MetronReport
import MetronRunner

/// `metron run --against DIR`: every command benchmark of the plan measured twice in one session,
/// in DIR (the baseline tree: another checkout or worktree, built by the user) and here,
/// interleaved round by round. The result is two runs that point at each other (`pairedRun`),
/// so `metron compare` and `metron check` judge them by per-round ratios. Each benchmark's pair is
/// shuffled by `seed + i` for the i-th pair (`interleaving.seed` records `seed`).
public enum AgainstSession {
    public struct Outcome {
        public var baseline: RunReport
        public var current: RunReport
        /// Benchmarks that could not be measured on both sides (in-process targets).
        public var skipped: [String]
    }

    public static func measure(_ plan: [PlannedBenchmark], against directory: String, executor: any Executor,
                               style: TerminalStyle, tags: [String], seed: UInt64) throws -> Outcome {
        var baselineResults: [BenchmarkResult] = [], currentResults: [BenchmarkResult] = []
        var comparisons: [MetricComparison] = []
        var skipped: [String] = []
        var first: RunReport?
        var rounds = 0
        var index = 0
        while index < plan.count, executor.interruption == nil {
            var end = index
            while end < plan.count && plan[end].group == plan[index].group { end += 1 }
            let members = Array(plan[index..<end])
            index = end
            // A suite's setup and cleanup run on both sides, each in its own tree.
            func sides(of item: PlannedBenchmark) -> (baseline: PlannedBenchmark, current: PlannedBenchmark) {
                var baseline = item, current = item
                baseline.spec.directory = directory
                baseline.group = nil; current.group = nil
                baseline.groupSetup = nil; baseline.groupCleanup = nil
                current.groupSetup = nil; current.groupCleanup = nil
                let key = BenchmarkKey.of(name: item.spec.name, parameters: item.spec.parameters)
                baseline.label = "\(key) — baseline (\(directory))"
                current.label = "\(key) — this tree"
                return (baseline, current)
            }
            var setupFailure: String?
            if let setup = members[0].groupSetup {
                let (baseline, current) = sides(of: members[0])
                setupFailure = MeasurementSession.runGroupCommand(setup, role: "setup of suite '\(members[0].group ?? "")' in \(directory)",
                                                                  item: baseline, executor: executor)
                    ?? MeasurementSession.runGroupCommand(setup, role: "setup of suite '\(members[0].group ?? "")'",
                                                          item: current, executor: executor)
            }
            for item in members {
                if executor.interruption != nil { break }
                let (baseline, current) = sides(of: item)
                if item.inProcess != nil {
                    skipped.append(item.spec.name)
                    continue
                }
                if let setupFailure {
                    baselineResults.append(MeasurementSession.failedResult(baseline, status: .skipped, message: setupFailure))
                    currentResults.append(MeasurementSession.failedResult(current, status: .skipped, message: setupFailure))
                    continue
                }
                let pair = try MeasurementSession.measure([baseline, current], executor: executor, style: style, tags: tags,
                                                          interleaveSeed: seed &+ UInt64(baselineResults.count), reference: 0)
                if first == nil { first = pair }
                baselineResults.append(pair.benchmarks[0])
                currentResults.append(pair.benchmarks.count > 1 ? pair.benchmarks[1]
                                      : MeasurementSession.failedResult(current, status: .interrupted, message: "interrupted"))
                comparisons += pair.comparisons ?? []
                rounds = max(rounds, pair.interleaving?.rounds ?? 0)
            }
            if let cleanup = members[0].groupCleanup, executor.interruption == nil {
                let (baseline, current) = sides(of: members[0])
                for (side, where_) in [(baseline, " in \(directory)"), (current, "")] {
                    if let error = MeasurementSession.runGroupCommand(cleanup, role: "cleanup of suite '\(members[0].group ?? "")'\(where_)",
                                                                      item: side, executor: executor) {
                        printError(error)
                    }
                }
            }
        }
        let started = first?.startedAt ?? Timestamp(secondsSinceEpoch: MonotonicClock.wallClockSeconds())
        let finished = Timestamp(secondsSinceEpoch: MonotonicClock.wallClockSeconds())
        func side(_ results: [BenchmarkResult], git: GitInfo?, tag: String) -> RunReport {
            var report = RunReport(id: UUID().uuidString.lowercased(), metronVersion: MetronVersion.current, startedAt: started,
                                   finishedAt: finished, status: executor.interruption != nil ? .interrupted : .completed,
                                   machine: first?.machine ?? MachineInfoCollector.collect(), git: git, tags: tags + [tag],
                                   benchmarks: results)
            report.measuredBy = executor.identity
            report.interleaving = Interleaving(seed: seed, rounds: rounds)
            report.noise = first?.noise
            return report
        }
        var baseline = side(baselineResults, git: GitInfoCollector.collect(directory: directory), tag: "against-baseline")
        var current = side(currentResults, git: first?.git ?? GitInfoCollector.collect(), tag: "against")
        baseline.pairedRun = current.id
        current.pairedRun = baseline.id
        current.comparisons = comparisons
        return Outcome(baseline: baseline, current: current, skipped: skipped)
    }
}
