import Foundation
import MetronCore
import Testing

/// `metron exec --reference`: the reference runs in every round, each other command gets its
/// speed against it and a paired verdict — in the terminal and in the JSON.
@Suite(.serialized)
struct ReferenceTests {
    @Test func commandsAreJudgedAgainstTheReferenceByRound() throws {
        let json = Binaries.temporaryPath("reference.json")
        let result = try metron(["exec", "--runs", "12", "--reference", Binaries.workload("sleep", "0.02"), "--reference-name", "base",
                                 Binaries.workload("sleep", "0.04"), Binaries.workload("sleep", "0.02"), "--export-json", json])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try decodeReport(json)
        #expect(report.benchmarks.map(\.name) == ["base", Binaries.workload("sleep", "0.04"), Binaries.workload("sleep", "0.02")])
        #expect(report.reference == "base")
        #expect(report.interleaving?.rounds == 12)
        let comparisons = try #require(report.comparisons)
        #expect(comparisons.map(\.benchmark) == [Binaries.workload("sleep", "0.04"), Binaries.workload("sleep", "0.02")])
        // Twice the sleep: slower by about 100 %, whatever the load adds to both.
        #expect(comparisons[0].verdict == .slower)
        #expect(comparisons[0].change > 0.5, "\(comparisons[0].change)")
        // The same command as the reference is never called slower or faster.
        #expect(comparisons[1].verdict != .slower && comparisons[1].verdict != .faster, "\(comparisons[1])")
        #expect(comparisons.allSatisfy { $0.evidence?.contains("12 interleaved rounds") == true })
        #expect(result.stdout.contains("Summary against the reference base (paired by interleaved round)"))
        #expect(result.stdout.contains("slower by "))
    }

    @Test func theSameCommandTwiceGetsTwoNames() throws {
        let json = Binaries.temporaryPath("twice.json")
        let command = Binaries.workload("noop")
        let result = try metron(["exec", "--runs", "3", command, command, "--export-json", json])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try decodeReport(json).benchmarks.map(\.name) == [command, command + " #2"])
    }

    @Test func referenceUsageErrors() throws {
        for (arguments, message) in [
            (["--reference", "true"], "--reference needs at least one command"),
            (["--reference-name", "x", "true"], "--reference-name needs --reference"),
        ] {
            let result = try metron(["exec"] + arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains(message), "\(result.stderr)")
        }
    }

    /// Runs of other benchmarks in the same store do not use up a benchmark's history: five
    /// sessions of `a`, then nine of `b`, and `a`'s comparison still has its five.
    @Test func historyIsCountedPerBenchmark() throws {
        let store = Binaries.temporaryPath("history") + "/s.sqlite"
        func save(_ name: String) throws {
            let result = try metron(["exec", "--runs", "6", "--name", name, "--save", "--store", store, Binaries.workload("noop")])
            try #require(result.status == 0, "\(result.stderr)")
        }
        for _ in 0..<5 { try save("a") }
        for _ in 0..<9 { try save("b") }
        try save("a")
        let json = try metron(["history", "--store", store, "--json"])
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let newest = try #require(runs.compactMap { $0["id"] as? String }.first)
        try save("a")
        let compare = try metron(["compare", "--store", store, "--baseline", newest, "--current", "latest", "--json"])
        #expect(compare.status == 0 || compare.status == 1, "\(compare.stderr)")
        #expect(compare.stdout.contains("over 6 stored runs"), "\(compare.stdout)")
        #expect(!compare.stdout.contains("not yet known"))
    }
}
