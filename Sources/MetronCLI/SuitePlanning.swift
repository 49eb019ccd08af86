import MetronCore
import MetronExec
import MetronSuite

/// The suite file's benchmarks as a validated measurement plan; shared by `run` and `monitor`.
enum SuitePlanning {
    static func plan(config: String, suites: [String], filter: String?, environment: [String: String])
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
        let planned = items.map { item in
            PlannedBenchmark(spec: item.spec, inProcess: item.swift.map { inProcess($0, environment: item.spec.environment) },
                             settings: item.settings, group: item.suite,
                             groupSetup: file.suite(named: item.suite)?.setup,
                             groupCleanup: file.suite(named: item.suite)?.cleanup)
        }
        try MeasurementSession.validate(planned)
        return planned
    }

    /// A Swift benchmark target's benchmarks: built in release and run when the session gets to them.
    private static func inProcess(_ swift: SwiftTarget, environment: [String: String]) -> InProcessBenchmarks {
        InProcessBenchmarks(target: swift.target) {
            let targets = SwiftBenchmarkTargets(packagePath: swift.package, names: [swift.target])
            return try targets.run(target: swift.target, filters: swift.filter.map { [$0] } ?? [], environment: environment).0
        }
    }
}
