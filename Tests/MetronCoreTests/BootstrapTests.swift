import Foundation
@testable import MetronCore
import Testing

@Suite("SplitMix64")
struct SplitMix64Tests {
    @Test("seed 0 gives the published reference outputs")
    func seedZero() {
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(generator.next() == 0x06C4_5D18_8009_454F)
    }

    @Test("the first outputs match the Python implementation for several seeds")
    func matchesPython() throws {
        let fixture = try StatisticsFixture.load()
        #expect(fixture.splitmix64.count >= 4)
        for reference in fixture.splitmix64 {
            var generator = SplitMix64(seed: parseHex(reference.seed))
            let outputs = reference.outputs.map { _ in generator.next() }
            #expect(outputs == reference.outputs.map(parseHex), "seed \(reference.seed)")
        }
    }

    @Test("the state advances by the golden-ratio increment")
    func state() {
        var generator = SplitMix64(seed: 1)
        _ = generator.next()
        _ = generator.next()
        #expect(generator.state == 1 &+ 2 &* 0x9E37_79B9_7F4A_7C15)
    }
}

@Suite("Bootstrap confidence intervals")
struct BootstrapTests {
    @Test("every fixture case (seeds, levels, resample counts) matches the Python re-implementation")
    func matchesPython() throws {
        let fixture = try StatisticsFixture.load()
        var cases = 0
        for data in fixture.datasets {
            for reference in data.bootstrap {
                let intervals = try #require(Bootstrap.intervals(sorted: data.samples.sorted(), options: reference.options))
                let what = "\(data.name) B=\(reference.resamples) level=\(reference.level) seed=\(reference.seed)"
                #expect(intervals.mean.level == reference.level && intervals.median.level == reference.level)
                expectBounds(intervals.mean, reference.mean, "\(what) mean")
                expectBounds(intervals.median, reference.median, "\(what) median")
                cases += 1
            }
        }
        #expect(cases >= 12)
    }

    @Test("the counting-sort median equals a straightforward resample-sort-and-take-the-median",
          arguments: [2, 3, 4, 5, 8, 13, 20, 33, 40])
    func matchesNaiveImplementation(count: Int) throws {
        var generator = SplitMix64(seed: UInt64(count) * 7919)
        // Few distinct values, so that resamples are full of ties.
        let sorted = (0..<count).map { _ in Double(generator.next() % 6) * 0.25 + 1 }.sorted()
        let options = BootstrapOptions(resamples: 301, level: 0.9, seed: UInt64(count))
        let fast = try #require(Bootstrap.intervals(sorted: sorted, options: options))
        let naive = naiveBootstrap(sorted: sorted, options: options)
        #expect(fast.median == naive.median)
        expectClose(fast.mean.lower, naive.mean.lower, relative: 1e-12, "mean lower")
        expectClose(fast.mean.upper, naive.mean.upper, relative: 1e-12, "mean upper")
    }

    /// Enough resamples for several chunks and enough draws for them to go to `options.loop`:
    /// every chunk must start at its own place of the one stream, whichever thread draws it.
    @Test("chunks drawn on several threads give the intervals of one sequential stream")
    func chunksOnSeveralThreadsMatchOneStream() throws {
        var generator = SplitMix64(seed: 99)
        let sorted = (0..<300).map { _ in Double(generator.next() % 1000) * 1e-6 + 0.5 }.sorted()
        var options = BootstrapOptions(resamples: 3000, level: 0.95, seed: 7)
        let threads = ThreadLog()
        options.loop = ParallelLoop { count, body in
            withoutActuallyEscaping(body) { body in
                nonisolated(unsafe) let body = body
                DispatchQueue.concurrentPerform(iterations: count) { index in
                    threads.insert(UInt64(pthread_self()))
                    body(index)
                }
            }
        }
        let parallel = try #require(Bootstrap.intervals(sorted: sorted, options: options))
        #expect(threads.count > 0)
        let naive = naiveBootstrap(sorted: sorted, options: options)
        #expect(parallel.median == naive.median)
        expectClose(parallel.mean.lower, naive.mean.lower, relative: 1e-12, "mean lower")
        expectClose(parallel.mean.upper, naive.mean.upper, relative: 1e-12, "mean upper")
    }

