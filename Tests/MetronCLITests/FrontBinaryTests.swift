import Foundation
import MetronCore
import Testing

/// `metron` is a front binary that runs `exec` itself and hands every other command line to
/// `metron-full` (Sources/MetronFront). These tests tell the two paths apart.
@Suite struct FrontBinaryTests {
    /// A folder holding `metron` and `metron-spawner` but no `metron-full`.
    func frontAlone() throws -> String {
        let directory = Binaries.temporaryPath("front-alone")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for binary in [Binaries.metron, Binaries.spawner] {
            try FileManager.default.copyItem(atPath: binary, toPath: directory + "/" + (binary as NSString).lastPathComponent)
        }
        return directory
    }

    @Test func execRunsInTheFrontBinaryWithoutTheFullCLI() throws {
        let directory = try frontAlone()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let json = directory + "/out.json"
        let result = try metron(["exec", "--runs", "3", "--export-json", json, Binaries.workload("sleep", "0.01")],
                                executable: directory + "/metron")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Benchmark 1"))
        let report = try decodeReport(json)
        #expect(report.benchmarks.first?.runs.count == 3)
        // Measured by the spawner next to it: a 10 ms sleep, and a peak memory that is not Metron's.
        let wall = try #require(report.benchmarks.first?.metric(.wallTime)?.statistics.median)
        #expect(wall > 0.0095 && wall < 0.05)
        #expect(!result.stderr.contains("metron-spawner not found"))

        // Usage errors are the front's own, one line, exit 2.
        let usage = try metron(["exec", "--runs", "0", "true"], executable: directory + "/metron")
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("--runs must be at least 1"))
    }

    @Test func everythingElseNeedsTheFullCLIAndSaysSo() throws {
        let directory = try frontAlone()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for arguments in [["history"], ["exec", "--save", "--runs", "1", "true"], ["exec", "--help"], ["--version"]] {
            let result = try metron(arguments, executable: directory + "/metron")
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stderr.contains("cannot run \(directory)/metron-full"), "\(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(arguments)")
        }
    }

    @Test func theFullCLIGetsTheArgumentsAndGivesBackItsExitStatus() throws {
        let store = Binaries.temporaryPath("front.sqlite")
        let saved = try metron(["exec", "--runs", "2", "--save", "--store", store, "--name", "saved through the front", "true"])
        #expect(saved.status == 0, "\(saved.stderr)")
        #expect(saved.stdout.contains("Saved run"))
        let history = try metron(["history", "--store", store, "saved through the front"])
        #expect(history.status == 0, "\(history.stderr)")
        #expect(history.stdout.contains("saved through the front") || history.stdout.split(separator: "\n").count >= 2)

        let usage = try metron(["history", "--no-such-option"])
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("no-such-option"))

        // Help comes from the full CLI: it knows --save, which the front does not parse.
        let help = try metron(["exec", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--save"))
        let version = try metron(["--version"])
        let full = try metron(["--version"], executable: Binaries.metronFull)
        #expect(version.status == 0 && version.stdout == full.stdout && !version.stdout.isEmpty)
    }
}
