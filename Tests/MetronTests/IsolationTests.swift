import Foundation
import MetronCore
import Testing

/// The runner: each benchmark in its own child process, failures reported, output formats,
/// usage errors.
extension FixtureTests {
    @Suite
    struct IsolationTests {
        @Test func crashesAndThrowsAreReportedAndTheOthersSurvive() throws {
            let output = Fixture.temporaryPath("report.json")
            defer { try? FileManager.default.removeItem(atPath: output) }
            let run = try Fixture.run(["--filter", "^(bare|crash fatalError|crash SIGSEGV|throws|never measures|no allocations)$",
                                       "--format", "json", "--output", output])
            #expect(run.status == 1, "some benchmarks failed: \(run.stderr)")
            let report = try run.report()
            #expect(report.benchmarks.map(\.name) == ["no allocations", "bare", "crash fatalError", "crash SIGSEGV", "throws", "never measures"])

            for name in ["no allocations", "bare"] {
                let result = try #require(report.result(name))
                #expect(result.status == .ok)
                #expect(try #require(result.wallTime).count > 1)
            }
            let fatal = try #require(report.result("crash fatalError"))
            #expect(fatal.status == .failed)
            #expect(fatal.message?.contains("signal 4 (SIGILL") == true, "\(fatal.message ?? "")")
            #expect(fatal.message?.contains("Fatal error: boom in the benchmark") == true, "\(fatal.message ?? "")")
            #expect(fatal.metrics.isEmpty)

            let segv = try #require(report.result("crash SIGSEGV"))
            #expect(segv.status == .failed)
            #expect(segv.message?.contains("signal 11 (SIGSEGV)") == true, "\(segv.message ?? "")")

            let threw = try #require(report.result("throws"))
            #expect(threw.status == .failed)
            #expect(threw.message == "threw FixtureError: the disk is on fire")

            let idle = try #require(report.result("never measures"))
            #expect(idle.status == .failed)
            #expect(idle.message?.contains("never called state.measure") == true)

            // --output holds the same report.
            let written = try decodeReport(Data(contentsOf: URL(fileURLWithPath: output)))
            #expect(written == report)
        }

        @Test func aHungBenchmarkIsKilledAtItsTimeout() throws {
            let started = Date()
            let run = try Fixture.run(["--filter", "^(hang|bare)$", "--timeout", "1", "--format", "json"])
            #expect(Date().timeIntervalSince(started) < 10)
            #expect(run.status == 1)
            let report = try run.report()
            #expect(report.result("bare")?.status == .ok)
            let hung = try #require(report.result("hang"))
            #expect(hung.status == .timedOut)
            #expect(hung.message == "killed after the 1.00 s timeout")
        }

        @Test func anInterruptedRunKeepsWhatWasMeasured() throws {
            let output = Fixture.temporaryPath("interrupted.json")
            defer { try? FileManager.default.removeItem(atPath: output) }
            // SIGTERM to the runner alone: the running benchmark finishes, the next never starts.
            let run = try Fixture.run(["--filter", "^(sleep 2ms|bare)$", "--output", output],
                                      environment: ["METRON_WARMUP": "0", "METRON_MAX_DURATION": "1",
                                                    "METRON_SAMPLES": "10000"]) { process in
                usleep(400_000)
                kill(process.processIdentifier, SIGTERM)
            }
            #expect(run.status == 128 + SIGTERM)
            let report = try decodeReport(Data(contentsOf: URL(fileURLWithPath: output)))
            #expect(report.status == .interrupted)
            #expect(report.benchmarks.map(\.name) == ["sleep 2ms"])
            #expect(report.benchmarks.first?.status == .ok)
            #expect(run.stdout.contains("Benchmark 1/2: sleep 2ms"))
        }

        @Test func jsonOutputIsAMetronRunReport() throws {
            let run = try Fixture.run(["--filter", "^linear scan", "--format", "json"])
            #expect(run.status == 0, "\(run.stderr)")
            let report = try run.report()
            #expect(report.schema == RunReport.schemaIdentifier)
            #expect(report.schemaVersion == RunReport.currentSchemaVersion)
            #expect(report.machine != nil)
            #expect(report.finishedAt != nil)
            #expect(report.benchmarks.count == 5)
            for result in report.benchmarks {
                #expect(result.kind == .inProcess)
                #expect(result.suite == "fixture")
                #expect(result.tags == ["complexity"])
                #expect(result.runs.isEmpty)
                #expect(result.warmupRuns > 0)
                let wall = try #require(result.metric(.wallTime))
                #expect(wall.unit == .seconds)
                #expect(wall.statistics.meanCI != nil)
                #expect(result.metric("cpu_time")?.unit == .seconds)
                #expect(result.metric(.peakRSS)?.unit == .bytes)
                // The fixture is built with the tests: a debug build says so.
                #if DEBUG
                #expect(result.warnings.contains { $0.code == .debugBuild && $0.message.hasPrefix("built without optimisation (debug)") })
                #else
                #expect(!result.warnings.contains { $0.code == .debugBuild })
                #endif
            }
            #expect(report.benchmarks.map(\.parameters) == [10, 50, 100, 500, 1000].map { [Parameter(name: "n", value: String($0))] })
        }

