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

/// Exports are written whole or not at all (AtomicFile): a temporary file beside the target,
/// renamed over it.
@Suite struct ExportFileTests {
    @Test func anExportReplacesTheOldFileWholeAndLeavesNothingBeside() throws {
        let directory = Binaries.temporaryPath("exports")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let json = directory + "/run.json", csv = directory + "/run.csv"
        try String(repeating: "old content that is longer than nothing\n", count: 5_000)
            .write(toFile: json, atomically: false, encoding: .utf8)
        let result = try metron(["exec", "--runs", "2", "--export-json", json, "--export-csv", csv, "true"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try decodeReport(json).benchmarks.first?.runs.count == 2)  // the old bytes are gone, not overwritten in part
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["run.csv", "run.json"])
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: csv)[.posixPermissions] as? Int)
        #expect(mode & 0o600 == 0o600 && mode & 0o111 == 0)  // 0666 less the umask, never executable
    }

    @Test func anExportThatCannotBeWrittenSaysWhyAndKeepsTheOthers() throws {
        let directory = Binaries.temporaryPath("exports-blocked")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A directory where the JSON file should go: the rename over it fails.
        let json = directory + "/run.json", markdown = directory + "/run.md"
        try FileManager.default.createDirectory(atPath: json + "/inside", withIntermediateDirectories: true)
        let result = try metron(["exec", "--runs", "2", "--export-json", json, "--export-markdown", markdown, "true"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot write \(json)"), "\(result.stderr)")
        #expect(result.stdout.contains("Benchmark 1"))
        #expect(try String(contentsOfFile: markdown, encoding: .utf8).contains("true"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["run.json", "run.md"])
    }
}
