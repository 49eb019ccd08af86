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

    @Test func nothingCompletedMeansNoMetrics() {
        #expect(CommandMetrics.summarize([run(5, timedOut: true)]).isEmpty)
    }
}
