import MetronCore
import MetronImport
import Yams

/// A mistake in a suite file, located at file:line:column.
public struct SuiteFileError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var line: Int
    public var column: Int
    public var message: String

    public var description: String { "\(path):\(line):\(column): \(message)" }
}

/// Reads `metron.yml`. Walks Yams' node tree rather than decoding, so that every error — a
/// wrong type, an unknown key, a bad duration — points at the exact line and column.
public enum SuiteParser {
    public static func parse(_ text: String, path: String) throws -> SuiteFile {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw SuiteFileError(path: path, line: 1, column: 1, message: "the file is empty; expected a mapping with 'suites:'")
            }
            root = node
        } catch let error as SuiteFileError {
            throw error
        } catch let error as YamlError {
            throw syntaxError(error, path: path)
        }
        return try Reader(path: path).file(root)
    }

    static func syntaxError(_ error: YamlError, path: String) -> SuiteFileError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return SuiteFileError(path: path, line: mark.line, column: mark.column, message: "YAML syntax error: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, _):
            return SuiteFileError(path: path, line: 1, column: 1, message: "duplicated keys: \(duplicates.joined(separator: ", "))")
        default:
            return SuiteFileError(path: path, line: 1, column: 1, message: "YAML error: \(error)")
        }
    }
}

private struct Reader {
    let path: String

    func fail(_ node: Node?, _ message: String) -> SuiteFileError {
        SuiteFileError(path: path, line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1, message: message)
    }

