import Foundation
import Testing
@testable import MetronRunner

struct CommandLineWordsTests {
    @Test func splitsLikeAShell() throws {
        #expect(try CommandLineWords.split("grep -c 'a b' file") == ["grep", "-c", "a b", "file"])
        #expect(try CommandLineWords.split(#"echo "x \"y\" \$z" a\ b"#) == ["echo", #"x "y" $z"#, "a b"])
        #expect(try CommandLineWords.split("  sleep\t0.1  ") == ["sleep", "0.1"])
        #expect(try CommandLineWords.split("printf ''") == ["printf", ""])
        #expect(try CommandLineWords.split(#"echo "a\nb""#) == ["echo", #"a\nb"#])
    }

    @Test func rejectsBrokenQuoting() {
        #expect(throws: CommandLineWords.SplitError.unterminatedQuote("'")) { try CommandLineWords.split("echo 'a") }
        #expect(throws: CommandLineWords.SplitError.unterminatedQuote("\"")) { try CommandLineWords.split("echo \"a") }
        #expect(throws: CommandLineWords.SplitError.trailingBackslash) { try CommandLineWords.split("echo a\\") }
        #expect(throws: CommandLineWords.SplitError.empty) { try CommandLineWords.split("   ") }
    }

    @Test func resolvesExecutablesThroughPath() {
        #expect(ExecutableLookup.resolve("sh", path: "/nonexistent:/bin") == "/bin/sh")
        #expect(ExecutableLookup.resolve("definitely-not-a-command-xyz") == nil)
        #expect(ExecutableLookup.resolve("/bin/sh") == "/bin/sh")
        let plain = Workload.temporaryPath("plain")
        _ = FileManager.default.createFile(atPath: plain, contents: Data("x".utf8), attributes: [.posixPermissions: 0o644])
        defer { unlink(plain) }
        #expect(ExecutableLookup.resolve(plain) == nil, "not executable")
    }
}
