import Foundation
import MetronCore
import Testing

/// `metron monitor`: periodic runs, each stored, a line per run, alerts on budgets and
/// regressions, and a prompt clean stop on SIGTERM.
@Suite(.serialized)
struct MonitorTests {
    func suiteFile(sleep: String, p95: String) throws -> (config: String, store: String) {
        let directory = Binaries.temporaryPath("monitor")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let config = directory + "/metron.yml"
        try """
            version: 1
            defaults: { runs: 3, warmup: 0 }
            suites:
              naps:
                budgets:
                  p95: { max: \(p95), severity: error }
                benchmarks:
                  - name: nap
                    command: \(Binaries.workload("sleep", sleep))
            """.write(toFile: config, atomically: true, encoding: .utf8)
        return (config, directory + "/s.sqlite")
    }

    @Test func runsOnScheduleStoresEachRunAndAlerts() throws {
        let (config, store) = try suiteFile(sleep: "0.02", p95: "5ms")
        let started = Date()
        let monitor = try metron(["monitor", "--config", config, "--store", store, "--interval", "0.5", "--count", "3",
                                  "--fail-on-alert"])
        let elapsed = Date().timeIntervalSince(started)
        #expect(monitor.status == 1, "--fail-on-alert: \(monitor.stdout) \(monitor.stderr)")
        let lines = monitor.stdout.split(separator: "\n")
        #expect(lines.filter { $0.contains(" run ") && $0.contains("1 benchmark") }.count == 3, "\(monitor.stdout)")
        #expect(lines.filter { $0.contains("ALERT [error] naps/nap: wall_time_p95: ") }.count == 3)
        #expect(monitor.stdout.contains("Done: 3 runs, 3 alerts."))
        // Three runs start 0.5 s apart: at least 1 s from first to last start.
        #expect(elapsed >= 1.0)
        let runs = try metron(["history", "naps/nap", "--store", store, "--json"])
        let entries = try JSONSerialization.jsonObject(with: Data(runs.stdout.utf8)) as? [Any]
        #expect(entries?.count == 3, "every run is stored: \(runs.stdout) \(runs.stderr)")
    }

    @Test func withinBudgetThereAreNoAlerts() throws {
        let (config, store) = try suiteFile(sleep: "0.01", p95: "2s")
        let monitor = try metron(["monitor", "--config", config, "--store", store, "--interval", "0.2", "--count", "2",
                                  "--fail-on-alert"])
        #expect(monitor.status == 0, "\(monitor.stdout) \(monitor.stderr)")
        #expect(!monitor.stdout.contains("ALERT"))
        #expect(monitor.stdout.contains("Done: 2 runs, 0 alerts."))
        #expect(monitor.stdout.contains("regressions against the first run"))
    }

    @Test func sigtermBetweenRunsStopsPromptlyAndCleanly() throws {
        let (config, store) = try suiteFile(sleep: "0.01", p95: "2s")
        var stoppedAfter = 0.0
        let monitor = try metron(["monitor", "--config", config, "--store", store, "--interval", "60", "--duration", "600"]) { process in
            // Wait for the first run's line, then stop it while it waits for the next.
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                if let text = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/fd/1", encoding: .utf8),
                   text.contains("#1 run") { break }
                usleep(50_000)
            }
            usleep(300_000)
            let signalled = Date()
            process.terminate()
            process.waitUntilExit()
            stoppedAfter = Date().timeIntervalSince(signalled)
        }
        #expect(monitor.status == 0, "\(monitor.stdout) \(monitor.stderr)")
        #expect(monitor.stdout.contains("Stopped by SIGTERM after 1 run, 0 alerts."), "\(monitor.stdout)")
        #expect(stoppedAfter < 2, "stopped \(stoppedAfter) s after the signal, not at the next interval")
    }

    @Test func badSchedulesAreUsageErrors() throws {
        let (config, store) = try suiteFile(sleep: "0.01", p95: "2s")
        #expect(try metron(["monitor", "--config", config, "--store", store, "--interval", "0"]).status == 2)
        #expect(try metron(["monitor", "--config", config, "--store", store, "--count", "0"]).status == 2)
        #expect(try metron(["monitor", "--config", "/nonexistent.yml", "--store", store, "--count", "1"]).status == 2)
    }
}
