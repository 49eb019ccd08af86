import MetronCore
import Testing

@Suite("Percentiles (type 7, linear interpolation)")
struct PercentileTests {
    @Test("p = 0 is the minimum and p = 100 the maximum", arguments: [1, 2, 3, 10, 1000])
    func endpoints(count: Int) {
        var generator = SplitMix64(seed: UInt64(count))
        let sorted = (0..<count).map { _ in Double(generator.next() % 10_000) / 7 }.sorted()
        #expect(percentile(sorted: sorted, 0) == sorted.first)
        #expect(percentile(sorted: sorted, 100) == sorted.last)
    }

    @Test("values worked by hand: h = (n - 1) · p / 100, interpolate between x[⌊h⌋] and x[⌊h⌋ + 1]")
    func handWorked() {
        let four = [1.0, 2, 3, 4]
        #expect(percentile(sorted: four, 25) == 1.75)  // h = 0.75
        #expect(percentile(sorted: four, 50) == 2.5)  // h = 1.5
        #expect(percentile(sorted: four, 75) == 3.25)  // h = 2.25
        let five = [10.0, 20, 30, 40, 50]
        #expect(percentile(sorted: five, 90) == 46)  // h = 3.6
        #expect(percentile(sorted: five, 50) == 30)  // h = 2, exactly a rank
        #expect(percentile(sorted: five, 10) == 14)  // h = 0.4
        let eleven = (0...10).map(Double.init)
        for p in stride(from: 0.0, through: 100, by: 10) {
            #expect(percentile(sorted: eleven, p) == p / 10)
        }
        // Type 6 (p·(n+1)) or nearest-rank methods would give other values here.
        let three = [1.0, 2, 4]
        #expect(percentile(sorted: three, 25) == 1.5)  // h = 0.5
        #expect(percentile(sorted: three, 90) == 3.6)  // h = 1.8
    }

    @Test("a single value is every percentile")
    func single() {
        for p in [0.0, 0.1, 25, 50, 99.9, 100] {
            #expect(percentile(sorted: [7.5], p) == 7.5)
        }
    }

    @Test("equal neighbours interpolate to exactly their value")
    func equalNeighbours() {
        let sorted = [0.1, 0.3, 0.3, 0.3, 0.7]
        for p in stride(from: 25.0, through: 75, by: 0.5) {
            #expect(percentile(sorted: sorted, p) == 0.3)
        }
    }

    @Test("percentiles never decrease with p and stay within [min, max]")
    func monotone() {
        var generator = SplitMix64(seed: 5)
        let sorted = (0..<37).map { _ in Double(generator.next() >> 11) * 0x1p-53 * 100 - 30 }.sorted()
        var previous = -Double.infinity
        for step in 0...1000 {
            let value = percentile(sorted: sorted, Double(step) / 10)
            #expect(value >= previous && value >= sorted[0] && value <= sorted[36])
            previous = value
        }
    }

    @Test("Percentiles(sorted:) holds p25 … p99.9")
    func percentilesStruct() {
        let sorted = (0...1000).map(Double.init)
        let p = Percentiles(sorted: sorted)
        #expect([p.p25, p.p50, p.p75, p.p90, p.p95, p.p99] == [250, 500, 750, 900, 950, 990])
        // 99.9 / 100 rounds up, so h = 999.0000000000001 (numpy gives the same).
        expectClose(p.p999, 999, relative: 1e-15, "p99.9")
    }

    @Test("p outside 0...100 stops with a precondition failure")
    func outOfRange() async {
        await #expect(processExitsWith: .failure) {
            _ = percentile(sorted: [1, 2, 3], 100.5)
        }
        await #expect(processExitsWith: .failure) {
            _ = percentile(sorted: [], 50)
        }
    }
}