    /// The comparison's ratio interval and the intervals of a sample draw through one procedure:
    /// resample means taken one after the other from one stream give the interval of the mean.
    @Test("resampleMean draws the resamples intervals draws", arguments: [7, 30, 301])
    func resampleMeanFollowsTheIntervalsStream(count: Int) throws {
        var generator = SplitMix64(seed: UInt64(count))
        let sorted = (0..<count).map { _ in Double(generator.next() % 10_000) * 1e-3 }.sorted()
        let options = BootstrapOptions(resamples: 999, level: 0.9, seed: 42)
        let intervals = try #require(Bootstrap.intervals(sorted: sorted, options: options))
        var rng = SplitMix64(seed: options.seed)
        let means = (0..<options.resamples).map { _ in Bootstrap.resampleMean(sorted, rng: &rng) }.sorted()
        expectClose(percentile(sorted: means, 5), intervals.mean.lower, relative: 1e-12, "mean lower")
        expectClose(percentile(sorted: means, 95), intervals.mean.upper, relative: 1e-12, "mean upper")
    }

    @Test("percentile bootstrap agrees with scipy.stats.bootstrap up to Monte Carlo error")
    func agreesWithScipy() throws {
        let fixture = try StatisticsFixture.load()
        let reference = fixture.scipyBootstrap
        let data = try StatisticsFixture.dataset(reference.name)
        let stats = Statistics(samples: data.samples)
        let meanCI = try #require(stats.meanCI)
        let medianCI = try #require(stats.medianCI)
        // Monte Carlo error of a 2.5 % bound, in interval widths: ≈ 0.7 % with our B = 10⁴, ≈ 0.2 %
        // with scipy's B = 10⁵; median bounds also jump between order statistics ≈ 1.6 % of the
        // width apart (n = 1000). 5 % of the width is about five combined standard errors. Getting the
        // method wrong costs more: a 90 % instead of a 95 % interval moves each bound by ≈ 8 %.
        let tolerance = 0.05
        #expect(Self.gap(meanCI, reference.mean) < tolerance)
        #expect(Self.gap(medianCI, reference.median) < tolerance)

        // The tolerance does tell a wrong level apart.
        let ninety = try #require(Statistics(samples: data.samples, bootstrap: BootstrapOptions(level: 0.9)).meanCI)
        #expect(Self.gap(ninety, reference.mean) > tolerance)
    }

    /// The larger of the two bound differences, in widths of the reference interval.
    static func gap(_ interval: ConfidenceInterval, _ reference: [Double]) -> Double {
        let width = reference[1] - reference[0]
        return Swift.max(abs(interval.lower - reference[0]), abs(interval.upper - reference[1])) / width
    }

    @Test("the 95 % mean interval of normal data is close to mean ± 1.96 s / √n")
    func normalTheory() throws {
        let data = try StatisticsFixture.dataset("normal_1000")
        let stats = Statistics(samples: data.samples)
        let meanCI = try #require(stats.meanCI)
        let halfWidth = 1.96 * stats.stddev / Double(stats.count).squareRoot()
        #expect(abs(meanCI.lower - (stats.mean - halfWidth)) < 0.05 * 2 * halfWidth)
        #expect(abs(meanCI.upper - (stats.mean + halfWidth)) < 0.05 * 2 * halfWidth)
    }

    @Test("no intervals for fewer than 2 samples or no resamples")
    func degenerate() {
        #expect(Bootstrap.intervals(sorted: [1], options: BootstrapOptions()) == nil)
        #expect(Bootstrap.intervals(sorted: [], options: BootstrapOptions()) == nil)
        #expect(Bootstrap.intervals(sorted: [1, 2, 3], options: BootstrapOptions(resamples: 0)) == nil)
        #expect(Bootstrap.intervals(sorted: [1, 2, 3], options: BootstrapOptions(resamples: 1)) != nil)
    }

