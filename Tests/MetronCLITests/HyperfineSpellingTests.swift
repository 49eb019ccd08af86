import Foundation
import MetronCore
import Testing

/// hyperfine's spellings of options Metron has under other names.
@Suite(.serialized)
struct HyperfineSpellingTests {
    @Test func commandNameNoShellAndStepSize() throws {
        let json = Binaries.temporaryPath("spellings.json")
        let result = try metron(["exec", "--runs", "2", "--no-shell", "--command-name", "nap {t}", "--parameter-scan", "t", "1", "3",
                                 "--parameter-step-size", "2", Binaries.workload("sleep", "0.00{t}"), "--export-json", json])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try decodeReport(json).benchmarks.map(\.name) == ["nap 1", "nap 3"])
    }

    /// About this long per command in automatic mode, counted from the first run (measured here).
    @Test func minBenchmarkingTimeSetsTheTimeBudget() throws {
        let json = Binaries.temporaryPath("budget.json")
        let result = try metron(["exec", "--min-benchmarking-time", "0.5", "--min-runs", "2", Binaries.workload("sleep", "0.05"),
                                 "--export-json", json])
        #expect(result.status == 0, "\(result.stderr)")
        let runs = try decodeReport(json).benchmarks[0].runs
        var settings = ExecSettings()
        settings.minRuns = 2
        settings.targetTime = 0.5
        #expect(runs.count == settings.runCount(firstRunTime: runs[0].wallTime), "\(runs.count) runs after \(runs[0].wallTime) s")
        #expect(runs.count < 20, "half a second, not the default three")
        let refused = try metron(["exec", "--min-benchmarking-time", "1", "--runs", "3", "true"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("--min-benchmarking-time"))
    }
}
