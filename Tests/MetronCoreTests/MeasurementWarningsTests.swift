import Testing
@testable import MetronCore

struct MeasurementWarningsTests {
    func runs(_ walls: [Double], exit: Int32 = 0) -> [CommandRun] {
        walls.map { CommandRun(wallTime: $0, userTime: 0, systemTime: 0, peakRSS: 0, exitCode: exit) }
    }

    func warnings(_ walls: [Double], shell: Bool = false, exit: Int32 = 0, ignored: Bool = false) -> [String] {
        let list = runs(walls, exit: exit)
        return MeasurementWarnings.evaluate(runs: list, wallTime: Statistics(samples: walls, bootstrap: nil),
                                            usedShell: shell, ignoredFailures: ignored)
    }

    @Test func slowFirstRunIsCalledOut() {
        let result = warnings([0.5] + Array(repeating: 0.1, count: 5) + [0.101, 0.099, 0.1, 0.102])
        #expect(result.count == 1)
        #expect(result.first?.contains("first run was much slower") == true)
    }

    @Test func steadyRunsGiveNoWarning() {
        #expect(warnings([0.100, 0.101, 0.099, 0.100, 0.102, 0.098, 0.100, 0.101, 0.099, 0.100]).isEmpty)
    }

    @Test func outliersLaterInTheRunAreReported() {
        let result = warnings([0.100, 0.101, 0.099, 0.100, 0.9, 0.098, 0.100, 0.101, 0.099, 0.100])
        #expect(result.contains { $0.contains("Statistical outliers") })
        #expect(!result.contains { $0.contains("first run") })
    }

    @Test func shortCommandsThroughAShellAreFlagged() {
        #expect(warnings([0.001, 0.001, 0.001], shell: true).contains { $0.contains("less than 5 ms") })
        #expect(warnings([0.001, 0.001, 0.001], shell: false).isEmpty)
    }

    @Test func ignoredFailuresAreCounted() {
        #expect(warnings([0.1, 0.1, 0.1], exit: 1, ignored: true).contains { $0.hasPrefix("3 of 3 runs failed") })
    }
}
