import Foundation
import Testing
@testable import MetronCore

struct RunReportCodingTests {
    @Test func roundTripsThroughJSON() throws {
        let run = CommandRun(wallTime: 0.1, userTime: 0.01, systemTime: 0.02, peakRSS: 1 << 20, writeChars: 5)
        let result = BenchmarkResult(
            name: "sleep", kind: .command, command: "sleep 0.1", parameters: [Parameter(name: "n", value: "1")],
            warmupRuns: 2, metrics: CommandMetrics.summarize([run, run]), runs: [run, run])
        let report = RunReport(id: "abc", metronVersion: "0.1.0", startedAt: Timestamp(secondsSinceEpoch: 1_700_000_000),
                               machine: MachineInfo(hostname: "h", cpuModel: "cpu", logicalCores: 2, memoryBytes: 1 << 30,
                                                    os: "Linux", kernel: "6", architecture: "x86_64"),
                               git: GitInfo(commit: "deadbeef", branch: "main", dirty: false), benchmarks: [result])
        let data = try JSONEncoder().encode(report)
        let decoded = try JSONDecoder().decode(RunReport.self, from: data)
        #expect(decoded == report)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(object?["schemaVersion"] as? Int == RunReport.currentSchemaVersion)
        #expect(object?["startedAt"] as? String == "2023-11-14T22:13:20.000Z")
        let benchmarks = object?["benchmarks"] as? [[String: Any]]
        let metrics = benchmarks?.first?["metrics"] as? [[String: Any]]
        #expect(metrics?.first?["id"] as? String == "wall_time")
        #expect(metrics?.first?["unit"] as? String == "s")
    }

    @Test func fingerprintIgnoresHostname() {
        let a = MachineInfo(hostname: "ci-1", cpuModel: "X", logicalCores: 2, memoryBytes: 8 << 30, os: "D", kernel: "6", architecture: "x86_64")
        var b = a
        b.hostname = "ci-2"
        #expect(a.fingerprint == b.fingerprint)
        b.logicalCores = 4
        #expect(a.fingerprint != b.fingerprint)
    }
}
