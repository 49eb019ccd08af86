import Foundation
import MetronCore
import Testing

@Suite(.serialized)
struct ExecRunTests {
    @Test func exportsJSONWithRawRunsAndSchemaVersion() throws {
        let json = Binaries.temporaryPath("out.json")
        let csv = Binaries.temporaryPath("out.csv")
        let markdown = Binaries.temporaryPath("out.md")
        let result = try metron(["exec", "--runs", "5", "--warmup", "1",
                                 "--export-json", json, "--export-csv", csv, "--export-markdown", markdown,
                                 Binaries.workload("sleep", "0.02"), Binaries.workload("sleep", "0.04")])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try decodeReport(json)
        #expect(report.schemaVersion == RunReport.currentSchemaVersion)
        #expect(report.status == .completed)
        #expect(report.benchmarks.count == 2)
        #expect(report.machine?.logicalCores ?? 0 > 0)
        for (benchmark, expected) in zip(report.benchmarks, [0.02, 0.04]) {
            #expect(benchmark.status == .ok)
            #expect(benchmark.runs.count == 5)
            #expect(benchmark.warmupRuns == 1)
            let wall = try #require(benchmark.metric(.wallTime))
            #expect(wall.unit == .seconds)
            #expect(wall.samples.count == 5)
            // A sleep never ends early; how late it ends depends on the machine's load.
            #expect(wall.statistics.mean > expected)
            #expect(wall.statistics.meanCI != nil)
            #expect(benchmark.metric(.peakRSS)?.unit == .bytes)
            #expect(benchmark.metric(.writeChars) != nil)
        }
        // The command that sleeps 20 ms longer measures longer (both carry the same overheads).
        let means = report.benchmarks.compactMap { $0.wallTime?.mean }
        #expect(means.count == 2 && means[1] - means[0] > 0.01, "\(means)")
        // Terminal: hyperfine's lines plus the relative summary.
        #expect(result.stdout.contains("Time (mean ± σ):"))
        #expect(result.stdout.contains("Range (min … max):"))
        #expect(result.stdout.contains("Peak memory:"))
        #expect(result.stdout.contains("times faster than"))
        #expect(!result.stdout.contains("\u{1B}["), "NO_COLOR and a pipe: no escape codes")

        let csvText = try String(contentsOfFile: csv, encoding: .utf8)
        let rows = csvText.split(separator: "\n")
        #expect(rows.count == 3)
        #expect(rows[0].hasPrefix("name,command,status,runs,mean_s,stddev_s,median_s"))
        let markdownText = try String(contentsOfFile: markdown, encoding: .utf8)
        #expect(markdownText.contains("| Command | Mean [ms]"))
        #expect(markdownText.contains("| 1.00 |"))
    }

    @Test func recordsTheGitStateOfTheWorkingDirectory() throws {
        let repository = Binaries.temporaryPath("repo")
        try FileManager.default.createDirectory(atPath: repository, withIntermediateDirectories: true)
        func git(_ arguments: String...) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["git", "-C", repository, "-c", "user.name=Metron", "-c", "user.email=m@example.invalid"] + arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            try #require(process.terminationStatus == 0, "git \(arguments)")
            return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        _ = try git("init", "-q", "-b", "feature")
        try "1\n".write(toFile: repository + "/tracked.txt", atomically: true, encoding: .utf8)
        _ = try git("add", "tracked.txt")
        _ = try git("commit", "-q", "-m", "one")
        let head = try git("rev-parse", "HEAD")
        let json = Binaries.temporaryPath("git.json")

        let clean = try metron(["exec", "--runs", "2", "--export-json", json, Binaries.workload("sleep", "0.001")],
                               directory: repository)
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(try decodeReport(json).git == GitInfo(commit: head, branch: "feature", dirty: false))

        try "2\n".write(toFile: repository + "/tracked.txt", atomically: true, encoding: .utf8)
        let dirty = try metron(["exec", "--runs", "2", "--export-json", json, Binaries.workload("sleep", "0.001")],
                               directory: repository)
        #expect(dirty.status == 0, "\(dirty.stderr)")
        #expect(try decodeReport(json).git == GitInfo(commit: head, branch: "feature", dirty: true))

        let outside = Binaries.temporaryPath("plain")
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        let plain = try metron(["exec", "--runs", "2", "--export-json", json, Binaries.workload("sleep", "0.001")],
                               directory: outside)
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(try decodeReport(json).git == nil)
    }

