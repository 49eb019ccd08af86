import Foundation
import MetronCore

/// One command benchmark of a suite file, ready to run: name, command and settings resolved.
public struct SuitePlanItem: Sendable {
    public var suite: String
    /// The command; for a `swift:` target only its name ("suite/Target") and environment count.
    public var spec: CommandSpec
    public var settings: ExecSettings
    public var budgets: [Budget]
    /// Set for a Swift benchmark target, its package path resolved against the suite file.
    public var swift: SwiftTarget?
    /// Set for another harness's results (`import:`), its directory the suite file's.
    public var harness: HarnessImport? = nil

    /// The key the gate finds this item's budgets under: its name, or for a Swift target — whose
    /// result names are known only once it ran — "suite/*", which `BudgetLookup` applies to
    /// every in-process result of the suite.
    public var budgetKey: String { swift == nil && harness == nil ? spec.name : BudgetLookup.suiteWildcard(suite) }
}

/// Environment variables that override a suite file (CI tunes a run without editing it).
public struct SuiteOverrides: Sendable, Equatable {
    public var runs: Int?
    public var warmup: Int?
    public var timeout: Double?

    public init(runs: Int? = nil, warmup: Int? = nil, timeout: Double? = nil) {
        self.runs = runs
        self.warmup = warmup
        self.timeout = timeout
    }

    /// METRON_RUNS, METRON_WARMUP, METRON_TIMEOUT; a malformed value is an error naming it.
    public static func fromEnvironment(_ environment: [String: String]) throws -> SuiteOverrides {
        func int(_ name: String, minimum: Int) throws -> Int? {
            guard let text = environment[name], !text.isEmpty else { return nil }
            guard let value = Int(text), value >= minimum else {
                throw SuiteFileError(path: "$\(name)", line: 1, column: 1, message: "must be an integer ≥ \(minimum), got '\(text)'")
            }
            return value
        }
        var overrides = SuiteOverrides(runs: try int("METRON_RUNS", minimum: 1), warmup: try int("METRON_WARMUP", minimum: 0))
        if let text = environment["METRON_TIMEOUT"], !text.isEmpty {
            guard let value = Quantities.seconds(text), value > 0 else {
                throw SuiteFileError(path: "$METRON_TIMEOUT", line: 1, column: 1, message: "must be a positive duration, got '\(text)'")
            }
            if let problem = ExecSettings.timeoutProblem(value) {
                throw SuiteFileError(path: "$METRON_TIMEOUT", line: 1, column: 1, message: problem)
            }
            overrides.timeout = value
        }
        return overrides
    }
}

/// A benchmark's own budget for a statistic replaces the suite's.
func merged(_ suite: [Budget], _ own: [Budget]) -> [Budget] {
    suite.filter { budget in !own.contains { $0.statistic == budget.statistic } } + own
}

extension SuiteFile {
    /// Reads and parses a suite file; a missing file is an error naming it.
    public static func load(path: String) throws -> SuiteFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SuiteFileError(path: path, line: 1, column: 1, message: "cannot read the suite file (does it exist?)")
        }
        return try SuiteParser.parse(String(decoding: data, as: UTF8.self), path: path)
    }

    /// The benchmarks to run: the named suites (all when empty), filtered by a regular expression
    /// on "suite/name", with file, suite and benchmark defaults merged and overrides applied.
    public func plan(suites names: [String] = [], filter: String? = nil,
                     overrides: SuiteOverrides = SuiteOverrides()) throws -> [SuitePlanItem] {
        for name in names where suite(named: name) == nil {
            throw SuiteFileError(path: path, line: 1, column: 1,
                                 message: "no suite named '\(name)'; the file declares: \(suites.map(\.name).joined(separator: ", "))")
        }
        let regex: Regex<AnyRegexOutput>?
        do {
            regex = try filter.map { try Regex($0) }
        } catch {
            throw SuiteFileError(path: "--filter", line: 1, column: 1, message: "invalid regular expression: \(error)")
        }
        var items: [SuitePlanItem] = []
        for suite in suites where names.isEmpty || names.contains(suite.name) {
            for benchmark in suite.benchmarks {
                let qualified = "\(suite.name)/\(benchmark.name)"
                if let regex, (try? regex.firstMatch(in: qualified)) == nil { continue }
                if var swift = benchmark.swift {
                    let directory = (path as NSString).deletingLastPathComponent
                    if !swift.package.hasPrefix("/") {
                        swift.package = ((directory.isEmpty ? "." : directory) as NSString).appendingPathComponent(swift.package)
                    }
                    let spec = CommandSpec(name: qualified, command: "", environment: suite.environment.merging(benchmark.environment) { $1 },
                                           suite: suite.name, tags: suite.tags + benchmark.tags)
                    items.append(SuitePlanItem(suite: suite.name, spec: spec, settings: ExecSettings(),
                                               budgets: merged(suite.budgets, benchmark.budgets), swift: swift))
                    continue
                }
                if var harness = benchmark.harness {
                    let directory = (path as NSString).deletingLastPathComponent
                    harness.directory = directory.isEmpty ? "." : directory
                    let spec = CommandSpec(name: qualified, command: "", environment: suite.environment.merging(benchmark.environment) { $1 },
                                           suite: suite.name, tags: suite.tags + benchmark.tags)
                    items.append(SuitePlanItem(suite: suite.name, spec: spec, settings: ExecSettings(),
                                               budgets: merged(suite.budgets, benchmark.budgets), harness: harness))
                    continue
                }
                var defaults = self.defaults.overridden(by: suite.defaults).overridden(by: benchmark.defaults)
                defaults.runs = overrides.runs ?? defaults.runs
                defaults.warmup = overrides.warmup ?? defaults.warmup
                defaults.timeout = overrides.timeout ?? defaults.timeout
                let settings = defaults.settings()
                let environment = suite.environment.merging(benchmark.environment) { $1 }
                let combinations = try ParameterExpansion.combinations(benchmark.parameters)
                for parameters in combinations {
                    func substitute(_ text: String?) -> String? { text.map { ParameterExpansion.substitute($0, parameters) } }
                    let spec = CommandSpec(
                        name: qualified, command: ParameterExpansion.substitute(benchmark.command, parameters),
                        parameters: parameters, prepare: substitute(benchmark.prepare ?? suite.prepare),
                        setup: substitute(benchmark.setup), cleanup: substitute(benchmark.cleanup),
                        environment: environment, suite: suite.name, tags: suite.tags + benchmark.tags)
                    items.append(SuitePlanItem(suite: suite.name, spec: spec, settings: settings,
                                               budgets: merged(suite.budgets, benchmark.budgets)))
                }
            }
        }
        return items
    }
}
