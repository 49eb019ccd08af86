import Foundation
import MetronCore
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
            PlannedBenchmark(spec: item.spec, swift: item.swift, settings: item.settings, group: item.suite,
                             groupSetup: file.suite(named: item.suite)?.setup,
                             groupCleanup: file.suite(named: item.suite)?.cleanup)
        }
        try MeasurementSession.validate(planned)
        return planned
    }
}