    /// A mapping's entries with string keys, rejecting keys not in `allowed`.
    func mapping(_ node: Node, _ what: String, allowed: Set<String>) throws -> [(key: String, keyNode: Node, value: Node)] {
        guard case .mapping(let mapping) = node else { throw fail(node, "\(what) must be a mapping") }
        var entries: [(String, Node, Node)] = []
        var seen = Set<String>()
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else { throw fail(keyNode, "keys of \(what) must be strings") }
            guard allowed.contains(key) else {
                throw fail(keyNode, "unknown key '\(key)' in \(what); expected one of: \(allowed.sorted().joined(separator: ", "))")
            }
            guard seen.insert(key).inserted else { throw fail(keyNode, "'\(key)' appears twice in \(what)") }
            entries.append((key, keyNode, value))
        }
        return entries.map { (key: $0.0, keyNode: $0.1, value: $0.2) }
    }

    func string(_ node: Node, _ what: String) throws -> String {
        guard let scalar = node.scalar else { throw fail(node, "\(what) must be a string") }
        return scalar.string
    }

    func int(_ node: Node, _ what: String, minimum: Int) throws -> Int {
        guard let text = node.scalar?.string, let value = Int(text) else { throw fail(node, "\(what) must be an integer") }
        guard value >= minimum else { throw fail(node, "\(what) must be at least \(minimum), got \(value)") }
        return value
    }

    func bool(_ node: Node, _ what: String) throws -> Bool {
        switch node.scalar?.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw fail(node, "\(what) must be true or false")
        }
    }

    func seconds(_ node: Node, _ what: String) throws -> Double {
        guard let text = node.scalar?.string, let value = Quantities.seconds(text), value > 0 else {
            throw fail(node, "\(what) must be a positive duration (e.g. 30, 250ms, 2s, 1.5min)")
        }
        return value
    }

    func stringList(_ node: Node, _ what: String) throws -> [String] {
        if let scalar = node.scalar { return [scalar.string] }
        guard case .sequence(let sequence) = node else { throw fail(node, "\(what) must be a list of strings") }
        return try sequence.map { try string($0, "an entry of \(what)") }
    }

    func environment(_ node: Node) throws -> [String: String] {
        var result: [String: String] = [:]
        guard case .mapping(let mapping) = node else { throw fail(node, "env must be a mapping of NAME: value") }
        for (key, value) in mapping {
            guard let name = key.scalar?.string, !name.isEmpty, !name.contains("=") else {
                throw fail(key, "environment variable names must be non-empty strings without '='")
            }
            result[name] = try string(value, "the value of \(name)")
        }
        return result
    }

    static let defaultsKeys: Set<String> = ["runs", "min_runs", "max_runs", "warmup", "timeout", "shell", "ignore_failure", "valgrind"]

    func defaults(_ node: Node, _ what: String) throws -> RunDefaults {
        var defaults = RunDefaults()
        for entry in try mapping(node, what, allowed: Self.defaultsKeys) {
            try apply(entry.key, entry.value, to: &defaults)
        }
        try checkRunBounds(defaults, node)
        return defaults
    }

    func apply(_ key: String, _ value: Node, to defaults: inout RunDefaults) throws {
        switch key {
        case "runs": defaults.runs = try int(value, "runs", minimum: 1)
        case "min_runs": defaults.minRuns = try int(value, "min_runs", minimum: 1)
        case "max_runs": defaults.maxRuns = try int(value, "max_runs", minimum: 1)
        case "warmup": defaults.warmup = try int(value, "warmup", minimum: 0)
        case "timeout":
            let timeout = try seconds(value, "timeout")
            if let problem = ExecSettings.timeoutProblem(timeout) { throw fail(value, "timeout \(problem)") }
            defaults.timeout = timeout
        case "shell": defaults.shell = ShellChoice(parsing: try string(value, "shell"))
        case "ignore_failure": defaults.ignoreFailure = try bool(value, "ignore_failure")
        case "valgrind": defaults.valgrind = try bool(value, "valgrind")
        default: break
        }
    }

    func checkRunBounds(_ defaults: RunDefaults, _ node: Node) throws {
        if let minRuns = defaults.minRuns, let maxRuns = defaults.maxRuns, maxRuns < minRuns {
            throw fail(node, "max_runs (\(maxRuns)) is below min_runs (\(minRuns))")
        }
    }

    func bands(_ node: Node) throws -> RegressionBands {
        func percentages(_ node: Node, _ what: String, allowed: Set<String>) throws -> [String: Double] {
            var values: [String: Double] = [:]
            for entry in try mapping(node, what, allowed: allowed) where entry.key != "deterministic" {
                guard let text = entry.value.scalar?.string, let percent = Quantities.percent(text), percent >= 0 else {
                    throw fail(entry.value, "\(what).\(entry.key) must be a percentage, e.g. 5%")
                }
                values[entry.key] = percent / 100
            }
            return values
        }
        let grades: Set<String> = ["acceptable", "warning", "critical"]
        let values = try percentages(node, "bands", allowed: grades.union(["deterministic"]))
        var deterministic: [String: Double] = [:]
        var deterministicNode: Node?
        for entry in try mapping(node, "bands", allowed: grades.union(["deterministic"])) where entry.key == "deterministic" {
            deterministic = try percentages(entry.value, "bands.deterministic", allowed: grades)
            deterministicNode = entry.value
        }
        let defaults = RegressionBands()
        let bands = RegressionBands(acceptable: values["acceptable"] ?? defaults.acceptable,
                                    warning: values["warning"] ?? defaults.warning,
                                    critical: values["critical"] ?? defaults.critical,
                                    deterministicAcceptable: deterministic["acceptable"] ?? defaults.deterministicAcceptable,
                                    deterministicWarning: deterministic["warning"] ?? defaults.deterministicWarning,
                                    deterministicCritical: deterministic["critical"] ?? defaults.deterministicCritical)
        guard bands.acceptable <= bands.warning, bands.warning <= bands.critical else {
            throw fail(node, "bands must grow: acceptable ≤ warning ≤ critical")
        }
        guard bands.deterministicAcceptable <= bands.deterministicWarning, bands.deterministicWarning <= bands.deterministicCritical else {
            throw fail(deterministicNode ?? node, "bands.deterministic must grow: acceptable ≤ warning ≤ critical")
        }
        return bands
    }

    func budgets(_ node: Node) throws -> [Budget] {
        let allowed = Set(BudgetStatistic.allCases.map(\.rawValue))
        var result: [Budget] = []
        for entry in try mapping(node, "budgets", allowed: allowed) {
            let statistic = BudgetStatistic(rawValue: entry.key)!
            var severity = Severity.error
            var limitNode = entry.value
            if case .mapping = entry.value {
                var limit: Node?
                for field in try mapping(entry.value, "budget '\(entry.key)'", allowed: ["max", "min", "limit", "severity"]) {
                    switch field.key {
                    case "severity":
                        guard let parsed = Severity(rawValue: try string(field.value, "severity")) else {
                            throw fail(field.value, "severity must be warning or error")
                        }
                        severity = parsed
                    default:
                        limit = field.value
                    }
                }
                guard let limit else { throw fail(entry.value, "budget '\(entry.key)' needs max: (or min: for \(BudgetStatistic.minOpsPerSecond.rawValue))") }
                limitNode = limit
            }
            result.append(Budget(statistic: statistic, limit: try limitValue(limitNode, statistic), severity: severity))
        }
        return result
    }

    func limitValue(_ node: Node, _ statistic: BudgetStatistic) throws -> Double {
        guard let text = node.scalar?.string else { throw fail(node, "the limit of '\(statistic.rawValue)' must be a value") }
        let value: Double?
        let expected: String
        switch statistic {
        case .mean, .median, .p95, .p99:
            value = Quantities.seconds(text)
            expected = "a duration (e.g. 250ms, 1.2s)"
        case .maxMemory:
            value = Quantities.bytes(text)
            expected = "a size (e.g. 512MB, 1GiB)"
        case .cpuPercent, .maxOverheadPercent:
            value = Quantities.percent(text)
            expected = "a percentage (e.g. 70%)"
        case .minOpsPerSecond:
            value = Double(text.trimmingWhitespace())
            expected = "a number of operations per second"
        case .maxInstructions, .maxEstimatedCycles:
            value = Quantities.count(text)
            expected = "a count (e.g. 12M, 800k)"
        }
        guard let value, value >= 0 else { throw fail(node, "the limit of '\(statistic.rawValue)' must be \(expected), got '\(text)'") }
        return value
    }

    func parameters(_ node: Node) throws -> [ParameterExpansion.Axis] {
        guard case .mapping(let mapping) = node else { throw fail(node, "parameters must map names to lists of values") }
        var axes: [ParameterExpansion.Axis] = []
        for (key, value) in mapping {
            guard let name = key.scalar?.string else { throw fail(key, "parameter names must be strings") }
            guard case .sequence(let sequence) = value, !sequence.isEmpty else {
                throw fail(value, "parameter '\(name)' must be a non-empty list of values")
            }
            let values = try sequence.map { try string($0, "a value of parameter '\(name)'") }
            var seen = Set<String>()
            for (item, text) in zip(sequence, values) where !seen.insert(text).inserted {
                throw fail(item, "parameter '\(name)' lists the value '\(text)' twice: two benchmarks would have the same key")
            }
            do {
                axes.append(try ParameterExpansion.list(name: name, commaSeparated: values.joined(separator: ",")))
                axes[axes.count - 1].values = values
            } catch let error as ParameterExpansion.ExpansionError {
                throw fail(key, error.description)
            }
        }
        return axes
    }

    func file(_ root: Node) throws -> SuiteFile {
        var file = SuiteFile(path: path, defaults: RunDefaults(), bands: RegressionBands(), suites: [])
        var suitesNode: Node?
        for entry in try mapping(root, "the suite file", allowed: ["version", "defaults", "bands", "suites"]) {
            switch entry.key {
            case "version":
                guard entry.value.scalar?.string == "1" else { throw fail(entry.value, "unsupported version; this metron reads version 1") }
            case "defaults": file.defaults = try defaults(entry.value, "defaults")
            case "bands": file.bands = try bands(entry.value)
            case "suites": suitesNode = entry.value
            default: break
            }
        }
        guard let suitesNode else { throw fail(root, "missing 'suites:' (a mapping of suite name to suite)") }
        for entry in try mapping(suitesNode, "suites", allowed: Set(suiteNames(suitesNode))) {
            // Results are keyed "suite/benchmark": a '/' in a suite name would make suite "a/b" with
            // benchmark "c" and suite "a" with benchmark "b/c" the same key.
            if entry.key.contains("/") || entry.key.isEmpty {
                throw fail(entry.keyNode, "suite name '\(entry.key)' must be non-empty and contain no '/' (results are keyed suite/benchmark)")
            }
            file.suites.append(try suite(name: entry.key, entry.value))
        }
        guard !file.suites.isEmpty else { throw fail(suitesNode, "'suites:' declares no suite") }
        return file
    }

    private func suiteNames(_ node: Node) -> [String] {
        guard case .mapping(let mapping) = node else { return [] }
        return mapping.keys.compactMap { $0.scalar?.string }
    }

    static let suiteKeys: Set<String> = ["description", "defaults", "setup", "cleanup", "prepare", "env", "tags", "budgets", "benchmarks"]
    static let benchmarkKeys: Set<String> = Reader.defaultsKeys.union(
        ["name", "command", "prepare", "setup", "cleanup", "env", "tags", "budgets", "parameters", "swift", "package", "filter", "import"])
    /// What a `swift:` entry may say: the rest describes how to run a command.
    static let swiftKeys: Set<String> = ["swift", "package", "filter", "env", "tags", "budgets"]
    /// What an `import:` entry may say: the harness runs its own repetitions.
    static let importKeys: Set<String> = ["name", "command", "import", "env", "tags", "budgets"]

    func suite(name: String, _ node: Node) throws -> Suite {
        var suite = Suite(name: name, description: nil, defaults: RunDefaults(), setup: nil, cleanup: nil, prepare: nil,
                          environment: [:], tags: [], budgets: [], benchmarks: [])
        var benchmarksNode: Node?
        for entry in try mapping(node, "suite '\(name)'", allowed: Self.suiteKeys) {
            switch entry.key {
            case "description": suite.description = try string(entry.value, "description")
            case "defaults": suite.defaults = try defaults(entry.value, "defaults of suite '\(name)'")
            case "setup": suite.setup = try string(entry.value, "setup")
            case "cleanup": suite.cleanup = try string(entry.value, "cleanup")
            case "prepare": suite.prepare = try string(entry.value, "prepare")
            case "env": suite.environment = try environment(entry.value)
            case "tags": suite.tags = try stringList(entry.value, "tags")
            case "budgets": suite.budgets = try budgets(entry.value)
            case "benchmarks": benchmarksNode = entry.value
            default: break
            }
        }
        guard let benchmarksNode, case .sequence(let sequence) = benchmarksNode, !sequence.isEmpty else {
            throw fail(benchmarksNode ?? node, "suite '\(name)' needs 'benchmarks:', a non-empty list")
        }
        var names = Set<String>()
        for item in sequence {
            let benchmark = try benchmark(item, suite: name)
            guard names.insert(benchmark.name).inserted else {
                throw fail(item, "benchmark '\(benchmark.name)' is declared twice in suite '\(name)'")
            }
            suite.benchmarks.append(benchmark)
        }
        return suite
    }

    func benchmark(_ node: Node, suite: String) throws -> SuiteBenchmark {
        var name: String?
        var command: String?
        var benchmark = SuiteBenchmark(name: "", command: "", defaults: RunDefaults(), environment: [:], tags: [],
                                       budgets: [], parameters: [], line: node.mark?.line ?? 1)
        var swift: String?
        var package: String?
        var filter: String?
        let entries = try mapping(node, "a benchmark of suite '\(suite)'", allowed: Self.benchmarkKeys)
        let isSwift = entries.contains { $0.key == "swift" }
        let importNode = entries.first { $0.key == "import" }
        if let importNode, isSwift { throw fail(importNode.keyNode, "'import' does not apply to a swift: benchmark target") }
        for entry in entries {
            if importNode != nil && !Self.importKeys.contains(entry.key) {
                throw fail(entry.keyNode, "'\(entry.key)' does not apply to a benchmark that imports another harness's results "
                           + "(allowed: \(Self.importKeys.sorted().joined(separator: ", ")))")
            }
            if isSwift && !Self.swiftKeys.contains(entry.key) {
                throw fail(entry.keyNode, "'\(entry.key)' does not apply to a swift: benchmark target (allowed: \(Self.swiftKeys.sorted().joined(separator: ", ")))")
            }
            if !isSwift && ["package", "filter"].contains(entry.key) {
                throw fail(entry.keyNode, "'\(entry.key)' applies to swift: benchmark targets only")
            }
            switch entry.key {
            case "name": name = try string(entry.value, "name")
            case "command": command = try string(entry.value, "command")
            case "swift": swift = try string(entry.value, "swift")
            case "package": package = try string(entry.value, "package")
            case "filter": filter = try string(entry.value, "filter")
            case "prepare": benchmark.prepare = try string(entry.value, "prepare")
            case "setup": benchmark.setup = try string(entry.value, "setup")
            case "cleanup": benchmark.cleanup = try string(entry.value, "cleanup")
            case "env": benchmark.environment = try environment(entry.value)
            case "tags": benchmark.tags = try stringList(entry.value, "tags")
            case "budgets": benchmark.budgets = try budgets(entry.value)
            case "parameters": benchmark.parameters = try parameters(entry.value)
            case "import": break
            default: try apply(entry.key, entry.value, to: &benchmark.defaults)
            }
        }
        if let swift {
            guard !swift.trimmingWhitespace().isEmpty, !swift.contains("/") else {
                throw fail(node, "swift: names a benchmark executable target (e.g. swift: MyBenchmarks)")
            }
            benchmark.swift = SwiftTarget(target: swift, package: package ?? ".", filter: filter)
            benchmark.name = swift
            return benchmark
        }
        try checkRunBounds(benchmark.defaults, node)
        guard let command, !command.trimmingWhitespace().isEmpty else {
            throw fail(node, "a benchmark of suite '\(suite)' needs 'command:' (or 'swift:' for a Swift benchmark target)")
        }
        benchmark.command = command
        benchmark.name = name ?? command
        if let importNode {
            let (format, path) = try harnessImport(importNode.value)
            benchmark.harness = HarnessImport(command: command, format: format, path: path, directory: "")
        }
        return benchmark
    }

    /// `import: { format: FORMAT, path: PATH }`.
    func harnessImport(_ node: Node) throws -> (PeerFormat, String) {
        var format: PeerFormat?
        var path: String?
        for entry in try mapping(node, "import", allowed: ["format", "path"]) {
            switch entry.key {
            case "format":
                let text = try string(entry.value, "format")
                guard let known = PeerFormat(rawValue: text) else {
                    throw fail(entry.value, "unknown format '\(text)': one of " + PeerFormat.allCases.map(\.rawValue).joined(separator: ", "))
                }
                format = known
            case "path": path = try string(entry.value, "path")
            default: break
            }
        }
        guard let format else {
            throw fail(node, "import: needs 'format:', one of " + PeerFormat.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard let path, !path.trimmingWhitespace().isEmpty else { throw fail(node, "import: needs 'path:', where the harness writes its results") }
        return (format, path)
    }
}
