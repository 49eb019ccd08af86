import Foundation
import MetronCore
import MetronExec
import MetronRunner
import MetronSuite

/// The suite file's benchmarks as a validated measurement plan; shared by `run` and `monitor`.
enum SuitePlanning {
    /// `valgrind`: every command benchmark also runs once under Valgrind (`metron run --valgrind`),
    /// as `valgrind: true` in the file asks for some.
    static func plan(config: String, suites: [String], filter: String?, environment: [String: String], valgrind: Bool = false)
        throws -> [PlannedBenchmark]
    {
        let file: SuiteFile
        let items: [SuitePlanItem]
        do {
            file = try SuiteFile.load(path: config)
            items = try file.plan(suites: suites, filter: filter, overrides: try SuiteOverrides.fromEnvironment(environment))
        } catch let error as SuiteFileError {
            throw UsageFailure(error.description)
        }
        guard !items.isEmpty else { throw UsageFailure("no benchmark matches --filter '\(filter ?? "")'") }
        var located: String?
        func valgrindPath() throws -> String {
            if let located { return located }
            do {
                located = try ValgrindSimulation.locate()
            } catch {
                throw UsageFailure("\(error) (asked for by \(valgrind ? "--valgrind" : "valgrind: true in \(config)"))")
            }
            return located!
        }
        let planned = try items.map { item in
            var settings = item.settings
            if item.swift == nil && item.harness == nil && (valgrind || settings.valgrind != nil) { settings.valgrind = try valgrindPath() }
            return PlannedBenchmark(spec: item.spec,
                             inProcess: item.swift.map { inProcess($0, environment: item.spec.environment) }
                                ?? item.harness.map { harness($0, name: item.spec.name, environment: item.spec.environment) },
                             settings: settings, group: item.suite,
                             groupSetup: file.suite(named: item.suite)?.setup,
                             groupCleanup: file.suite(named: item.suite)?.cleanup)
        }
        try MeasurementSession.validate(planned)
        return planned
    }

    /// Another harness's benchmarks: its command run once in the suite file's directory, then
    /// the results it wrote imported. A failing command, or results older than the command
    /// (left from an earlier run), are the entry's failure, not stale figures.
    static func harness(_ harness: HarnessImport, name: String, environment: [String: String]) -> InProcessBenchmarks {
        InProcessBenchmarks(target: (name as NSString).lastPathComponent) {
            print("==> \(name): \(harness.command)")
            fflush(nil)
            let started = Date()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", harness.command]
            process.currentDirectoryURL = URL(fileURLWithPath: harness.directory)
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            try process.run()
            process.waitUntilExit()
            guard process.terminationReason == .exit, process.terminationStatus == 0 else {
                throw UsageFailure("'\(harness.command)' failed with status \(process.terminationStatus); nothing was imported")
            }
            let path = harness.path.hasPrefix("/") ? harness.path : (harness.directory as NSString).appendingPathComponent(harness.path)
            // The file system's clock may round down: allow a second.
            let report = try PeerImportReader.read(path, format: harness.format, machine: nil, git: nil, since: started.addingTimeInterval(-1))
            guard !report.benchmarks.isEmpty else { throw UsageFailure("'\(path)': no results written by '\(harness.command)'") }
            return report.benchmarks.map { result in
                var result = result
                result.suite = nil
                return result
            }
        }
    }

    /// A Swift benchmark target's benchmarks: built in release and run when the session gets to them.
    private static func inProcess(_ swift: SwiftTarget, environment: [String: String]) -> InProcessBenchmarks {
        InProcessBenchmarks(target: swift.target) {
            let targets = SwiftBenchmarkTargets(packagePath: swift.package, names: [swift.target])
            return try targets.run(target: swift.target, filters: swift.filter.map { [$0] } ?? [], environment: environment).0
        }
    }
}
