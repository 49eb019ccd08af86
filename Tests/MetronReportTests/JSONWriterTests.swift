import Foundation
import MetronCore
import MetronJSON
import Testing
@testable import MetronReport

/// JSONWriter must write exactly what Foundation's JSONEncoder writes with Metron's settings,
/// so that exports do not change with the encoder and every reader of the schema keeps working.
struct JSONWriterTests {
    @Test func aWholeHistoryIsWrittenByteForByteLikeJSONEncoder() throws {
        let fixture = ReportFixture(benchmarks: 40, runs: 3)
        for report in fixture.runs {
            let expected = Array(try JSONExport.encoder().encode(report))
            let written = try JSONWriter.encode(report)
            let difference = zip(written, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            #expect(written == expected, "first difference at byte \(difference ?? min(written.count, expected.count))")
        }
    }

    struct Awkward: Codable, Equatable {
        var text: String
        var values: [Double]
        var optional: Int64?
        var nested: [String: [Int]]
        var empty: [String]
        var emptyObject: [String: Double]
        var flags: [Bool]
        var unsigned: UInt64
        var small: Int32
    }

    @Test func escapingNumbersAndEmptyContainersMatchJSONEncoder() throws {
        let value = Awkward(
            text: "quote \" backslash \\ slash / newline \n tab \t return \r bell \u{07} unit \u{1F} é 漢 🚀",
            values: [0, -0.0, 1, -1, 0.1, 1e-7, 123456789.125, 1e300, -2.5e-300, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, .greatestFiniteMagnitude],
            optional: nil, nested: ["b": [1, 2], "a": [], "A": [3], "ab": [-4]], empty: [], emptyObject: [:],
            flags: [true, false], unsigned: .max, small: .min)
        let expected = try JSONExport.encoder().encode(value)
        let written = try JSONWriter.encode(value)
        #expect(String(decoding: written, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
    }

    @Test func renderedExportsDecodeToTheSameReport() throws {
        let report = try #require(ReportFixture(benchmarks: 5, runs: 1).runs.first)
        let decoded = try JSONExport.decode(JSONExport.render(report))
        #expect(decoded == report)
    }
}
