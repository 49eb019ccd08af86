import Foundation
import MetronCore
import Testing

/// hyperfine's options that decide where a command's input and output go, how results are shown
/// and exported, run for real; and `metron exec` beside the installed `hyperfine` on the same
/// command lines.
@Suite(.serialized)
struct HyperfineOptionsTests {
    static let hyperfine = ["/usr/bin/hyperfine", "/usr/local/bin/hyperfine"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    @Test func inputFeedsEveryRunAndNullFeedsNothing() throws {
        let input = Binaries.temporaryPath("input.txt")
        try "one\ntwo\n".write(toFile: input, atomically: true, encoding: .utf8)
        let log = Binaries.temporaryPath("input.log")
        let result = try metron(["exec", "--runs", "2", "--shell", "sh", "--input", input, "cat >> \(log)"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(read(log) == "one\ntwo\none\ntwo\n")
        let empty = Binaries.temporaryPath("null.log")
        #expect(try metron(["exec", "--runs", "2", "--shell", "sh", "--input", "null", "cat >> \(empty); echo x >> \(empty)"]).status == 0)
        #expect(read(empty) == "x\nx\n")
        let missing = try metron(["exec", "--input", "/nonexistent/in", "true"])
        #expect(missing.status == 2 && missing.stderr.contains("--input"))
    }

    /// hyperfine's `--shell "bash --norc"` and `--shell default`.
    @Test func shellWithOptionsAndTheDefaultShell() throws {
        let log = Binaries.temporaryPath("shell.log")
        #expect(try metron(["exec", "--runs", "1", "--shell", "bash --norc", "echo \"${BASH_VERSION:+bash}\" >> \(log)"]).status == 0)
        #expect(try metron(["exec", "--runs", "1", "--shell", "default", "echo sh >> \(log)"]).status == 0)
        #expect(read(log) == "bash\nsh\n")
        let missing = try metron(["exec", "--shell", "nosuchshell --flag", "true"])
        #expect(missing.status == 2 && missing.stderr.contains("nosuchshell"))
    }

    /// `pipe` gives the command a pipe as stdout, `null` /dev/null, a file the file; per command.
    @Test func outputGoesWhereItIsSent() throws {
        let isPipe = "sh -c '[ -p /dev/stdout ]'"
        let json = Binaries.temporaryPath("pipe.json")
        let result = try metron(["exec", "--runs", "2", "--sequential", "--output", "pipe", "--output", "null",
                                 isPipe, isPipe + " #", "--export-json", json])
        #expect(result.status == 1)
        let benchmarks = try decodeReport(json).benchmarks
        #expect(benchmarks.map(\.status) == [.ok, .failed], "\(benchmarks.map(\.message))")

        // 8 MiB through the pipe: the run does not block, and what the spawner reads from it is
        // not charged to the command.
        let flood = Binaries.temporaryPath("flood.json")
        #expect(try metron(["exec", "--runs", "2", "--output", "pipe", "head -c 8388608 /dev/zero", "--export-json", flood]).status == 0)
        let run = try #require(try decodeReport(flood).benchmarks.first?.runs.first)
        #expect(run.writeChars == 8_388_608)
        #expect(try #require(run.readChars) < 8_388_608 + 65_536)

        let directory = Binaries.temporaryPath("out")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        #expect(try metron(["exec", "--runs", "3", "--output", directory + "/stdout.txt", "echo hello"]).status == 0)
        #expect(read(directory + "/stdout.txt") == "hello\n", "created anew by every run")
        let keyword = try metron(["exec", "--output", "nul", "true"])
        #expect(keyword.status == 2 && keyword.stderr.contains("./nul"))
        #expect(try metron(["exec", "--output", "pipe", "--show-output", "true"]).status == 2)
    }

    @Test func styleSortAndTimeUnit() throws {
        let silent = try metron(["exec", "--runs", "2", "--style", "none", "true", "sleep 0.005"])
        #expect(silent.status == 0 && silent.stdout.isEmpty, "\(silent.stdout)")
        let full = try metron(["exec", "--runs", "2", "--style", "full", "true"])
        #expect(full.stdout.contains("\u{1B}["), "colours without a terminal")
        let basic = try metron(["exec", "--runs", "2", "--style", "basic", "-u", "us", "sleep 0.002"], environment: ["NO_COLOR": ""])
        #expect(!basic.stdout.contains("\u{1B}[") && basic.stdout.contains("µs ±"), "\(basic.stdout)")
        #expect(try metron(["exec", "--style", "fancy", "true"]).status == 2)
        #expect(try metron(["exec", "--time-unit", "hours", "true"]).status == 2)

        let markdown = Binaries.temporaryPath("sorted.md")
        let sorted = try metron(["exec", "--runs", "3", "--sort", "mean-time", "--export-markdown", markdown,
                                 "--time-unit", "millisecond", "sleep 0.03", "sleep 0.001"])
        #expect(sorted.status == 0)
        let rows = read(markdown).split(separator: "\n").dropFirst(2)
        #expect(rows.first?.hasPrefix("| `sleep 0.001`") == true && read(markdown).contains("Mean [ms]"), "\(rows)")
        let byCommand = try metron(["exec", "--runs", "3", "--sort", "command", "sleep 0.03", "sleep 0.001"])
        let lines = byCommand.stdout.split(separator: "\n")
        let summary = try #require(lines.firstIndex { $0.hasPrefix("Relative speed comparison") })
        #expect(lines[summary + 1].hasSuffix("sleep 0.03") && lines[summary + 2].hasSuffix("sleep 0.001"), "\(lines[summary...])")
    }

    @Test func asciidocAndOrgModeTables() throws {
        let adoc = Binaries.temporaryPath("t.adoc")
        let org = Binaries.temporaryPath("t.org")
        #expect(try metron(["exec", "--runs", "2", "--export-asciidoc", adoc, "--export-orgmode", org, "echo a|b", "true"]).status == 0)
        let asciidoc = read(adoc).split(separator: "\n").map(String.init)
        #expect(asciidoc.first == "[cols=\"<,>,>,>,>,>,>,>\", options=\"header\"]" && asciidoc[1] == "|===" && asciidoc.last == "|===")
        #expect(asciidoc.contains { $0.hasPrefix("| `echo a\\|b`") }, "\(asciidoc)")
        let orgmode = read(org).split(separator: "\n").map(String.init)
        #expect(orgmode[1] == "|---+---+---+---+---+---+---+---|")
        #expect(orgmode.contains { $0.hasPrefix("| =echo a\\vert{}b= |") }, "\(orgmode)")
        // Every row has the header's number of cells.
        #expect(orgmode.enumerated().allSatisfy { $0.offset == 1 || $0.element.filter { $0 == "|" }.count == 9 })
    }

    /// What hyperfine writes for a command line, and what Metron writes for it in hyperfine's schema.
    func exports(_ arguments: [String]) throws -> (theirs: [[String: Any]], ours: [[String: Any]]) {
        let theirsPath = Binaries.temporaryPath("hyperfine.json")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.hyperfine!)
        process.arguments = ["--style", "none", "--export-json", theirsPath] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let oursPath = Binaries.temporaryPath("metron-hyperfine.json")
        let result = try metron(["exec", "--shell", "sh", "--sequential", "--style", "none", "--export-json-hyperfine", oursPath] + arguments)
        #expect(result.status == process.terminationStatus, "\(result.stderr)")
        func results(_ path: String) throws -> [[String: Any]] {
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
            return try #require(object?["results"] as? [[String: Any]])
        }
        return (try results(theirsPath), try results(oursPath))
    }

    @Test(.enabled(if: hyperfine != nil, "hyperfine is not installed"))
    func hyperfineJSONHasHyperfinesFieldsAndValues() throws {
        let (theirs, ours) = try exports(["--runs", "3", "-i", "-L", "code", "0,3", "exit {code}"])
        #expect(theirs.count == 2 && ours.count == 2)
        for (their, our) in zip(theirs, ours) {
            // hyperfine added memory_usage_byte in 1.16; Debian's is older.
            #expect(Set(our.keys).subtracting(["memory_usage_byte"]) == Set(their.keys).subtracting(["memory_usage_byte"]),
                    "\(our.keys.sorted()) vs \(their.keys.sorted())")
            #expect(our["command"] as? String == their["command"] as? String)
            #expect(our["exit_codes"] as? [Int] == their["exit_codes"] as? [Int])
            #expect(our["parameters"] as? [String: String] == their["parameters"] as? [String: String])
            #expect((our["times"] as? [Double])?.count == 3 && (our["memory_usage_byte"] as? [Int])?.count == 3)
        }
        // A single run: hyperfine writes a null stddev.
        let (one, ourOne) = try exports(["--runs", "1", "true"])
        #expect(one[0]["stddev"] is NSNull && ourOne[0]["stddev"] is NSNull)
    }

    /// hyperfine's own analysis scripts read Metron's export. They are not part of Debian's
    /// hyperfine: the test takes them from a hyperfine checkout ($METRON_HYPERFINE_SOURCE, or the
    /// mirror of sharkdp/hyperfine on the build machines) and says so when there is none.
    static let scripts: String? = {
        if let source = ProcessInfo.processInfo.environment["METRON_HYPERFINE_SOURCE"],
           FileManager.default.fileExists(atPath: source + "/scripts/advanced_statistics.py") { return source + "/scripts" }
        let mirror = "/work/.mirror/sharkdp+hyperfine/repo"
        guard FileManager.default.fileExists(atPath: mirror) else { return nil }
        let directory = Binaries.temporaryPath("hyperfine-scripts")
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for script in ["advanced_statistics.py", "welch_ttest.py"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
            process.arguments = ["--git-dir", mirror, "show", "HEAD:scripts/\(script)"]
            let path = directory + "/" + script
            guard FileManager.default.createFile(atPath: path, contents: nil) else { return nil }
            process.standardOutput = try? FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try? process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { return nil }
        }
        return directory
    }()

    static let numpy: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import numpy, scipy"]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    @Test(.enabled(if: scripts != nil, "no hyperfine checkout with scripts/ (set METRON_HYPERFINE_SOURCE)"),
          .enabled(if: numpy, "python3 with numpy and scipy is not installed"))
    func hyperfinesScriptsReadTheExport() throws {
        let json = Binaries.temporaryPath("for-scripts.json")
        #expect(try metron(["exec", "--runs", "12", "--export-json-hyperfine", json, "sleep 0.002", "sleep 0.02"]).status == 0)
        func python(_ script: String) throws -> (Int32, String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", Self.scripts! + "/" + script, json]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = out
            try process.run()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, text)
        }
        let (status, statistics) = try python("advanced_statistics.py")
        #expect(status == 0, "\(statistics)")
        let words = statistics.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("Command 'sleep 0.002' runs: 12") && words.contains("Command 'sleep 0.02' runs: 12"), "\(statistics)")
        // 2 ms against 20 ms: Welch's t-test on the exported times finds the difference.
        let (welchStatus, welch) = try python("welch_ttest.py")
        #expect(welchStatus == 0 && welch.contains("There is a difference between the two benchmarks"), "\(welch)")
    }

    /// The same command lines through hyperfine and `metron exec --shell sh --sequential`: the
    /// same side effects in the same order, the same exit status, the same number of runs.
    @Test(.enabled(if: hyperfine != nil, "hyperfine is not installed"))
    func sideEffectsAndStatusesMatchHyperfine() throws {
        func both(_ arguments: (String) -> [String]) throws -> (theirs: (Int32, String), ours: (Int32, String)) {
            let theirLog = Binaries.temporaryPath("hyperfine.log")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.hyperfine!)
            process.arguments = ["--style", "none"] + arguments(theirLog)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            let ourLog = Binaries.temporaryPath("metron.log")
            let result = try metron(["exec", "--shell", "sh", "--sequential", "--style", "none"] + arguments(ourLog))
            return ((process.terminationStatus, read(theirLog)), (result.status, read(ourLog)))
        }
        let lines: [(String) -> [String]] = [
            { ["--runs", "2", "--warmup", "1", "echo a >> \($0)", "echo b >> \($0)"] },
            { ["--runs", "2", "--setup", "echo setup >> \($0)", "--prepare", "echo prepare >> \($0)",
               "--cleanup", "echo cleanup >> \($0)", "echo run >> \($0)"] },
            { ["--runs", "1", "-L", "x", "1,2", "-L", "y", "a,b", "echo {x}{y} >> \($0)"] },
            { ["--runs", "1", "-P", "n", "1", "3", "echo {n} >> \($0)"] },
            { ["--runs", "3", "echo run >> \($0); exit 1"] },
            { ["--runs", "3", "-i", "echo run >> \($0); exit 1"] },
            { ["--runs", "2", "--prepare", "echo p1 >> \($0)", "--prepare", "echo p2 >> \($0)", "echo 1 >> \($0)", "echo 2 >> \($0)"] },
        ]
        for line in lines {
            let (theirs, ours) = try both(line)
            #expect(ours.0 == theirs.0, "exit status of \(line("LOG"))")
            #expect(ours.1 == theirs.1, "side effects of \(line("LOG"))")
        }
    }
}
