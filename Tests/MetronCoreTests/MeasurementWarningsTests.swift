import Foundation
import Testing
@testable import MetronCore

struct MeasurementWarningsTests {
    func runs(_ walls: [Double], exit: Int32 = 0) -> [CommandRun] {
        walls.map { CommandRun(wallTime: $0, userTime: 0, systemTime: 0, peakRSS: 0, exitCode: exit) }
    }

    func warnings(_ walls: [Double], shell: Bool = false, exit: Int32 = 0, ignored: Bool = false) -> [MeasurementWarning] {
        let list = runs(walls, exit: exit)
        return MeasurementWarnings.evaluate(runs: list, wallTime: Statistics(samples: walls, bootstrap: nil),
                                            usedShell: shell, ignoredFailures: ignored)
    }

    @Test func slowFirstRunIsCalledOut() {
        let result = warnings([0.5] + Array(repeating: 0.1, count: 5) + [0.101, 0.099, 0.1, 0.102])
        #expect(result.count == 1)
        #expect(result.first?.code == .slowFirstRun)
        #expect(result.first?.message.contains("first run was much slower") == true)
    }

    @Test func steadyRunsGiveNoWarning() {
        #expect(warnings([0.100, 0.101, 0.099, 0.100, 0.102, 0.098, 0.100, 0.101, 0.099, 0.100]).isEmpty)
    }

    @Test func outliersLaterInTheRunAreReported() {
        let result = warnings([0.100, 0.101, 0.099, 0.100, 0.9, 0.098, 0.100, 0.101, 0.099, 0.100])
        #expect(result.map(\.code) == [.outliers])
        #expect(result[0].message.contains("Statistical outliers"))
    }

    @Test func shortCommandsThroughAShellAreFlagged() {
        #expect(warnings([0.001, 0.001, 0.001], shell: true).contains { $0.code == .shellOverheadUncertain && $0.message.contains("less than 5 ms") })
        #expect(warnings([0.001, 0.001, 0.001], shell: false).isEmpty)
    }

    @Test func ignoredFailuresAreCounted() {
        #expect(warnings([0.1, 0.1, 0.1], exit: 1, ignored: true).contains { $0.code == .failuresIgnored && $0.message.hasPrefix("3 of 3 runs failed") })
    }

    @Test("warnings are coded objects in JSON, and version 1's plain sentences still read")
    func codingKeepsTheCodeAndReadsLegacyStrings() throws {
        let warning = MeasurementWarning(.runsTimedOut, "1 run timed out")
        let data = try JSONEncoder().encode([warning])
        #expect(String(decoding: data, as: UTF8.self).contains(#""code":"runs-timed-out""#))
        #expect(try JSONDecoder().decode([MeasurementWarning].self, from: data) == [warning])
        let legacy = try JSONDecoder().decode([MeasurementWarning].self, from: Data(#"["old sentence"]"#.utf8))
        #expect(legacy == [MeasurementWarning(.unclassified, "old sentence")])
        let future = try JSONDecoder().decode([MeasurementWarning].self, from: Data(#"[{"code":"from-the-future","message":"m"}]"#.utf8))
        #expect(future[0].code.rawValue == "from-the-future")
    }
}
