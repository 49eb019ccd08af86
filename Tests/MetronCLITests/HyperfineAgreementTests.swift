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

    @Test(.enabled(if: hyperfine != nil, "hyperfine is not installed"))
    func meansAgreeWithHyperfineOnA50msSleep() throws {
        let command = Binaries.workload("sleep", "0.05")
        let hyperfineJSON = Binaries.temporaryPath("hyperfine.json")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.hyperfine!)
        process.arguments = ["-N", "--runs", "20", "--warmup", "2", "--style", "none", "--export-json", hyperfineJSON, command]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let hyperfine = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: hyperfineJSON))) as? [String: Any]
        let results = try #require(hyperfine?["results"] as? [[String: Any]])
        let theirs = try #require(results.first?["median"] as? Double)

        let json = Binaries.temporaryPath("metron.json")
        let result = try metron(["exec", "--runs", "20", "--warmup", "2", "--export-json", json, command])
        #expect(result.status == 0)
        let ours = try #require(try decodeReport(json).benchmarks[0].wallTime?.median)
        #expect(abs(ours - theirs) / theirs < 0.02, "metron \(ours) s vs hyperfine \(theirs) s")
    }
}
