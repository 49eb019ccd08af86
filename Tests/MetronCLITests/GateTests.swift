import Foundation
import MetronCore
import Testing

/// compare, check and trend on a store with a known regression: a 20 ms sleep that becomes 60 ms.
/// The margins are wide (budget 45 ms) because these tests share two cores with whatever else runs.
@Suite(.serialized)
struct GateTests {
    struct Fixture {
        var directory: String
        var store: String
        var config: String

        func writeConfig(sleep: String, budget: String = "45ms", severity: String = "error") throws {
            try """
                version: 1
                defaults: { runs: 12 }
                suites:
                  naps:
                    budgets:
                      p95: { max: \(budget), severity: \(severity) }
                    benchmarks:
                      - name: nap
                        command: \(Binaries.workload("sleep", sleep))
                """.write(toFile: config, atomically: true, encoding: .utf8)
        }

        func metronIn(_ arguments: [String], environment: [String: String] = [:]) throws -> MetronInvocation {
            try metron(arguments + ["--store", store], environment: environment)
        }
    }

    func fixture() throws -> Fixture {
        let directory = Binaries.temporaryPath("gate")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return Fixture(directory: directory, store: directory + "/s.sqlite", config: directory + "/metron.yml")
    }

    @Test func regressionIsFoundComparedAndGated() throws {
        let f = try fixture()
        try f.writeConfig(sleep: "0.02")
        #expect(try f.metronIn(["run", "--config", f.config]).status == 0)
        #expect(try f.metronIn(["baseline", "save", "main"]).status == 0)

        // Unchanged code: no significant change, the gate passes.
        #expect(try f.metronIn(["run", "--config", f.config]).status == 0)
        let steady = try f.metronIn(["check", "--config", f.config])
        #expect(steady.status == 0, "\(steady.stdout)")
        #expect(steady.stdout.contains("PASS"))

        // 60 ms instead of 20 (plus the workload's start-up on both): >30 % slower, critical; p95 over budget.
        try f.writeConfig(sleep: "0.06")
        #expect(try f.metronIn(["run", "--config", f.config]).status == 0)
        let compare = try f.metronIn(["compare", "--config", f.config])
        #expect(compare.status == 0, "\(compare.stderr)")
        #expect(compare.stdout.contains("Performance has regressed"))
        #expect(compare.stdout.contains("critical"))
        #expect(compare.stdout.contains("change: [+"))
        let json = try f.metronIn(["compare", "--config", f.config, "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let comparisons = object?["comparisons"] as? [[String: Any]]
        #expect(comparisons?.first?["verdict"] as? String == "slower")
        #expect((comparisons?.first?["change"] as? Double ?? 0) > 0.2)

        let check = try f.metronIn(["check", "--config", f.config])
        #expect(check.status == 1)
        #expect(check.stdout.contains("[ERROR] naps/nap: wall_time_p95: "))
        #expect(check.stdout.contains("> 45.0 ms (error)"))
        #expect(check.stdout.contains("regression +"))
        #expect(check.stdout.contains("FAIL"))

        // A warning-level budget only fails with --fail-on warning; the regression still does.
        try f.writeConfig(sleep: "0.06", budget: "45ms", severity: "warning")
        let relaxed = try f.metronIn(["check", "--config", f.config, "--baseline", "none-such"])
        #expect(relaxed.status == 0, "\(relaxed.stdout)")
        #expect(try f.metronIn(["check", "--config", f.config, "--baseline", "none-such", "--fail-on", "warning"]).status == 1)

        let trend = try f.metronIn(["trend", "naps/nap", "--window", "2"])
        #expect(trend.status == 0, "\(trend.stderr)")
        #expect(trend.stdout.contains("DEGRADED"))
    }

    /// Reports of a stored regression in every format, recommendations, and the GitHub job summary.
    @Test func reportsRecommendationsAndTheJobSummary() throws {
        let f = try fixture()
        try f.writeConfig(sleep: "0.02")
        #expect(try f.metronIn(["run", "--config", f.config]).status == 0)
        #expect(try f.metronIn(["baseline", "save", "main"]).status == 0)
        try f.writeConfig(sleep: "0.06")
        #expect(try f.metronIn(["run", "--config", f.config]).status == 0)

        let summary = f.directory + "/summary.md"
        let check = try f.metronIn(["check", "--config", f.config], environment: ["GITHUB_STEP_SUMMARY": summary])
        #expect(check.status == 1)
        _ = try f.metronIn(["compare", "--config", f.config], environment: ["GITHUB_STEP_SUMMARY": summary])
        let markdown = try String(contentsOfFile: summary, encoding: .utf8)
        #expect(markdown.contains("❌"), "\(markdown)")
        #expect(markdown.contains("naps/nap"))
        #expect(markdown.components(separatedBy: "## ").count >= 3, "check and compare each append a section:\n\(markdown)")

        let html = f.directory + "/report.html"
        let written = try f.metronIn(["report", "--config", f.config, "--output", html])
        #expect(written.status == 0, "\(written.stderr)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.contains("naps/nap"))
        #expect(page.contains("✘ FAIL"))
        let csv = try f.metronIn(["report", "--format", "csv", "--config", f.config])
        #expect(csv.stdout.hasPrefix("benchmark_id,suite,start_time,duration_s,iterations,status,mean_s,p95_s"))
        #expect(csv.stdout.contains("naps/nap,naps,"))
        let junit = try f.metronIn(["report", "--format", "junit", "--config", f.config])
        #expect(junit.stdout.contains("<failure"))
        let json = try f.metronIn(["report", "--format", "json", "--config", f.config])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect((object?["checks"] as? [Any])?.isEmpty == false)
        #expect(try f.metronIn(["report", "--format", "pdf"]).status == 2)

        let recommend = try f.metronIn(["recommend"])
        #expect(recommend.status == 0, "\(recommend.stderr)")
        // A sleep is the textbook waiting benchmark: idle CPU, no storage traffic.
        #expect(recommend.stdout.contains("Mostly waiting"), "\(recommend.stdout)")
    }

    @Test func usageErrorsOfTheGateExit2() throws {
        let f = try fixture()
        try f.writeConfig(sleep: "0.01")
        #expect(try f.metronIn(["check", "--config", f.config]).status == 2, "nothing stored yet")
        #expect(try f.metronIn(["compare", "--baseline", "nope"]).status == 2)
        #expect(try f.metronIn(["check", "--config", f.config, "--fail-on", "sometimes"]).status == 2)
        try "suites: [".write(toFile: f.config, atomically: true, encoding: .utf8)
        let bad = try f.metronIn(["check", "--config", f.config])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("\(f.config):"))
    }

    @Test func differentMachinesAreRefusedWithoutConsent() throws {
        let f = try fixture()
        let json = f.directory + "/a.json"
        #expect(try metron(["exec", "--runs", "3", "--name", "n", "--export-json", json, Binaries.workload("noop")]).status == 0)
        var other = try decodeReport(json)
        other.id = "other-machine"
        other.machine?.cpuModel = "A different CPU"
        let encoder = JSONEncoder()
        try encoder.encode(other).write(to: URL(fileURLWithPath: f.directory + "/b.json"))
        let refused = try f.metronIn(["compare", "--baseline", json, "--current", f.directory + "/b.json"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("different machines"))
        let allowed = try f.metronIn(["compare", "--baseline", json, "--current", f.directory + "/b.json", "--allow-different-machines"])
        #expect(allowed.status == 0)
        #expect(allowed.stdout.contains("WARNING: the runs come from different machines"))
    }
}
