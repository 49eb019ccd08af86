import Foundation
import Testing
@testable import MetronRunner

@Suite(.serialized)
struct ProcessLifecycleTests {
    let runner = try! ProcessRunner()

    @Test func timeoutKillsTheWholeTreeAndIsRecorded() throws {
        let pidFile = Workload.temporaryPath("pid")
        defer { unlink(pidFile) }
        let outcome = try runner.measure(Workload.spec("spawn-hang", pidFile), times: 1, timeout: 0.3)[0]
        #expect(outcome.timedOut)
        #expect(outcome.signal == SIGKILL)
        // Killed at the timeout: never before it, and about when a 0.3 s sleep measured now ends
        // (both wait on a timer; the load delays both alike).
        let reference = try runner.measure(Workload.spec("sleep", "0.3"), times: 1)[0]
        #expect(outcome.wallTime >= 0.3 && outcome.wallTime < reference.wallTime * 1.2 + 0.02,
                "wall \(outcome.wallTime), a 0.3 s sleep \(reference.wallTime)")
        let child = try #require(Workload.readPID(pidFile))
        #expect(Workload.dies(child), "the hanging grandchild \(child) survived the timeout")
    }

    @Test func crashIsReportedAsTheSignal() throws {
        let outcome = try runner.measure(Workload.spec("crash"), times: 1)[0]
        #expect(outcome.signal == SIGSEGV)
        #expect(outcome.exitCode == nil)
        #expect(!outcome.commandRun.succeeded)
    }

    @Test func exitCodeIsReported() throws {
        let outcome = try runner.measure(Workload.spec("exit", "3"), times: 1)[0]
        #expect(outcome.exitCode == 3)
        #expect(outcome.signal == nil)
    }

    @Test func backgroundChildInTheProcessGroupDoesNotOutliveTheRun() throws {
        let pidFile = Workload.temporaryPath("orphan")
        defer { unlink(pidFile) }
        _ = try runner.measure(Workload.spec("orphan", pidFile), times: 1)
        let child = try #require(Workload.readPID(pidFile))
        #expect(Workload.dies(child))
    }

    @Test func spawnFailureNamesTheCommand() throws {
        let spec = LaunchSpec(arguments: ["nope"], executablePath: "/nonexistent/nope")
        #expect(throws: RunnerError.spawnFailed("nope", errno: ENOENT)) {
            try runner.run(runner.prepare(spec))
        }
    }

    @Test func environmentOverridesReachTheCommand() throws {
        let file = Workload.temporaryPath("env")
        defer { unlink(file) }
        let spec = LaunchSpec(arguments: ["/bin/sh", "-c", "printf %s \"$METRON_TEST_VALUE\" > \(file)"],
                              executablePath: "/bin/sh", environment: ["METRON_TEST_VALUE": "42"])
        _ = try runner.run(runner.prepare(spec))
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "42")
    }
}

/// A launch's working directory (metron_spawner_protocol.h, METRON_RUN_DIRECTORY): the command
/// starts there, a relative program path is looked up there, and a missing directory is an error
/// of the launch, not a measurement.
@Suite(.serialized)
struct WorkingDirectoryTests {
    let runner = try! ProcessRunner()

    @Test func theCommandStartsInItsDirectory() throws {
        let directory = Workload.temporaryPath("cwd")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let spec = try ShellCommand.launchSpec(for: "pwd", shell: .shell("/bin/sh"), output: .discard, directory: directory)
        var written = spec
        written.arguments = ["/bin/sh", "-c", "pwd > here.txt"]
        let outcome = try runner.run(runner.prepare(written))
        #expect(outcome.exitCode == 0)
        let here = try String(contentsOfFile: directory + "/here.txt", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(URL(fileURLWithPath: here).standardizedFileURL.path == URL(fileURLWithPath: directory).standardizedFileURL.path)
        // Without one, the command starts where Metron is.
        #expect(!FileManager.default.fileExists(atPath: FileManager.default.currentDirectoryPath + "/here.txt"))
    }

    @Test func relativeProgramsAreFoundInTheDirectoryAndMissingOnesAreErrors() throws {
        let directory = Workload.temporaryPath("tree")
        try FileManager.default.createDirectory(atPath: directory + "/bin", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Workload.path, toPath: directory + "/bin/tool")
        let spec = try ShellCommand.launchSpec(for: "bin/tool exit 3", shell: .none, output: .discard, directory: directory)
        #expect(spec.executablePath == directory + "/bin/tool")
        #expect(try runner.run(runner.prepare(spec)).exitCode == 3)
        #expect(throws: RunnerError.self) {
            try ShellCommand.launchSpec(for: "bin/tool", shell: .none, output: .discard, directory: directory + "/nowhere")
        }
        var gone = spec
        gone.directory = directory + "/nowhere"
        #expect(throws: (any Error).self) { try runner.run(runner.prepare(gone)) }
    }
}
