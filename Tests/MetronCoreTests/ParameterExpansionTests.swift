import Testing
@testable import MetronCore

struct ParameterExpansionTests {
    @Test func scansIntegersInclusively() throws {
        #expect(try ParameterExpansion.scan(name: "n", lower: 1, upper: 5).values == ["1", "2", "3", "4", "5"])
        #expect(try ParameterExpansion.scan(name: "n", lower: 0, upper: 10, step: 4).values == ["0", "4", "8"])
    }

    @Test func scansDecimalsWithoutDrift() throws {
        #expect(try ParameterExpansion.scan(name: "d", lower: 0.1, upper: 0.5, step: 0.1).values
                == ["0.1", "0.2", "0.3", "0.4", "0.5"])
    }

    @Test func rejectsBadScans() {
        #expect(throws: ParameterExpansion.ExpansionError.reversedRange("n")) {
            try ParameterExpansion.scan(name: "n", lower: 5, upper: 1)
        }
        #expect(throws: ParameterExpansion.ExpansionError.emptyStep) {
            try ParameterExpansion.scan(name: "n", lower: 1, upper: 5, step: 0)
        }
        #expect(throws: ParameterExpansion.ExpansionError.invalidName("a b")) {
            try ParameterExpansion.scan(name: "a b", lower: 1, upper: 5)
        }
        #expect(throws: ParameterExpansion.ExpansionError.self) {
            try ParameterExpansion.scan(name: "n", lower: 0, upper: 1e9)
        }
    }

    /// The first axis varies fastest (hyperfine's order for repeated --parameter-list).
    @Test func combinesAxesFirstFastest() throws {
        let axes = [
            try ParameterExpansion.list(name: "a", commaSeparated: "1,2"),
            try ParameterExpansion.list(name: "b", commaSeparated: "x,y"),
        ]
        let combinations = try ParameterExpansion.combinations(axes)
        #expect(combinations.map { $0.map(\.value).joined() } == ["1x", "2x", "1y", "2y"])
        #expect(try ParameterExpansion.combinations([]) == [[]])
        #expect(throws: ParameterExpansion.ExpansionError.duplicateName("a")) {
            try ParameterExpansion.combinations([axes[0], axes[0]])
        }
    }

    @Test func substitutesEveryOccurrence() {
        let parameters = [Parameter(name: "n", value: "10"), Parameter(name: "mode", value: "fast")]
        #expect(ParameterExpansion.substitute("run {n} --{mode} {n}{n} {other}", parameters)
                == "run 10 --fast 1010 {other}")
    }
}
