import Testing
@testable import MetronCore

struct CommandMetricsTests {
    func run(_ wall: Double, exit: Int32? = 0, timedOut: Bool = false, write: Int64? = 100) -> CommandRun {
        CommandRun(wallTime: wall, userTime: wall / 4, systemTime: wall / 4, peakRSS: 1 << 20,
                   peakRSSTree: 2 << 20, readBytes: 0, writeBytes: write, readChars: 10, writeChars: write,
                   exitCode: exit, timedOut: timedOut)
    }

    @Test func summarizesCompletedRunsOnly() throws {
        let runs = [run(1), run(2), run(3), run(60, exit: nil, timedOut: true)]
        let metrics = CommandMetrics.summarize(runs, bootstrap: nil)
        let wall = try #require(metrics[.wallTime])
        #expect(wall.samples == [1, 2, 3])
        #expect(wall.statistics.mean == 2)
        #expect(metrics[.cpuPercent]?.statistics.mean == 50)
        #expect(metrics[.peakRSSTree]?.statistics.max == Double(2 << 20))
        #expect(metrics[.writeChars]?.unit == .bytes)
    }

    @Test func omitsIOWhenARunLacksIt() {
        let metrics = CommandMetrics.summarize([run(1), run(2, write: nil)], bootstrap: nil)
        #expect(metrics[.writeChars] == nil)
        #expect(metrics[.readChars] != nil)
    }

    /// Hardware counts become metrics when every completed run has them (a timed-out run's are
    /// no measurement), and they are measured, not deterministic: Valgrind's counts are those.
    @Test func countsOfEveryRunAreMetrics() throws {
        func counted(_ instructions: Int64?, timedOut: Bool = false) -> CommandRun {
            var run = run(1, timedOut: timedOut)
            run.instructions = instructions
            run.cycles = instructions.map { $0 * 2 }
            return run
        }
        let metrics = CommandMetrics.summarize([counted(100), counted(110), counted(nil, timedOut: true)], bootstrap: nil)
        #expect(metrics[.instructions]?.samples == [100, 110])
        #expect(metrics[.cycles]?.samples == [200, 220])
        #expect(metrics[.instructions]?.unit == .count && metrics[.instructions]?.isDeterministic == false)
        #expect(metrics[.instructions]?.polarity == nil && MetricID.instructions.polarity(unit: .count) == .lowerIsBetter)
        let partly = CommandMetrics.summarize([counted(100), counted(nil)], bootstrap: nil)
        #expect(partly[.instructions] == nil && partly[.cycles] == nil && partly[.wallTime] != nil)
    }

    @Test func nothingCompletedMeansNoMetrics() {
        #expect(CommandMetrics.summarize([run(5, timedOut: true)]).isEmpty)
    }
}
