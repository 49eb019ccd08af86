import Foundation
import MetronCore
import Testing

/// `metron run --package`: discovery of Benchmarks/ executables, release build, one stored run,
/// and a benchmark executable that dies without results costing only its own results. The
/// package's "benchmarks" are stand-ins that write a known report, so the test checks Metron's
/// plumbing, not the Metron library (MetronTests does that).
@Suite(.serialized)
struct PackageRunTests {
    static func makePackage() throws -> String {
        let root = Binaries.temporaryPath("package")
        let fm = FileManager.default
        for directory in ["Benchmarks/GoodBench", "Benchmarks/DyingBench", "Sources/tool"] {
            try fm.createDirectory(atPath: root + "/" + directory, withIntermediateDirectories: true)
        }
        try """
            // swift-tools-version: 6.1
            import PackageDescription
            let package = Package(name: "fixture", targets: [
                .executableTarget(name: "GoodBench", path: "Benchmarks/GoodBench"),
                .executableTarget(name: "DyingBench", path: "Benchmarks/DyingBench"),
                .executableTarget(name: "tool", path: "Sources/tool"),
            ])
            """.write(toFile: root + "/Package.swift", atomically: true, encoding: .utf8)
        // Copies the report named by FIXTURE_REPORT to --output, as a Metron benchmark executable writes its JSON.
        try """
            import Foundation
            let arguments = CommandLine.arguments
            guard let index = arguments.firstIndex(of: "--output"), let source = ProcessInfo.processInfo.environment["FIXTURE_REPORT"] else { exit(64) }
            let data = FileManager.default.contents(atPath: source)!
            FileManager.default.createFile(atPath: arguments[index + 1], contents: data)
            print("GoodBench ran with", arguments.dropFirst().joined(separator: " "))
            """.write(toFile: root + "/Benchmarks/GoodBench/main.swift", atomically: true, encoding: .utf8)
        try "import Foundation\nexit(3)\n".write(toFile: root + "/Benchmarks/DyingBench/main.swift", atomically: true, encoding: .utf8)
        try "print(\"not a benchmark\")\n".write(toFile: root + "/Sources/tool/main.swift", atomically: true, encoding: .utf8)
        return root
    }