        @Test func complexityVerdictsOfKnownScans() throws {
            // Up to three measurements: each size runs in its own process, and a vCPU the
            // hypervisor starves for one of them bends the curve; one clean measurement shows it.
            var run = try Fixture.run(["--filter", "scan"], environment: ["METRON_WARMUP": "0.05", "METRON_MAX_DURATION": "0.3"])
            for _ in 0..<2 where !(run.stdout.contains("linear scan over n: linear, ~") && run.stdout.contains("quadratic scan over n: quadratic, ~")) {
                run = try Fixture.run(["--filter", "scan"], environment: ["METRON_WARMUP": "0.05", "METRON_MAX_DURATION": "0.3"])
            }
            #expect(run.status == 0, "\(run.stderr)")
            // The table's verdicts.
            #expect(run.stdout.contains("linear scan over n: linear, ~"), "\(run.stdout)")
            #expect(run.stdout.contains("quadratic scan over n: quadratic, ~"), "\(run.stdout)")
            #expect(run.stdout.contains("Benchmark 1/10: linear scan [n=10]"))
            #expect(run.stdout.contains("Time (mean ± σ):"))
        }

        @Test func listShowsEveryInstance() throws {
            let run = try Fixture.run(["--list", "--filter", "scan|^lcg"])
            #expect(run.status == 0)
            let lines = run.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 14)
            #expect(lines.first == "lcg [steps=10000]  [timing]")
            #expect(lines.contains("quadratic scan [n=1000]  [complexity]"))
        }

        @Test func helpNamesTheExecutableAndTheEnvironment() throws {
            let run = try Fixture.run(["--help"])
            #expect(run.status == 0)
            #expect(run.stdout.contains("USAGE: metron-inprocess-fixture [--filter <regex> ...]"))
            #expect(run.stdout.contains("METRON_MAX_DURATION"))
            #expect(!run.stdout.contains("metron-child"))
        }

        @Test func usageErrorsExitWithStatus2() throws {
            let badRegex = try Fixture.run(["--filter", "(unclosed"])
            #expect(badRegex.status == 2)
            #expect(badRegex.stderr.hasPrefix("error: invalid regular expression"))

            let noMatch = try Fixture.run(["--filter", "^nothing here$"])
            #expect(noMatch.status == 2)
            #expect(noMatch.stderr.contains("no benchmark matches"))

            let badFormat = try Fixture.run(["--format", "xml"])
            #expect(badFormat.status == 2)
            #expect(badFormat.stderr.contains("xml"))

            let badEnvironment = try Fixture.run(["--filter", "^bare$"], environment: ["METRON_WARMUP": "soon"])
            #expect(badEnvironment.status == 2)
            #expect(badEnvironment.stderr == "error: METRON_WARMUP: expected a duration such as 0.5, 200ms or 2s, got 'soon'\n")

            let badTimeout = try Fixture.run(["--filter", "^bare$", "--timeout", "0"])
            #expect(badTimeout.status == 2)
            #expect(badTimeout.stderr.contains("--timeout"))

            let badSamples = try Fixture.run(["--filter", "^bare$"], environment: ["METRON_SAMPLES": "0"])
            #expect(badSamples.status == 2)
            #expect(badSamples.stderr.contains("METRON_SAMPLES"))
        }

        @Test func environmentOverridesTheSampleCount() throws {
            let report = try Fixture.report("^bare$", environment: ["METRON_SAMPLES": "7", "METRON_WARMUP": "0.01"])
            #expect(try #require(report.result("bare")?.wallTime).count == 7)
            let fixed = try Fixture.report("^bare$", environment: ["METRON_SAMPLES": "3", "METRON_ITERATIONS": "5", "METRON_WARMUP": "0"])
            let result = try #require(fixed.result("bare"))
            #expect(result.wallTime?.count == 3)
            #expect(result.warmupRuns == 0)
        }
    }
}
