import Testing
@testable import MetronCore

struct FormattingTests {
    @Test func durationsPickTheLargestUnitAtOrAboveOne() {
        #expect(Formatting.duration(1.5) == "1.50 s")
        #expect(Formatting.duration(0.1009) == "100.9 ms")
        #expect(Formatting.duration(0.0123) == "12.3 ms")
        #expect(Formatting.duration(0.000789) == "789.0 µs")
        #expect(Formatting.duration(4.2e-9) == "4.20 ns")
        #expect(Formatting.duration(0) == "0.0 s")
    }

    @Test func bytesUseBinaryPrefixes() {
        #expect(Formatting.bytes(512) == "512 B")
        #expect(Formatting.bytes(1536) == "1.50 KiB")
        #expect(Formatting.bytes(200 * 1_048_576) == "200.0 MiB")
        #expect(Formatting.bytes(1.25 * 1_073_741_824) == "1.25 GiB")
    }

    @Test func fixedRoundsHalfAwayFromZero() {
        #expect(Formatting.fixed(1.005, digits: 1) == "1.0")
        #expect(Formatting.fixed(2.25, digits: 1) == "2.3")
        #expect(Formatting.fixed(-2.25, digits: 1) == "-2.3")
        #expect(Formatting.fixed(-0.001, digits: 2) == "0.00")
        #expect(Formatting.fixed(3, digits: 0) == "3")
        #expect(Formatting.fixed(.nan, digits: 2) == "nan")
    }

    @Test func countsAbbreviateLargeValues() {
        #expect(Formatting.count(42) == "42")
        #expect(Formatting.count(12_345) == "12.3 k")
        #expect(Formatting.count(2_500_000) == "2.5 M")
    }
}
