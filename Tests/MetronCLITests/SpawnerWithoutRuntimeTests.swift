import Foundation
import MetronCore
import Testing

/// Release builds drop the Swift runtime from metron-spawner's dependencies (scripts/build-release.sh):
/// it is C and defines the two symbols swiftrt.o refers to. This checks that such a spawner
/// starts and measures, so a change that makes it call into the runtime fails here, not in a release.
@Suite struct SpawnerWithoutRuntimeTests {
    func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func theSpawnerMeasuresWithLibcAlone() throws {
        let directory = Binaries.temporaryPath("bare-spawner")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let spawner = directory + "/metron-spawner"
        try FileManager.default.copyItem(atPath: Binaries.spawner, toPath: spawner)
        let needed = try run(["patchelf", "--print-needed", spawner])
        try #require(needed.status == 0, "patchelf is needed for this test (scripts/test.sh installs it): \(needed.output)")
        for library in needed.output.split(separator: "\n") where !library.hasPrefix("libc.so") {
            let removed = try run(["patchelf", "--remove-needed", String(library), spawner])
            try #require(removed.status == 0, "\(removed.output)")
        }
        #expect(try run(["patchelf", "--print-needed", spawner]).output.split(separator: "\n") == ["libc.so.6"])

        // It starts (the loader finds every symbol) and ends at the end of its request stream.
        let started = try run(["sh", "-c", "\"$0\" </dev/null 3</dev/null 4>/dev/null", spawner])
        #expect(started.status == 0, "\(started.output)")

        let json = directory + "/out.json"
        let result = try metron(["exec", "--runs", "5", "--export-json", json,
                                 Binaries.workload("write", "1000000", "/dev/null")],
                                environment: ["METRON_SPAWNER": spawner])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("not found"), "\(result.stderr)")
        let benchmark = try #require(try decodeReport(json).benchmarks.first)
        #expect(benchmark.runs.count == 5)
        // Measured by this spawner, not by the direct fallback: every run's write counted exactly,
        // and a peak memory of the workload's own (a Swift program, a few MiB), not Metron's ~20 MiB.
        for run in benchmark.runs {
            #expect(run.writeChars == 1_000_000)
            #expect(run.exitCode == 0)
        }
        let peak = try #require(benchmark.metric(.peakRSS)?.statistics.max)
        #expect(peak > 1_000_000 && peak < 15_000_000, "\(peak)")
    }
}