    /// A git that has not answered by the first measured run is killed and asked again after
    /// the last one; one that answered in time (here during a setup command) is asked once. In
    /// neither case does a git process run beside a measured run.
    @Test(arguments: [false, true])
    func gitNeverRunsBesideAMeasuredRun(withSlowSetup: Bool) throws {
        let directory = Binaries.temporaryPath("slow-git")
        let bin = directory + "/bin"
        let log = directory + "/log"
        try FileManager.default.createDirectory(atPath: directory + "/.git", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try """
            #!/bin/sh
            echo "git start" >> \(log)
            sleep 0.4
            echo "git end" >> \(log)
            printf '# branch.oid 0123456789abcdef0123456789abcdef01234567\\n# branch.head trunk\\n'

            """.write(toFile: bin + "/git", atomically: true, encoding: .utf8)
        chmod(bin + "/git", 0o755)
        let json = directory + "/out.json"
        let setup = withSlowSetup ? ["--setup", "sleep 0.8"] : []
        let result = try metron(["exec", "--runs", "3", "--export-json", json] + setup + ["sh -c 'echo run >> \(log)'"],
                                environment: ["PATH": bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")],
                                directory: directory)
        #expect(result.status == 0, "\(result.stderr)")
        let report = try decodeReport(json)
        #expect(report.git == GitInfo(commit: "0123456789abcdef0123456789abcdef01234567", branch: "trunk", dirty: false))
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.filter { $0 == "run" }.count == 3)
        #expect(lines.filter { $0 == "git end" }.count == 1, "one git answered: \(lines)")
        if withSlowSetup {
            #expect(lines == ["git start", "git end", "run", "run", "run"])
        } else {
            // The first git, if it got as far as starting, was killed before the runs.
            #expect(Array(lines.drop { $0 == "git start" }) == ["run", "run", "run", "git start", "git end"])
        }
    }

    @Test func failingCommandStopsItselfButOthersAreStillMeasuredAndExported() throws {
        let json = Binaries.temporaryPath("fail.json")
        let result = try metron(["exec", "--runs", "3", "--export-json", json,
                                 Binaries.workload("noop"), Binaries.workload("exit", "3"), Binaries.workload("sleep", "0.01")])
        #expect(result.status == 1)
        #expect(result.stdout.contains("exited with code 3 in run 1"), "\(result.stdout)")
        let report = try decodeReport(json)
        #expect(report.benchmarks.map(\.status) == [.ok, .failed, .ok])
        #expect(report.benchmarks[0].runs.count == 3)
        #expect(report.benchmarks[1].runs.count == 1)
        #expect(report.benchmarks[2].runs.count == 3)
    }

    @Test func ignoreFailureKeepsMeasuring() throws {
        let json = Binaries.temporaryPath("ignore.json")
        let result = try metron(["exec", "--runs", "4", "-i", "--export-json", json, Binaries.workload("exit", "1")])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try decodeReport(json)
        #expect(report.benchmarks[0].runs.count == 4)
        #expect(report.benchmarks[0].runs.allSatisfy { $0.exitCode == 1 })
        #expect(report.benchmarks[0].warnings.contains { $0.code == .failuresIgnored && $0.message.contains("ignored with --ignore-failure") })
    }

    @Test func timeoutIsRecordedAndTheTreeKilled() throws {
        let json = Binaries.temporaryPath("timeout.json")
        let pidFile = Binaries.temporaryPath("pid")
        let result = try metron(["exec", "--runs", "3", "--timeout", "0.3", "--export-json", json,
                                 Binaries.workload("spawn-hang", pidFile)])
        #expect(result.status == 1)
        let report = try decodeReport(json)
        #expect(report.benchmarks[0].status == .timedOut)
        #expect(report.benchmarks[0].runs.count == 1)
        #expect(report.benchmarks[0].runs[0].timedOut)
        #expect(report.benchmarks[0].message?.contains("timed out") == true)
        let pid = try #require(pid_t((try String(contentsOfFile: pidFile, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(!isAlive(pid))
    }

    @Test(arguments: ["orphan", "orphan-session"])
    func noBackgroundChildSurvivesMetron(mode: String) throws {
        let pidFile = Binaries.temporaryPath("orphan-pid")
        let result = try metron(["exec", "--runs", "2", Binaries.workload(mode, pidFile)])
        #expect(result.status == 0, "\(result.stderr)")
        let pid = try #require(pid_t((try String(contentsOfFile: pidFile, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(!isAlive(pid), "background child \(pid) (\(mode)) outlived metron")
    }

    /// Outcomes of short runs that the fork server still held back when the signal came are
    /// measured runs too: none is lost.
    @Test func interruptingABatchOfShortRunsKeepsEveryRunMeasured() throws {
        let json = Binaries.temporaryPath("interrupted-short.json")
        let counter = Binaries.temporaryPath("interrupted-short-count")
        let result = try metron(["exec", "--runs", "1000000", "--export-json", json,
                                 Binaries.workload("fail-on", "0", counter)]) { process in
            Thread.sleep(forTimeInterval: 1)
            kill(process.processIdentifier, SIGINT)
        }
        #expect(result.status == 130, "\(result.stderr)")
        let report = try decodeReport(json)
        #expect(report.benchmarks.first?.status == .interrupted)
        let invocations = Int((try? String(contentsOfFile: counter, encoding: .utf8)) ?? "") ?? 0
        let runs = report.benchmarks.first?.runs.count ?? 0
        #expect(runs > 1, "\(runs) runs before the signal")
        // Every invocation is a recorded run, but the one the signal killed (if it was running).
        #expect(runs == invocations || runs == invocations - 1, "\(runs) runs recorded, \(invocations) started")
    }

    @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
    func signalKillsChildrenAndKeepsResults(signal: Int32, expectedStatus: Int32) throws {
        let json = Binaries.temporaryPath("interrupted.json")
        let result = try metron(["exec", "--sequential", "--runs", "1000", "--export-json", json,
                                 Binaries.workload("sleep", "0.1"), Binaries.workload("noop")]) { process in
            Thread.sleep(forTimeInterval: 1.5)
            kill(process.processIdentifier, signal)
        }
        #expect(result.status == expectedStatus, "\(result.stderr)")
        let report = try decodeReport(json)
        #expect(report.status == .interrupted)
        #expect(report.benchmarks.count == 1, "the second command never starts")
        #expect(report.benchmarks[0].status == .interrupted)
        #expect(report.benchmarks[0].runs.count >= 5, "runs before the signal are kept")
        #expect(report.benchmarks[0].runs.allSatisfy { $0.exitCode == 0 }, "the interrupted run is not recorded")
        #expect(result.stdout.contains("Time (mean ± σ):"), "results so far are printed")
    }

    /// Interleaved, every command has started: each ends as interrupted, keeping its runs.
    @Test func signalInInterleavedRoundsKeepsEveryCommandsRuns() throws {
        let json = Binaries.temporaryPath("interrupted-rounds.json")
        let result = try metron(["exec", "--runs", "1000", "--export-json", json,
                                 Binaries.workload("sleep", "0.05"), Binaries.workload("noop")]) { process in
            Thread.sleep(forTimeInterval: 1.5)
            kill(process.processIdentifier, SIGINT)
        }
        #expect(result.status == 130, "\(result.stderr)")
        let report = try decodeReport(json)
        #expect(report.status == .interrupted)
        #expect(report.interleaving != nil)
        #expect(report.benchmarks.map(\.status) == [.interrupted, .interrupted])
        let counts = report.benchmarks.map(\.runs.count)
        #expect(counts.allSatisfy { $0 >= 5 }, "runs before the signal are kept: \(counts)")
        // Rounds: the two commands differ by at most the round the signal cut short.
        #expect(abs(counts[0] - counts[1]) <= 1)
        #expect(report.benchmarks.allSatisfy { $0.runs.allSatisfy { $0.exitCode == 0 } })
    }

    /// The signal reaches Metron as the run that sent it ends, so there is often no running tree
    /// left to kill: the benchmark must still end as interrupted, and the next command not start.
    @Test(arguments: [1, 3])
    func signalAtTheEndOfARunStillInterrupts(runs: Int) throws {
        let json = Binaries.temporaryPath("interrupted-late.json")
        let result = try metron(["exec", "--sequential", "--runs", "\(runs)", "--export-json", json,
                                 Binaries.workload("signal-ancestor", "metron", "\(SIGINT)"), Binaries.workload("noop")])
        #expect(result.status == 130, "\(result.stderr)")
        let report = try decodeReport(json)
        #expect(report.status == .interrupted)
        #expect(report.benchmarks.count == 1, "the second command never starts")
        #expect(report.benchmarks[0].status == .interrupted)
        #expect(report.benchmarks[0].runs.count <= 1)
        #expect(report.benchmarks[0].runs.allSatisfy { $0.exitCode == 0 })
    }

    @Test func parameterScanExpandsCommandsAndNames() throws {
        let json = Binaries.temporaryPath("scan.json")
        let result = try metron(["exec", "--runs", "2", "-P", "ms", "10", "30", "-D", "10", "--name", "sleep {ms} ms",
                                 Binaries.workload("sleep", "0.0{ms}"), "--export-json", json])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try decodeReport(json)
        #expect(report.benchmarks.map(\.name) == ["sleep 10 ms", "sleep 20 ms", "sleep 30 ms"])
        #expect(report.benchmarks.map { $0.parameters.first?.value } == ["10", "20", "30"])
        let means = report.benchmarks.compactMap { $0.wallTime?.mean }
        #expect(means.count == 3 && means[0] < means[1] && means[1] < means[2])
    }

    @Test func parameterListsCombine() throws {
        let json = Binaries.temporaryPath("list.json")
        let result = try metron(["exec", "--runs", "1", "-L", "a", "1,2", "-L", "b", "x,y,z",
                                 "--export-json", json, Binaries.workload("noop", "{a}", "{b}")])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try decodeReport(json)
        #expect(report.benchmarks.count == 6)
        #expect(report.benchmarks.last?.parameters == [Parameter(name: "a", value: "2"), Parameter(name: "b", value: "z")])
    }

    @Test func prepareSetupAndCleanupRunTheRightNumberOfTimes() throws {
        let prepareCount = Binaries.temporaryPath("prepare")
        let setupCount = Binaries.temporaryPath("setup")
        let cleanupCount = Binaries.temporaryPath("cleanup")
        let result = try metron(["exec", "--warmup", "2", "--runs", "3",
                                 "--prepare", Binaries.workload("fail-on", "0", prepareCount),
                                 "--setup", Binaries.workload("fail-on", "0", setupCount),
                                 "--cleanup", Binaries.workload("fail-on", "0", cleanupCount),
                                 Binaries.workload("noop")])
        #expect(result.status == 0, "\(result.stderr)")
        func count(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }
        #expect(count(prepareCount) == "5")
        #expect(count(setupCount) == "1")
        #expect(count(cleanupCount) == "1")
    }

    @Test func shellSpawnTimeIsSubtracted() throws {
        let direct = Binaries.temporaryPath("direct.json")
        let shell = Binaries.temporaryPath("shell.json")
        let command = Binaries.workload("sleep", "0.1")
        #expect(try metron(["exec", "--runs", "10", "--export-json", direct, command]).status == 0)
        let result = try metron(["exec", "--shell", "sh", "--runs", "10", "--export-json", shell, command])
        #expect(result.status == 0, "\(result.stderr)")
        let withoutShell = try #require(try decodeReport(direct).benchmarks[0].wallTime?.min)
        let withShell = try #require(try decodeReport(shell).benchmarks[0].wallTime?.min)
        // What remains after subtracting `sh -c ''` is the command itself: within 2 % of 100 ms.
        // Minima: load only ever adds time, and a loaded machine adds milliseconds to a median of
        // ten, while a shell that was not subtracted would shift the minimum as much as the rest.
        #expect(abs(withShell - withoutShell) < 0.002, "through sh \(withShell) s, direct \(withoutShell) s")
    }

    @Test func automaticRunCountTargetsTheTimeBudget() throws {
        let json = Binaries.temporaryPath("auto.json")
        let result = try metron(["exec", "--export-json", json, "--min-runs", "3", Binaries.workload("sleep", "0.2")])
        #expect(result.status == 0, "\(result.stderr)")
        let runs = try decodeReport(json).benchmarks[0].runs.count
        // About 3 s of 0.2 s runs.
        // About 3 s of runs, counted from the first run's time (measured here, not assumed).
        let first = try decodeReport(json).benchmarks[0].runs[0].wallTime
        var settings = ExecSettings()
        settings.minRuns = 3
        #expect(runs == settings.runCount(firstRunTime: first), "\(runs) runs after a first run of \(first) s")
        #expect(runs > 3, "the budget, not --min-runs, set the count")
    }
}
