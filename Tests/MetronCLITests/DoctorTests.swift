import Foundation
import MetronCore
import Testing

/// `metron doctor` on this machine, and the noise figure every run records.
@Suite(.serialized)
struct DoctorTests {
    @Test func doctorReportsEveryCheckItCanReadWithFixes() throws {
        let result = try metron(["doctor", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let findings = try JSONDecoder().decode([HealthFinding].self, from: Data(result.stdout.utf8))
        let checks = Set(findings.map(\.check))
        // Linux always has these files (and the timer and steal are sampled).
        for check in ["cpu-governor", "turbo", "smt", "steal", "load", "aslr", "timer"] {
            #expect(checks.contains(check), "\(check) missing from \(checks.sorted())")
        }
        #expect(findings.filter { $0.level == .warning }.allSatisfy { $0.fix != nil }, "every warning comes with a fix")
        let strict = try metron(["doctor", "--strict"])
        // Judged on its own output: the machine's load may change between the two invocations.
        #expect(strict.status == (strict.stdout.contains("⚠") ? 1 : 0), "--strict fails exactly when something warns: \(strict.stdout)")
        #expect(strict.stdout.contains("Measurement conditions on this machine"))
    }

    @Test func runsRecordTheirNoiseAndComparingTwoFilesCreatesNoStore() throws {
        let directory = Binaries.temporaryPath("noise")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for name in ["a", "b"] {
            let result = try metron(["exec", "--runs", "5", "--export-json", directory + "/\(name).json", Binaries.workload("noop")])
            try #require(result.status == 0, "\(result.stderr)")
        }
        let report = try decodeReport(directory + "/a.json")
        let noise = try #require(report.noise)
        #expect((noise.loadPerCore ?? -1) >= 0)
        #expect(noise.steal.map { $0 >= 0 && $0 <= 1 } ?? true)
        let compare = try metron(["compare", "--baseline", "a.json", "--current", "b.json"], directory: directory)
        #expect(compare.status == 0, "\(compare.stderr)")
        #expect(compare.stdout.contains("Noise:    baseline load "))
        #expect(!FileManager.default.fileExists(atPath: directory + "/.metron"), "a comparison of two files stores nothing")
    }
}
