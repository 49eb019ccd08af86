@testable import MetronCore
import Testing

/// The bootstrap takes its interval bounds by selection instead of sorting; the numbers must be
/// the ones `percentile(sorted:)` gives, to the last bit.
@Suite struct PercentileSelectionTests {
    func check(_ values: [Double], _ lower: Double, _ upper: Double) {
        let sorted = values.sorted()
        var scratch = values
        let (low, high) = scratch.withUnsafeMutableBufferPointer { percentiles(selectingIn: $0, lower: lower, upper: upper) }
        #expect(low.bitPattern == percentile(sorted: sorted, lower).bitPattern, "n=\(values.count) p=\(lower)")
        #expect(high.bitPattern == percentile(sorted: sorted, upper).bitPattern, "n=\(values.count) p=\(upper)")
        #expect(scratch.sorted() == sorted)  // reordered, nothing lost
    }

    @Test func selectionGivesTheSortedPercentiles() {
        var rng = SplitMix64(seed: 42)
        for n in [1, 2, 3, 4, 5, 7, 10, 31, 100, 1_000, 10_000] {
            let distinct = (0..<n).map { _ in Double(rng.next() % 1_000_000) / 7 }
            let repeated = (0..<n).map { _ in Double(rng.next() % 5) }  // many equal values
            let ascending = (0..<n).map(Double.init)
            let descending = ascending.reversed().map { $0 }
            for values in [distinct, repeated, ascending, descending] {
                for (lower, upper) in [(2.5, 97.5), (0, 100), (50, 50), (0.5, 99.5), (25, 75), (100, 100), (0, 0)] {
                    check(values, lower, upper)
                }
            }
        }
    }
}
