import Foundation
import Testing

/// Bad input: one line on stderr, exit 2, nothing run.
@Suite(.serialized)
struct ExecUsageTests {
    @Test(arguments: [
        ["exec", "--no-such-flag", "true"],
        ["exec", "--runs", "zero", "true"],
        ["exec", "--runs", "0", "true"],
        ["exec", "--warmup", "-1", "true"],
        ["exec", "--timeout", "-2", "true"],
        ["exec"],
        ["exec", "--min-runs", "5", "--max-runs", "2", "true"],
        ["exec", "-P", "n", "1", "true"],
        ["exec", "-P", "n", "5", "1", "echo {n}"],
        ["exec", "--name", "a", "true", "false"],
        ["exec", "--color", "sometimes", "true"],
        ["exec", "--shell", "no-such-shell-xyz", "true"],
        ["exec", "--export-json", "/nonexistent-dir/out.json", "true"],
        ["no-such-subcommand"],
    ])
    func usageErrorsExitWith2AndOneLine(arguments: [String]) throws {
        let result = try metron(arguments)
        #expect(result.status == 2, "\(arguments): status \(result.status), stderr: \(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(arguments): \(result.stderr)")
        #expect(result.stderr.hasPrefix("metron: error: "))
        #expect(!result.stdout.contains("Benchmark 1"), "nothing may run on a usage error")
    }

    @Test func negativeNumbersAreRefusedForWhatTheyAre() throws {
        let runs = try metron(["exec", "--runs", "-5", "true"])
        #expect(runs.status == 2 && runs.stderr.contains("--runs must be at least 1") && !runs.stderr.contains("Missing value"), "\(runs.stderr)")
        let threshold = try metron(["trend", "some-benchmark", "--threshold=-5"])
        #expect(threshold.status == 2 && threshold.stderr.contains("--threshold must be a positive percentage"), "\(threshold.stderr)")
        let upload = try metron(["serve", "--max-upload-mib", "9000000000000"])
        #expect(upload.status == 2 && upload.stderr.contains("from 1 to 1048576"), "\(upload.stderr)")
    }

    @Test func commandNotFoundIsNamed() throws {
        let result = try metron(["exec", "--runs", "2", "true", "no-such-command-xyz --flag"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("command not found: 'no-such-command-xyz'"), "\(result.stderr)")
        #expect(!result.stdout.contains("Benchmark 1"), "validated before anything runs")
    }

    @Test(arguments: ["exec", "run", "history", "baseline", "baseline save", "baseline list", "compare", "check", "trend"])
    func everySubcommandHasHelp(subcommand: String) throws {
        let help = try metron(subcommand.split(separator: " ").map(String.init) + ["--help"])
        #expect(help.status == 0, "\(subcommand): \(help.stderr)")
        #expect(help.stdout.contains("USAGE"))
    }

    @Test func helpAndVersionExitZero() throws {
        let help = try metron(["exec", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--parameter-scan"))
        let version = try metron(["--version"])
        #expect(version.status == 0)
        #expect(!version.stdout.isEmpty)
    }
}
