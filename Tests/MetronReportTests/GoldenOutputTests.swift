import Foundation
import MetronCore
import MetronJSON
@testable import MetronReport
@preconcurrency import Rainbow
import Testing

/// Every text Metron prints or exports for a fixed run, byte for byte against the files in
/// Golden/: a change to any format shows up as a diff in review. After an intended change,
/// `METRON_UPDATE_GOLDEN=1 swift test --filter GoldenOutputTests` rewrites them (read the diff).
@Suite(.serialized)
struct GoldenOutputTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    /// Two commands measured in interleaved rounds (one with a cold first run and a warning) and
    /// an in-process benchmark with allocations and a custom counter; every number fixed.
    static func run(id: String = "golden-current", slowdown: Double = 1) -> RunReport {
        var report = RunReport(id: id, metronVersion: "0.0.0-golden", startedAt: Timestamp(secondsSinceEpoch: 1_764_000_000),
                               finishedAt: Timestamp(secondsSinceEpoch: 1_764_000_012.5),
                               machine: MachineInfo(hostname: "ci-1", cpuModel: "Test CPU @ 3.0GHz", logicalCores: 2,
                                                    memoryBytes: 8 << 30, os: "Debian 12", kernel: "6.1", architecture: "x86_64"),
                               git: GitInfo(commit: "0123456789abcdef0123456789abcdef01234567", branch: "main", dirty: false),
                               tags: ["golden"])
        report.measuredBy = "metron-spawner protocol 2"
        report.interleaving = Interleaving(seed: 7, rounds: 12)
        func runs(_ base: Double, cold: Bool) -> [CommandRun] {
            (0..<12).map { round in
                let wobble = Double((round * 5) % 7) * 0.01 * base
                var run = CommandRun(wallTime: (round == 0 && cold ? 3 * base : base + wobble) * slowdown,
                                     userTime: base * 0.8, systemTime: base * 0.1, peakRSS: 2 << 20,
                                     peakRSSTree: 2 << 20, readBytes: 0, writeBytes: 4096, readChars: 1000, writeChars: 8192,
                                     voluntaryContextSwitches: 2, involuntaryContextSwitches: 1, minorPageFaults: 120)
                run.round = round
                return run
            }
        }
        let bootstrap = BootstrapOptions(resamples: 500)
        for (name, base, cold) in [("sort small", 0.012, true), ("sort large", 0.031, false)] {
            var result = BenchmarkResult(name: name, kind: .command, command: "sort-tool --size \(name.split(separator: " ")[1])",
                                         warmupRuns: 1, runs: runs(base, cold: cold))
            result.metrics = CommandMetrics.summarize(result.runs, bootstrap: bootstrap)
            result.warnings = MeasurementWarnings.evaluate(runs: result.runs, wallTime: result.wallTime, usedShell: false,
                                                           ignoredFailures: false)
            report.benchmarks.append(result)
        }
        let samples = (0..<20).map { 2.5e-6 * (1 + Double($0 % 4) * 0.01) * slowdown }
        var inProcess = BenchmarkResult(name: "hash", kind: .inProcess, suite: "core", parameters: [Parameter(name: "n", value: "64")],
                                        warmupRuns: 100)
        inProcess.metrics = [
            Metric(id: .wallTime, unit: .seconds, samples: samples, bootstrap: bootstrap),
            Metric(id: .allocations, unit: .count, samples: Array(repeating: 3, count: 20), bootstrap: nil),
            Metric(id: .allocatedBytes, unit: .bytes, samples: Array(repeating: 192, count: 20), bootstrap: nil),
            Metric(id: "cache_hits", unit: .count, samples: Array(repeating: 12.5, count: 20), bootstrap: nil),
        ]
        inProcess.warnings = [MeasurementWarning(.hardwareCountersUnavailable, "hardware counters unavailable here (perf_event_open: Permission denied)")]
        report.benchmarks.append(inProcess)
        return report
    }

    func expectGolden(_ name: String, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = Self.directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["METRON_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let expected = try #require(try? String(contentsOf: file, encoding: .utf8),
                                    "missing \(name): run with METRON_UPDATE_GOLDEN=1", sourceLocation: sourceLocation)
        guard text != expected else { return }
        let got = text.split(separator: "\n", omittingEmptySubsequences: false)
        let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let line = (0..<min(got.count, want.count)).first { got[$0] != want[$0] } ?? min(got.count, want.count)
        let gotLine = line < got.count ? String(got[line]) : "<end>"
        let wantLine = line < want.count ? String(want[line]) : "<end>"
        Issue.record(Comment(rawValue: "\(name) differs from line \(line + 1):\n  got:      \(gotLine)\n  expected: \(wantLine)"),
                     sourceLocation: sourceLocation)
    }

    @Test func terminal() throws {
        Rainbow.enabled = false
        let report = Self.run()
        var text = ""
        for (index, result) in report.benchmarks.enumerated() where result.kind == .command {
            text += TerminalReport.header(index: index + 1, result: result.name, command: result.command) + "\n"
            text += TerminalReport.body(result) + "\n\n"
        }
        text += (TerminalReport.summary(report.benchmarks.filter { $0.kind == .command }) ?? "") + "\n"
        try expectGolden("terminal.txt", text)
    }

    @Test func inProcessTerminal() throws {
        Rainbow.enabled = false
        let results = Self.run().benchmarks.filter { $0.kind == .inProcess }
        let text = InProcessReport.block(results[0], index: 1, total: 1)
            + (InProcessReport.summary(results, scans: InProcessReport.scanFits(results)) ?? "") + "\n"
        try expectGolden("inprocess.txt", text)
    }

    @Test func markdownExport() throws {
        try expectGolden("export.md", MarkupExport.render(Self.run()))
    }

    @Test func csvExport() throws {
        try expectGolden("export.csv", CSVExport.render(Self.run()))
    }

    @Test func jsonExport() throws {
        let json = String(decoding: try JSONExport.render(Self.run()), as: UTF8.self)
        try expectGolden("export.json", json)
        // The golden JSON reads back into the run it came from.
        #expect(try JSONExport.decode(Data(json.utf8)) == Self.run())
    }

    @Test func comparisonMarkdown() throws {
        let baseline = Self.run(id: "golden-baseline")
        let current = Self.run(slowdown: 1.2)
        let comparison = RunComparison.compare(baseline: baseline, current: current)
        try expectGolden("comparison.md", MarkdownReport.comparison(comparison, baseline: baseline, current: current))
    }
}
