import Foundation
import MetronCore
import MetronJSON
import MetronExec
import MetronReport
import MetronRunner

/// The in-process benchmark executables of a SwiftPM package, as package-benchmark finds them:
/// executable targets whose sources live under `Benchmarks/`. `metron run --package` builds them
/// in release mode and runs each (every benchmark in its own child process, see docs/inprocess.md),
/// collecting their JSON into one run.
struct SwiftBenchmarkTargets {
    var packagePath: String
    var names: [String]

    /// Targets under `Benchmarks/` that are executables, from `swift package describe`.
    static func discover(packagePath: String, only: [String] = []) throws -> SwiftBenchmarkTargets {
        guard FileManager.default.fileExists(atPath: (packagePath as NSString).appendingPathComponent("Package.swift")) else {
            throw UsageFailure("no Package.swift in '\(packagePath)'")
        }
        guard let described = ProcessCapture.run(["swift", "package", "--package-path", packagePath, "describe", "--type", "json"],
                                                 showingErrors: true), described.status == 0 else {
            throw UsageFailure("swift package describe failed in '\(packagePath)' (its errors are above)")
        }
        let output = described.stdout
        // describe may print resolution notes before the JSON.
        guard let start = output.firstIndex(of: "{"),
              let object = try? JSONSerialization.jsonObject(with: Data(output[start...].utf8)) as? [String: Any],
              let targets = object["targets"] as? [[String: Any]] else {
            throw UsageFailure("cannot read the description of the package in '\(packagePath)'")
        }
        var names = targets.compactMap { target -> String? in
            guard target["type"] as? String == "executable", let name = target["name"] as? String,
                  let path = target["path"] as? String, path == "Benchmarks" || path.hasPrefix("Benchmarks/") else { return nil }
            return name
        }.sorted()
        if !only.isEmpty {
            let unknown = only.filter { !names.contains($0) }
            guard unknown.isEmpty else {
                throw UsageFailure("no benchmark target \(unknown.map { "'\($0)'" }.joined(separator: ", ")) under Benchmarks/ (found: \(names.joined(separator: ", ")))")
            }
            names = only
        }
        guard !names.isEmpty else {
            throw UsageFailure("no executable targets under Benchmarks/ in '\(packagePath)': put each benchmark executable in Benchmarks/NAME/")
        }
        return SwiftBenchmarkTargets(packagePath: packagePath, names: names)
    }

    /// Builds every target (release) and runs each; a target that fails to build or to run is
    /// one failed result, and the others still run.
    func run(filters: [String], arguments: [String] = [], tags: [String]) throws -> RunReport {
        let binPath = try binDirectory()
        return try Self.report(names, tags: tags, gitDirectory: packagePath) { name in
            print("==> \(name): swift build -c release --product \(name)")
            fflush(nil)
            let build = try Self.inherit(["swift", "build", "-c", "release", "--package-path", packagePath, "--product", name])
            guard build == 0 else {
                return ([Self.failure(name, "swift build -c release --product \(name) failed with status \(build)")], false)
            }
            return try Self.run(name: name, executable: (binPath as NSString).appendingPathComponent(name),
                                filters: filters, arguments: arguments, environment: [:])
        }
    }

    /// Runs executables someone else built (`swift package metron` hands them over, built by
    /// SwiftPM's plugin API), as one run.
    static func run(built: [(name: String, path: String)], filters: [String], arguments: [String],
                    tags: [String]) throws -> RunReport {
        let paths = Dictionary(built.map { ($0.name, $0.path) }, uniquingKeysWith: { $1 })
        return try report(built.map(\.name), tags: tags, gitDirectory: FileManager.default.currentDirectoryPath) { name in
            try run(name: name, executable: paths[name]!, filters: filters, arguments: arguments, environment: [:])
        }
    }

    /// One run of the named executables' results, stopping at an interruption.
    private static func report(_ names: [String], tags: [String], gitDirectory: String,
                               each: (String) throws -> (results: [BenchmarkResult], interrupted: Bool)) rethrows -> RunReport {
        Interruption.install()
        var report = RunReport(
            id: UUID().uuidString.lowercased(), metronVersion: MetronVersion.current,
            startedAt: Timestamp(secondsSinceEpoch: MonotonicClock.wallClockSeconds()),
            machine: MachineInfoCollector.collect(), git: GitInfoCollector.collect(directory: gitDirectory), tags: tags)
        for name in names {
            if Interruption.receivedSignal != nil { break }
            let (results, interrupted) = try each(name)
            report.benchmarks += results
            if interrupted { report.status = .interrupted }
        }
        report.finishedAt = Timestamp(secondsSinceEpoch: MonotonicClock.wallClockSeconds())
        if Interruption.receivedSignal != nil { report.status = .interrupted }
        return report
    }

    /// Builds one target and runs it (a suite's `swift:` entry).
    func run(target name: String, filters: [String], environment: [String: String]) throws -> (results: [BenchmarkResult], interrupted: Bool) {
        print("==> \(name): swift build -c release --product \(name)")
        fflush(nil)
        let build = try Self.inherit(["swift", "build", "-c", "release", "--package-path", packagePath, "--product", name])
        guard build == 0 else {
            return ([Self.failure(name, "swift build -c release --product \(name) failed with status \(build)")], false)
        }
        return try Self.run(name: name, executable: (try binDirectory() as NSString).appendingPathComponent(name),
                            filters: filters, arguments: [], environment: environment)
    }

    /// Runs one built benchmark executable; its results, each in the target's suite unless
    /// declared, or one failed result when it left no results.
    static func run(name: String, executable: String, filters: [String], arguments: [String],
                    environment: [String: String]) throws -> (results: [BenchmarkResult], interrupted: Bool) {
        let json = NSTemporaryDirectory() + "metron-\(UUID().uuidString)-\(name).json"
        defer { try? FileManager.default.removeItem(atPath: json) }
        let status = try inherit([executable, "--format", "table", "--output", json] + filters.flatMap { ["--filter", $0] } + arguments,
                                 environment: environment)
        guard let data = FileManager.default.contents(atPath: json), let results = try? JSONExport.decode(data) else {
            return ([failure(name, "\(name) exited with status \(status) without writing its results")], false)
        }
        let named = results.benchmarks.map { result in
            var result = result
            if result.suite == nil { result.suite = name }
            return result
        }
        return (named, results.status == .interrupted)
    }

    private static func failure(_ name: String, _ message: String) -> BenchmarkResult {
        BenchmarkResult(name: name, kind: .inProcess, suite: name, status: .failed, message: message)
    }

    private func binDirectory() throws -> String {
        guard let output = ProcessCapture.run(["swift", "build", "-c", "release", "--package-path", packagePath, "--show-bin-path"],
                                              showingErrors: true), output.status == 0 else {
            throw UsageFailure("swift build --show-bin-path failed in '\(packagePath)' (its errors are above)")
        }
        return output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs with the terminal: the build's and the benchmarks' own progress show as they happen.
    static func inherit(_ arguments: [String], environment: [String: String] = [:]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
