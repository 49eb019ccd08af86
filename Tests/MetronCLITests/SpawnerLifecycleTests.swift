import Foundation
import MetronCore
import Testing

/// metron-spawner is the only measurement path: it lives as long as Metron (not as long as the
/// thread that started it), takes the measured tree with it when Metron dies, and a missing or
/// foreign one is refused before anything runs.
@Suite(.serialized) struct SpawnerLifecycleTests {
    /// The server used to be killed ~5 s in, when the dispatch worker that started it retired
    /// (PR_SET_PDEATHSIG follows the thread), and Metron went on spawning runs itself. Every run
    /// of a 7-second benchmark must have the same parent, which is not Metron.
    @Test func oneServerMeasuresEveryRunOfALongBenchmark() throws {
        let parents = Binaries.temporaryPath("parents")
        let json = Binaries.temporaryPath("run.json")
        defer { unlink(parents); unlink(json) }
        var metronPID: Int32 = 0
        let result = try metron(["exec", "--runs", "4", "--shell", "sh", "--export-json", json,
                                 "echo $PPID >> \(parents); sleep 1.8"]) { metronPID = $0.processIdentifier }
        #expect(result.status == 0, "\(result.stderr)")
        let text = try String(contentsOfFile: parents, encoding: .utf8)
        // The shell overhead measurement runs `sh -c ''` first; these are the four measured runs.
        let pids = Set(text.split(separator: "\n").map(String.init))
        #expect(pids.count == 1, "runs had parents \(pids)")
        #expect(!pids.contains(String(metronPID)))
        let report = try decodeReport(json)
        #expect(report.measuredBy == "metron-spawner protocol 5")
    }

    @Test func killingMetronKillsTheMeasuredTree() throws {
        let pidFile = Binaries.temporaryPath("child")
        defer { unlink(pidFile) }
        var child: pid_t?
        _ = try metron(["exec", "--runs", "1", "--timeout", "30", Binaries.workload("spawn-hang", pidFile)]) { process in
            child = readPID(pidFile)
            kill(process.processIdentifier, SIGKILL)
        }
        let grandchild = try #require(child, "the workload never started")
        #expect(dies(grandchild, within: 3), "the measured tree (\(grandchild)) outlived metron")
    }

    @Test func aMissingSpawnerIsAUsageErrorBeforeAnythingRuns() throws {
        let marker = Binaries.temporaryPath("ran")
        defer { unlink(marker) }
        let result = try metron(["exec", "--runs", "1", "touch \(marker)"], environment: ["METRON_SPAWNER": "/nonexistent/metron-spawner"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("metron-spawner not found"))
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test func aSpawnerThatDoesNotShakeHandsIsRefused() throws {
        // /bin/true exits at once, as a spawner older than the handshake does on the hello.
        let result = try metron(["exec", "--runs", "1", "true"], environment: ["METRON_SPAWNER": "/bin/true"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("did not answer metron's hello"), "\(result.stderr)")
    }

    @Test func outOfRangeTimeoutsAreUsageErrors() throws {
        let flag = try metron(["exec", "--timeout", "1e12", "true"])
        #expect(flag.status == 2 && flag.stderr.contains("--timeout must be at most"))
        let directory = Binaries.temporaryPath("suite")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "defaults:\n  timeout: 1e12\nsuites:\n  s:\n    benchmarks:\n      - { name: t, command: \"true\" }\n"
            .write(toFile: directory + "/metron.yml", atomically: true, encoding: .utf8)
        let file = try metron(["run"], directory: directory)
        #expect(file.status == 2)
        #expect(file.stderr.contains("metron.yml:2:") && file.stderr.contains("timeout must be at most"), "\(file.stderr)")
        try "suites:\n  s:\n    benchmarks:\n      - { name: t, command: \"true\" }\n"
            .write(toFile: directory + "/metron.yml", atomically: true, encoding: .utf8)
        let environment = try metron(["run"], environment: ["METRON_TIMEOUT": "1e12"], directory: directory)
        #expect(environment.status == 2 && environment.stderr.contains("METRON_TIMEOUT"), "\(environment.stderr)")
    }
}

private func readPID(_ path: String, timeout: Double = 10) -> pid_t? {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if let text = try? String(contentsOfFile: path, encoding: .utf8),
           let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) { return pid }
        usleep(10_000)
    }
    return nil
}

private func dies(_ pid: pid_t, within timeout: Double) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if !isAlive(pid) { return true }
        usleep(10_000)
    }
    return !isAlive(pid)
}
