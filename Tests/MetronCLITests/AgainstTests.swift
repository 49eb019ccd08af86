import Foundation
import MetronCore
import Testing

/// `metron run --against DIR`: every command benchmark measured in the baseline tree and in this
/// one, interleaved; both runs stored, pointing at each other; compare and check judge the pair
/// round by round.
@Suite(.serialized)
struct AgainstTests {
    /// Two trees whose `./tool` sleeps 20 ms (baseline) and 40 ms (this tree), with one suite file.
    func makeTrees() throws -> (base: String, current: String) {
        let root = Binaries.temporaryPath("against")
        let base = root + "/base", current = root + "/current"
        for (tree, seconds) in [(base, "0.02"), (current, "0.04")] {
            try FileManager.default.createDirectory(atPath: tree, withIntermediateDirectories: true)
            try "#!/bin/sh\npwd > ran-here\nexec \(Binaries.workload("sleep", seconds))\n"
                .write(toFile: tree + "/tool", atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: tree + "/tool")
        }
        try """
            version: 1
            suites:
              app:
                setup: sh -c 'pwd > setup-ran-here'
                defaults:
                  runs: 8
                benchmarks:
                  - name: tool
                    command: ./tool
                    budgets:
                      mean: { max: 10s }
            """.write(toFile: current + "/metron.yml", atomically: true, encoding: .utf8)
        return (base, current)
    }

    @Test func bothTreesAreMeasuredPairedStoredAndGated() throws {
        let (base, current) = try makeTrees()
        let run = try metron(["run", "--against", "../base", "--store", "s.sqlite"], directory: current)
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("— baseline ("), "\(run.stdout)")
        #expect(run.stdout.contains("slower by "), "\(run.stdout)")
        // Each side ran in its own tree, its suite setup too.
        for tree in [base, current] {
            #expect(FileManager.default.fileExists(atPath: tree + "/ran-here"), "\(tree)")
            #expect(FileManager.default.fileExists(atPath: tree + "/setup-ran-here"), "\(tree)")
        }
        let history = try metron(["history", "--store", "s.sqlite", "--json"], directory: current)
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
        #expect(runs.count == 2)
        let compare = try metron(["compare", "--baseline", "against", "--store", "s.sqlite", "--json"], directory: current)
        #expect(compare.status == 0, "\(compare.stderr)")
        let comparison = try JSONDecoder().decode(RunComparison.self, from: Data(compare.stdout.utf8))
        let wall = try #require(comparison.comparisons.first { $0.metric == .wallTime })
        #expect(wall.verdict == .slower)
        #expect(wall.change > 0.5, "40 ms against 20 ms: \(wall.change)")
        #expect(wall.evidence?.contains("8 interleaved rounds") == true, "\(wall.evidence ?? "")")
        // Twice as slow is beyond the critical band: the gate fails.
        let check = try metron(["check", "--baseline", "against", "--store", "s.sqlite"], directory: current)
        #expect(check.status == 1, "\(check.stdout)\n\(check.stderr)")
    }

    @Test func aBaselineTreeThatCannotRunIsAUsageError() throws {
        let (base, current) = try makeTrees()
        try FileManager.default.removeItem(atPath: base + "/tool")
        let run = try metron(["run", "--against", "../base", "--store", "s.sqlite"], directory: current)
        #expect(run.status == 2, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stderr.contains("in the baseline tree"), "\(run.stderr)")
        let missing = try metron(["run", "--against", "../nowhere", "--store", "s.sqlite"], directory: current)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("is not a directory"))
        #expect(!FileManager.default.fileExists(atPath: current + "/s.sqlite"), "nothing stored")
    }
}
