import Foundation
import Testing

/// The fuzz targets (Sources/metron-fuzz, fuzzed by scripts/fuzz.sh) replayed on the committed
/// seed corpus and on every input a fuzzer once found (Tests/Fuzz/regressions): each must keep
/// the targets' promises — a clear error with its place, or a result that reads back as written.
struct FuzzCorpusTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz").path

    static func inputs(_ target: String) -> [String] {
        ["corpus", "regressions"].flatMap { folder -> [String] in
            let directory = "\(root)/\(folder)/\(target)"
            return ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted().map { "\(directory)/\($0)" }
        }
    }

    @Test(arguments: ["suite", "import", "report"])
    func savedInputsKeepThePromises(target: String) throws {
        let files = Self.inputs(target)
        #expect(files.count >= 1, "no seed inputs for \(target) under \(Self.root)")
        let run = try metron([target] + files, executable: Binaries.productsDirectory + "/metron-fuzz")
        #expect(run.status == 0 && run.stdout.hasSuffix("\(files.count) inputs, 0 broken\n"), "\(run.stdout)\(run.stderr)")
    }

    /// A broken promise is reported, not passed over: a suite input whose parse fails is fine
    /// only while the error has its place, which the replay checks on a real refusal here.
    @Test func refusalsAreCheckedAndUnknownTargetsAreUsageErrors() throws {
        let bad = Binaries.temporaryPath("bad.yml")
        try "version: 1\nsuites:\n  s:\n    benchmarks: 3\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let refused = try metron(["suite", bad], executable: Binaries.productsDirectory + "/metron-fuzz")
        #expect(refused.status == 0 && refused.stdout.contains("1 inputs, 0 broken"), "\(refused.stdout)")
        let unknown = try metron(["yaml", bad], executable: Binaries.productsDirectory + "/metron-fuzz")
        #expect(unknown.status == 2 && unknown.stderr.contains("usage: metron-fuzz suite|import|report"), "\(unknown.stderr)")
    }
}
