import MetronCore
import Testing
@testable import MetronSuite

struct SuiteParserTests {
    static let valid = """
        version: 1
        defaults:
          warmup: 2
          timeout: 30s
        bands: { acceptable: 3%, warning: 10%, critical: 25% }
        suites:
          cli:
            description: start-up
            defaults: { runs: 20 }
            setup: make build
            env: { MODE: fast }
            tags: [smoke]
            budgets:
              mean: 20ms
              p95: { max: 30ms, severity: warning }
            benchmarks:
              - name: help
                command: ./cli --help
                budgets:
                  mean: 25ms
                  max_memory: 64MiB
              - command: ./cli --version
                runs: 5
                env: { MODE: slow, EXTRA: "1" }
          build:
            benchmarks:
              - name: make
                command: make -j{jobs}
                prepare: make clean
                timeout: 10min
                parameters:
                  jobs: [1, 2, 4]
        """

    @Test func parsesEveryLevel() throws {
        let file = try SuiteParser.parse(Self.valid, path: "metron.yml")
        #expect(file.defaults.warmup == 2)
        #expect(file.defaults.timeout == 30)
        #expect(file.bands == RegressionBands(acceptable: 0.03, warning: 0.10, critical: 0.25))
        #expect(file.suites.map(\.name) == ["cli", "build"])
        let cli = try #require(file.suite(named: "cli"))
        #expect(cli.defaults.runs == 20)
        #expect(cli.budgets == [Budget(statistic: .mean, limit: 0.020, severity: .error),
                                Budget(statistic: .p95, limit: 0.030, severity: .warning)])
        #expect(cli.benchmarks.map(\.name) == ["help", "./cli --version"])
        #expect(cli.benchmarks[0].budgets.last == Budget(statistic: .maxMemory, limit: 64 * 1_048_576, severity: .error))
        #expect(file.suite(named: "build")?.benchmarks[0].defaults.timeout == 600)
    }

    @Test func planMergesDefaultsEnvironmentBudgetsAndParameters() throws {
        let file = try SuiteParser.parse(Self.valid, path: "metron.yml")
        let plan = try file.plan()
        #expect(plan.map(\.spec.name) == ["cli/help", "cli/./cli --version", "build/make", "build/make", "build/make"])
        #expect(plan[0].settings.runs == 20 && plan[0].settings.warmup == 2 && plan[0].settings.timeout == 30)
        #expect(plan[1].settings.runs == 5, "a benchmark's own setting wins")
        #expect(plan[1].spec.environment == ["MODE": "slow", "EXTRA": "1"])
        #expect(plan[0].spec.tags == ["smoke"])
        // The benchmark's mean budget replaces the suite's; the suite's p95 still applies.
        #expect(plan[0].budgets.map(\.statistic) == [.p95, .mean, .maxMemory])
        #expect(plan[0].budgets.first { $0.statistic == .mean }?.limit == 0.025)
        #expect(plan.suffix(3).map(\.spec.command) == ["make -j1", "make -j2", "make -j4"])
        #expect(plan[2].spec.prepare == "make clean")

        #expect(try file.plan(suites: ["build"]).count == 3)
        #expect(try file.plan(filter: "help$").map(\.spec.name) == ["cli/help"])
        let overridden = try file.plan(overrides: SuiteOverrides(runs: 3, warmup: 0, timeout: 5))
        #expect(overridden.allSatisfy { $0.settings.runs == 3 && $0.settings.warmup == 0 && $0.settings.timeout == 5 })
    }

    /// Every mistake names file:line:column and what was expected.
    @Test(arguments: [
        ("suites:\n  a:\n    benchmarks:\n      - command: x\n        runs: many\n", 5, 15, "runs must be an integer"),
        ("suites:\n  a:\n    benchmarks:\n      - comand: x\n", 4, 9, "unknown key 'comand'"),
        ("suites:\n  a:\n    budgets:\n      p95: fast\n    benchmarks:\n      - command: x\n", 4, 12, "must be a duration"),
        ("suites:\n  a:\n    budgets:\n      p96: 1s\n    benchmarks:\n      - command: x\n", 4, 7, "unknown key 'p96'"),
        ("suites:\n  a:\n    benchmarks: []\n", 3, 17, "needs 'benchmarks:'"),
        ("defaults:\n  timeout: -3\nsuites: {}\n", 2, 12, "positive duration"),
        ("suites:\n  a:\n    benchmarks:\n      - name: x\n", 4, 9, "needs 'command:'"),
        ("suites:\n  a: [\n", 3, 1, "YAML syntax error"),
        ("version: 2\nsuites: {}\n", 1, 10, "unsupported version"),
        ("suites:\n  a:\n    benchmarks:\n      - command: x\n        min_runs: 5\n        max_runs: 2\n", 4, 9, "max_runs (2) is below min_runs (5)"),
        ("suites:\n  a:\n    budgets:\n      mean: { max: 1s, severity: fatal }\n    benchmarks:\n      - command: x\n", 4, 34, "severity must be warning or error"),
        ("suites:\n  a:\n    benchmarks:\n      - swift: Bench\n        runs: 3\n", 5, 9, "'runs' does not apply to a swift: benchmark target"),
        ("suites:\n  a:\n    benchmarks:\n      - command: x\n        package: .\n", 5, 9, "'package' applies to swift: benchmark targets only"),
        ("suites:\n  a:\n    benchmarks:\n      - swift: a/b\n", 4, 9, "swift: names a benchmark executable target"),
        ("suites:\n  a/b:\n    benchmarks:\n      - command: x\n", 2, 3, "contain no '/'"),
        ("suites:\n  a:\n    benchmarks:\n      - command: x {n}\n        parameters:\n          n: [5, 7, 5]\n", 6, 21, "lists the value '5' twice"),
        ("defaults:\n  timeout: 1e12\nsuites: {}\n", 2, 12, "timeout must be at most"),
    ])
    func errorsAreLocated(yaml: String, line: Int, column: Int, message: String) {
        #expect {
            _ = try SuiteParser.parse(yaml, path: "metron.yml")
        } throws: { error in
            guard let error = error as? SuiteFileError else { return false }
            let matches = error.line == line && error.column == column && error.message.contains(message)
                && error.description.hasPrefix("metron.yml:\(line):\(column): ")
            if !matches { print("got \(error)") }
            return matches
        }
    }

    @Test func quantitiesParseUnits() {
        #expect(Quantities.seconds("250ms") == 0.25)
        #expect(Quantities.seconds("1.5min") == 90)
        #expect(Quantities.seconds("2") == 2)
        #expect(Quantities.seconds("3 parsecs") == nil)
        #expect(Quantities.bytes("512MB") == 512e6)
        #expect(Quantities.bytes("1GiB") == 1_073_741_824)
        #expect(Quantities.percent("5%") == 5)
    }

    @Test func environmentOverridesAreValidated() throws {
        #expect(try SuiteOverrides.fromEnvironment(["METRON_RUNS": "7", "METRON_TIMEOUT": "2s"]) == SuiteOverrides(runs: 7, timeout: 2))
        #expect(throws: SuiteFileError.self) { try SuiteOverrides.fromEnvironment(["METRON_RUNS": "0"]) }
        #expect(throws: SuiteFileError.self) { try SuiteOverrides.fromEnvironment(["METRON_WARMUP": "x"]) }
    }

    @Test func swiftTargetsPlanWithTheirPackageAndBudgets() throws {
        let yaml = """
            suites:
              inproc:
                budgets:
                  mean: 2ms
                benchmarks:
                  - swift: ServiceBenchmarks
                    package: Examples/InProcess
                    filter: registry
                    budgets:
                      p95: 5ms
                  - command: echo hi
            """
        let file = try SuiteParser.parse(yaml, path: "/repo/ci/metron.yml")
        let items = try file.plan()
        #expect(items.count == 2)
        let swift = try #require(items.first?.swift)
        #expect(swift == SwiftTarget(target: "ServiceBenchmarks", package: "/repo/ci/Examples/InProcess", filter: "registry"))
        #expect(items[0].spec.name == "inproc/ServiceBenchmarks")
        #expect(items[0].budgetKey == "inproc/*", "in-process result names are known only after the run")
        #expect(items[0].budgets.map(\.statistic) == [.mean, .p95])
        #expect(items[1].swift == nil)
        #expect(items[1].budgetKey == "inproc/echo hi")
    }
}