    @Test("the seed decides the resamples; the same seed reproduces them")
    func seeded() throws {
        let sorted = (1...50).map { Double($0 * $0) }
        let a = try #require(Bootstrap.intervals(sorted: sorted, options: BootstrapOptions(resamples: 500, seed: 1)))
        let b = try #require(Bootstrap.intervals(sorted: sorted, options: BootstrapOptions(resamples: 500, seed: 1)))
        let c = try #require(Bootstrap.intervals(sorted: sorted, options: BootstrapOptions(resamples: 500, seed: 2)))
        #expect(a == b)
        #expect(a.mean != c.mean)
    }

    @Test("a higher level gives a wider interval containing the narrower one")
    func levels() throws {
        let data = try StatisticsFixture.dataset("lognormal")
        let sorted = data.samples.sorted()
        let narrow = try #require(Bootstrap.intervals(sorted: sorted, options: BootstrapOptions(level: 0.8)))
        let wide = try #require(Bootstrap.intervals(sorted: sorted, options: BootstrapOptions(level: 0.99)))
        #expect(wide.mean.lower < narrow.mean.lower && narrow.mean.upper < wide.mean.upper)
        #expect(wide.median.lower <= narrow.median.lower && narrow.median.upper <= wide.median.upper)
        #expect(wide.median.width > narrow.median.width)
    }

    @Test("a level outside (0, 1) stops with a precondition failure")
    func levelPrecondition() async {
        await #expect(processExitsWith: .failure) {
            _ = Bootstrap.intervals(sorted: [1, 2, 3], options: BootstrapOptions(level: 1))
        }
    }

    @Test("options: defaults, and decoding fills in missing keys")
    func options() throws {
        let defaults = BootstrapOptions()
        #expect(defaults.resamples == 10_000)
        #expect(defaults.level == 0.95)
        #expect(defaults.seed == 0x4D45_5452_4F4E)
        let partial = try JSONDecoder().decode(BootstrapOptions.self, from: Data(#"{"level": 0.99}"#.utf8))
        #expect(partial == BootstrapOptions(level: 0.99))
        let custom = BootstrapOptions(resamples: 123, level: 0.5, seed: .max)
        #expect(try JSONDecoder().decode(BootstrapOptions.self, from: JSONEncoder().encode(custom)) == custom)
    }
}

/// The bootstrap as the documentation describes it, without the counting sort.
func naiveBootstrap(sorted: [Double], options: BootstrapOptions) -> BootstrapIntervals {
    var generator = SplitMix64(seed: options.seed)
    let n = sorted.count
    var means: [Double] = []
    var medians: [Double] = []
    for _ in 0..<options.resamples {
        let indices = (0..<(n + 1) / 2).flatMap { _ in
            let (first, second) = generator.nextIndexPair(below: UInt64(n))
            return [first, second]
        }
        let resample = indices.prefix(n).map { sorted[$0] }
        means.append(resample.reduce(0, +) / Double(n))
        medians.append(percentile(sorted: resample.sorted(), 50))
    }
    means.sort()
    medians.sort()
    let alpha = (1 - options.level) / 2
    func interval(_ sorted: [Double]) -> ConfidenceInterval {
        ConfidenceInterval(level: options.level, lower: percentile(sorted: sorted, 100 * alpha),
                           upper: percentile(sorted: sorted, 100 * (1 - alpha)))
    }
    return BootstrapIntervals(mean: interval(means), median: interval(medians))
}

/// The threads a parallel loop ran on.
private final class ThreadLog: @unchecked Sendable {
    private let lock = NSLock()
    private var threads = Set<UInt64>()

    func insert(_ thread: UInt64) {
        lock.lock(); threads.insert(thread); lock.unlock()
    }

    var count: Int {
        lock.lock(); defer { lock.unlock() }
        return threads.count
    }
}
