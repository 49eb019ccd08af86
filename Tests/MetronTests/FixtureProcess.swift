import Foundation
import MetronCore

/// Runs the built `metron-inprocess-fixture` executable as a user runs a benchmark executable.
struct FixtureRun {
    var status: Int32
    var stdout: String
    var stderr: String

    /// The JSON report printed with `--format json`.
    func report() throws -> RunReport {
        try decodeReport(Data(stdout.utf8))
    }
}

enum Fixture {
    static let path: String = {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return (executable as NSString).deletingLastPathComponent + "/metron-inprocess-fixture"
    }()

    /// Short runs by default: these tests check what is measured, not how precisely.
    static let quick = ["METRON_WARMUP": "0.02", "METRON_MAX_DURATION": "0.2"]

    static func run(_ arguments: [String], environment: [String: String] = quick,
                    whileRunning: ((Process) -> Void)? = nil) throws -> FixtureRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        for key in env.keys where key.hasPrefix("METRON_") { env[key] = nil }
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let directory = NSTemporaryDirectory() + "metron-tests-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let out = directory + "/" + UUID().uuidString + "-stdout"
        let err = directory + "/" + UUID().uuidString + "-stderr"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: out)
            try? FileManager.default.removeItem(atPath: err)
        }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        whileRunning?(process)
        process.waitUntilExit()
        return FixtureRun(status: process.terminationStatus,
                          stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                          stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    /// Runs the benchmarks matching `filter` and returns the decoded report.
    static func report(_ filter: String, environment: [String: String] = quick) throws -> RunReport {
        let run = try run(["--filter", filter, "--format", "json"], environment: environment)
        return try run.report()
    }

    static func temporaryPath(_ name: String) -> String {
        NSTemporaryDirectory() + "metron-tests-\(getpid())-\(UUID().uuidString)-\(name)"
    }
}

func decodeReport(_ data: Data) throws -> RunReport {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return try decoder.decode(RunReport.self, from: data)
}

extension RunReport {
    func result(_ key: String) -> BenchmarkResult? {
        benchmarks.first { $0.key == key }
    }
}
