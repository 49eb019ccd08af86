import Foundation
import Testing

/// `metron exec 'echo hi >> log'` runs echo with the words hi, >>, log: said before measuring.
@Suite struct ShellSyntaxWarningTests {
    @Test func shellSyntaxWithoutAShellIsNamedWithTheFix() throws {
        let log = Binaries.temporaryPath("log")
        defer { unlink(log) }
        let result = try metron(["exec", "--runs", "1", "echo hi >> \(log)"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("contains '>>', which only a shell understands"), "\(result.stderr)")
        #expect(result.stderr.contains("--shell sh"))
        #expect(!FileManager.default.fileExists(atPath: log), "without a shell nothing is redirected")
        // Through a shell the redirection happens, and nothing is said.
        let shell = try metron(["exec", "--runs", "1", "--shell", "sh", "echo hi >> \(log)"])
        #expect(shell.status == 0 && !shell.stderr.contains("warning"))
        #expect(FileManager.default.fileExists(atPath: log))
    }

    @Test(arguments: [["-N"], ["--shell", "none"]])
    func askingForNoShellSilencesIt(flags: [String]) throws {
        let result = try metron(["exec", "--runs", "1"] + flags + ["echo a > b"])
        #expect(result.status == 0)
        #expect(!result.stderr.contains("warning"), "\(result.stderr)")
    }
}
