import Foundation
import MetronCore
import Testing

/// Metron and hyperfine measure the same sleep side by side: their medians must agree (the
/// median, because a loaded CI machine throws the odd run far out, and that run lands in one
/// tool's mean or the other's by chance). Skipped
/// (and said so) when hyperfine is not installed; `.ci/run` installs it.
@Suite(.serialized)
struct HyperfineAgreementTests {
    static let hyperfine = ["/usr/bin/hyperfine", "/usr/local/bin/hyperfine"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// In alternating rounds, so that a load spike on the machine falls on both tools alike.
    @Test(.enabled(if: hyperfine != nil, "hyperfine is not installed"))
    func mediansAgreeWithHyperfineOnA50msSleep() throws {
        let command = Binaries.workload("sleep", "0.05")
        var theirs: [Double] = []
        var ours: [Double] = []
        for _ in 0..<4 {
            let hyperfineJSON = Binaries.temporaryPath("hyperfine.json")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.hyperfine!)
            process.arguments = ["-N", "--runs", "8", "--warmup", "1", "--style", "none", "--export-json", hyperfineJSON, command]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            let hyperfine = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: hyperfineJSON))) as? [String: Any]
            let results = try #require(hyperfine?["results"] as? [[String: Any]])
            theirs += try #require(results.first?["times"] as? [Double])

            let json = Binaries.temporaryPath("metron.json")
            let result = try metron(["exec", "--runs", "8", "--warmup", "1", "--export-json", json, command])
            #expect(result.status == 0)
            ours += try #require(try decodeReport(json).benchmarks.first?.runs.map(\.wallTime))
        }
        func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            return (sorted[(sorted.count - 1) / 2] + sorted[sorted.count / 2]) / 2
        }
        #expect(ours.count == 32 && theirs.count == 32)
        #expect(abs(median(ours) - median(theirs)) / median(theirs) < 0.02, "metron \(median(ours)) s vs hyperfine \(median(theirs)) s")
    }
}