    @Test func discoversBuildsRunsAndStoresOneRun() throws {
        let package = try Self.makePackage()
        let report = package + "/inprocess.json"
        let exec = try metron(["exec", "--runs", "3", "--name", "lookup", "--export-json", report, Binaries.workload("noop")])
        try #require(exec.status == 0)
        let store = package + "/s.sqlite"
        let run = try metron(["run", "--package", package, "--store", store, "--filter", "look"],
                             environment: ["FIXTURE_REPORT": report])
        // DyingBench failed, so the run fails; GoodBench's results are stored all the same.
        #expect(run.status == 1, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("GoodBench ran with --format table --output "))
        #expect(run.stdout.contains("--filter look"), "the filter reaches the benchmark executable")
        #expect(!run.stdout.contains("not a benchmark"), "only executables under Benchmarks/ run")
        let history = try metron(["history", "--store", store, "--json"])
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
        #expect(runs.count == 1)
        let latest = try metron(["report", "--format", "json", "--store", store, "--config", "/nonexistent"])
        let data = try #require(try JSONSerialization.jsonObject(with: Data(latest.stdout.utf8)) as? [String: Any])
        let benchmarks = try #require((data["run"] as? [String: Any])?["benchmarks"] as? [[String: Any]])
        let good = try #require(benchmarks.first { $0["name"] as? String == "lookup" })
        #expect(good["suite"] as? String == "GoodBench", "a result's suite defaults to its target")
        let dying = try #require(benchmarks.first { $0["name"] as? String == "DyingBench" })
        #expect(dying["status"] as? String == "failed")
        #expect((dying["message"] as? String)?.contains("exited with status 3") == true)

        let only = try metron(["run", "--package", package, "--store", store, "--target", "GoodBench"],
                              environment: ["FIXTURE_REPORT": report])
        #expect(only.status == 0, "\(only.stderr)")
        let unknown = try metron(["run", "--package", package, "--store", store, "--target", "tool"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no benchmark target 'tool' under Benchmarks/"))
    }

    /// A suite file's `swift:` entry: the target is built and run inside `metron run`, its
    /// results named "suite/benchmark", and the entry's budgets apply to them at the gate.
    @Test func suiteFilesRunSwiftTargetsAndGateThem() throws {
        let package = try Self.makePackage()
        let report = package + "/inprocess.json"
        try #require(try metron(["exec", "--runs", "3", "--name", "lookup", "--export-json", report, Binaries.workload("noop")]).status == 0)
        // As a benchmark executable of the Metron library writes it: in-process results.
        let text = try String(contentsOfFile: report, encoding: .utf8).replacingOccurrences(of: "\"command\"", with: "\"inProcess\"")
        try text.write(toFile: report, atomically: true, encoding: .utf8)
        let config = package + "/metron.yml"
        try """
            version: 1
            suites:
              inproc:
                benchmarks:
                  - swift: GoodBench
                    package: .
                    filter: look
                    budgets:
                      mean: { max: 1us, severity: error }
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let store = package + "/s.sqlite"
        let run = try metron(["run", "--config", config, "--store", store], environment: ["FIXTURE_REPORT": report])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("GoodBench ran with --format table --output "))
        #expect(run.stdout.contains("--filter look"))
        let check = try metron(["check", "--config", config, "--store", store])
        #expect(check.status == 1, "\(check.stdout)\n\(check.stderr)")
        #expect(check.stdout.contains("[ERROR] inproc/lookup: wall_time_mean: "), "\(check.stdout)")
    }

    /// What `swift package metron` does after SwiftPM's plugin API built the executables: it hands
    /// them over as NAME=PATH, with the arguments for them after `--`, and `metron run` runs,
    /// names and stores them as one run (a script stands in for a built benchmark executable).
    @Test func builtExecutablesHandedOverAreRunNamedAndStored() throws {
        let directory = Binaries.temporaryPath("built")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let report = directory + "/inprocess.json"
        try #require(try metron(["exec", "--runs", "3", "--name", "lookup", "--export-json", report, Binaries.workload("noop")]).status == 0)
        let good = directory + "/good", dying = directory + "/dying"
        try """
            #!/bin/sh
            echo "good ran with $*"
            while [ $# -gt 0 ]; do [ "$1" = --output ] && cp "$FIXTURE_REPORT" "$2"; shift; done
            """.write(toFile: good, atomically: true, encoding: .utf8)
        try "#!/bin/sh\nexit 3\n".write(toFile: dying, atomically: true, encoding: .utf8)
        for path in [good, dying] { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path) }
        let store = directory + "/s.sqlite"
        let run = try metron(["run", "--benchmark-executable", "GoodBench=\(good)", "--benchmark-executable", "DyingBench=\(dying)",
                              "--store", store, "--", "--filter", "look"], environment: ["FIXTURE_REPORT": report])
        #expect(run.status == 1, "DyingBench failed: \(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("good ran with --format table --output "))
        #expect(run.stdout.contains("--filter look"), "arguments after -- reach the executables")
        let history = try metron(["history", "--store", store, "--json"])
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
        #expect(runs.count == 1)
        let latest = try metron(["report", "--format", "json", "--store", store, "--config", "/nonexistent"])
        let data = try #require(try JSONSerialization.jsonObject(with: Data(latest.stdout.utf8)) as? [String: Any])
        let benchmarks = try #require((data["run"] as? [String: Any])?["benchmarks"] as? [[String: Any]])
        #expect(benchmarks.first { $0["name"] as? String == "lookup" }?["suite"] as? String == "GoodBench")
        #expect(benchmarks.first { $0["name"] as? String == "DyingBench" }?["status"] as? String == "failed")

        for (arguments, message) in [
            (["--benchmark-executable", "nameonly"], "must be NAME=PATH"),
            (["--benchmark-executable", "x=\(directory)/missing"], "no executable file at"),
            (["--", "--filter", "x"], "arguments after -- go to benchmark executables"),
        ] {
            let refused = try metron(["run", "--store", store] + arguments)
            #expect(refused.status == 2, "\(arguments)")
            #expect(refused.stderr.contains(message), "\(refused.stderr)")
        }
        let after = try metron(["history", "--store", store, "--json"])
        #expect((try JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as? [[String: Any]])?.count == 1,
                "refused invocations store nothing")
    }
}
