import Foundation
import MetronCore
import Testing

/// `--valgrind`: deterministic counts from Valgrind's cache simulation, checked against a
/// program whose instruction count is known, measured twice, and changed by 1 %.
@Suite(.serialized)
struct ValgrindTests {
    /// A loop of exactly 10 instructions per iteration (8 nops, dec, jnz), run argv[1] times.
    static let knownWork = """
        #include <stdlib.h>
        int main(int argc, char **argv) {
            long n = argc > 1 ? atol(argv[1]) : 0;
            if (n > 0) __asm__ volatile("1:\\n\\tnop\\n\\tnop\\n\\tnop\\n\\tnop\\n\\tnop\\n\\tnop\\n\\tnop\\n\\tnop\\n\\tdec %0\\n\\tjnz 1b"
                                        : "+r"(n) :: "cc");
            return 0;
        }
        """

    static func compile(_ source: String, name: String) throws -> String {
        let directory = Binaries.temporaryPath(name)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try source.write(toFile: directory + "/\(name).c", atomically: true, encoding: .utf8)
        let cc = Process()
        cc.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        cc.arguments = ["cc", "-O1", "-g", "-fno-inline", "-o", directory + "/\(name)", directory + "/\(name).c"]
        try cc.run()
        cc.waitUntilExit()
        try #require(cc.terminationStatus == 0, "cc failed")
        return directory + "/\(name)"
    }

    func counts(_ path: String) throws -> [String: Double] {
        let report = try decodeReport(path)
        return Dictionary(report.benchmarks.map { ($0.name, $0.metric(.instructions)?.samples.first ?? -1) }, uniquingKeysWith: { a, _ in a })
    }

    @Test func instructionsOfAKnownProgramAreExactAndRepeatable() throws {
        let loop = try Self.compile(Self.knownWork, name: "known-work")
        let json = Binaries.temporaryPath("valgrind.json")
        let exec = try metron(["exec", "--valgrind", "--runs", "1", "-n", "one", "-n", "two", "-n", "again",
                               "\(loop) 1000000", "\(loop) 2000000", "\(loop) 1000000", "--export-json", json])
        try #require(exec.status == 0, "\(exec.stderr)")
        #expect(exec.stdout.contains("Valgrind (1 run, deterministic):"), "\(exec.stdout)")
        let report = try decodeReport(json)
        let byName = Dictionary(report.benchmarks.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let one = try #require(byName["one"]?.simulations?.first), two = try #require(byName["two"]?.simulations?.first)
        let again = try #require(byName["again"]?.simulations?.first)
        // 1,000,000 more iterations of 10 instructions: within 0.1 % (the rest of the program is
        // the same in both).
        let perIteration = Double(two.instructions - one.instructions) / 1_000_000
        #expect(abs(perIteration / 10 - 1) < 0.001, "\(perIteration) instructions per iteration")
        #expect(one == again, "the same program measured twice counts the same")
        // The timed run is the only wall-time sample; the run under Valgrind is not one.
        #expect(byName["one"]?.metric(.wallTime)?.samples.count == 1)
        #expect(byName["one"]?.metric(.instructions)?.deterministic == true)
        #expect(byName["one"]?.metric(.estimatedCycles).map { $0.samples[0] >= Double(one.instructions) } == true)
    }

    @Test func aOnePercentChangeInWorkIsFoundEveryTime() throws {
        let loop = try Self.compile(Self.knownWork, name: "one-percent")
        let sizes = [300_000, 500_000, 700_000, 900_000, 1_100_000, 1_300_000, 1_500_000, 1_700_000, 1_900_000, 2_100_000]
        func exec(_ factor: Double, _ path: String) throws {
            var arguments = ["exec", "--valgrind", "--runs", "1", "--export-json", path]
            for index in sizes.indices { arguments += ["-n", "trial \(index)"] }
            arguments += sizes.map { "\(loop) \(Int((Double($0) * factor).rounded()))" }
            let result = try metron(arguments)
            try #require(result.status == 0, "\(result.stderr)")
        }
        let base = Binaries.temporaryPath("base.json"), same = Binaries.temporaryPath("same.json")
        let more = Binaries.temporaryPath("more.json")
        try exec(1, base)
        try exec(1, same)
        try exec(1.01, more)
        func verdicts(_ current: String) throws -> [String] {
            let compare = try metron(["compare", "--baseline", base, "--current", current, "--json"])
            try #require(compare.status == 0, "\(compare.stderr)")
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            let comparison = try decoder.decode(RunComparison.self, from: Data(compare.stdout.utf8))
            return comparison.comparisons.filter { $0.metric == .instructions }.map(\.verdict.rawValue)
        }
        #expect(try verdicts(more) == Array(repeating: "slower", count: sizes.count))
        #expect(try verdicts(same) == Array(repeating: "noChange", count: sizes.count))
        #expect(try counts(base) == counts(same), "identical counts in another session")
        // The gate fails the +1 % run on the counts alone (a warning: beyond the deterministic
        // warning band of 0.5 %).
        let store = Binaries.temporaryPath("gate.sqlite")
        for file in [base, more] {
            let imported = try metron(["import", file, "--store", store])
            try #require(imported.status == 0, "\(imported.stderr)")
        }
        let baseID = try decodeReport(base).id
        let named = try metron(["baseline", "save", "main", baseID, "--store", store])
        try #require(named.status == 0, "\(named.stderr)")
        let elsewhere = Binaries.temporaryPath("gate-directory")
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        let check = try metron(["check", "--store", store, "--fail-on", "warning"], directory: elsewhere)
        #expect(check.status == 1 && check.stdout.contains("instructions"), "\(check.stdout)\(check.stderr)")
    }

    @Test func whenValgrindCannotCountTheRestIsStoredAndTheRequestFails() throws {
        let store = Binaries.temporaryPath("refused.sqlite")
        // The program refuses to run under Valgrind (its preload library is in LD_PRELOAD there).
        let refuses = #"case "$LD_PRELOAD" in *vgpreload*) exit 3;; esac"#
        let exec = try metron(["exec", "--valgrind", "--runs", "2", "--shell", "sh", "--save", "--store", store, refuses])
        #expect(exec.status == 2, "\(exec.stdout)\(exec.stderr)")
        #expect((exec.stdout + exec.stderr).contains("the run under Valgrind exited with code 3"), "\(exec.stdout)\(exec.stderr)")
        let history = try metron(["history", "--store", store, "--json"])
        #expect((try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [Any])?.count == 1, "the timed runs are stored")
        // Without Valgrind at all, nothing runs.
        let empty = Binaries.temporaryPath("no-valgrind")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let marker = Binaries.temporaryPath("ran")
        let missing = try metron(["exec", "--valgrind", "--runs", "1", "/usr/bin/touch \(marker)"], environment: ["PATH": empty])
        #expect(missing.status == 2 && missing.stderr.contains("needs Valgrind"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: marker))
    }
}
