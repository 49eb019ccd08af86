import Testing
@testable import MetronCore

#if canImport(Glibc)
import Glibc
#endif

/// Comparisons between stored sessions account for how much the mean moves from session to
/// session. Synthetic sessions with a known truth: each session's mean is the true mean times
/// (1 + a session effect), each run adds within-session noise.
struct SessionNoiseTests {
    struct Sessions {
        var rng: SplitMix64
        let sessionEffect: Double
        let runNoise: Double

        mutating func gaussian() -> Double {
            let u1 = max(Double(rng.next() >> 11) / Double(1 << 53), 1e-300)
            let u2 = Double(rng.next() >> 11) / Double(1 << 53)
            return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        }

        /// One session of `runs` runs of a program whose true time is `mean`.
        mutating func session(_ mean: Double, runs: Int = 30) -> [Double] {
            let center = mean * (1 + sessionEffect * gaussian())
            return (0..<runs).map { _ in center * (1 + runNoise * gaussian()) }
        }
    }

    func verdict(_ baseline: [Double], _ current: [Double], history: [Double]?) -> Verdict {
        MetricComparison.compare(benchmark: "b", metric: .wallTime, unit: .seconds, baseline: baseline, current: current,
                                 bootstrap: BootstrapOptions(resamples: 300), history: history.map { SessionNoise(means: $0) }).verdict
    }

    func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }

    /// A false alarm is a "slower" or "faster" verdict; "inconclusive" claims nothing.
    func called(_ verdict: Verdict) -> Bool { verdict == .slower || verdict == .faster }

    /// A history whose spread is wider than the acceptable band: a change inside it is not "no
    /// change" (a 5 % slowdown could hide there) but inconclusive, and says why.
    @Test func withinAWideHistoryIsInconclusiveNotNoChange() {
        let history = [0.0200, 0.0212, 0.0191, 0.0207, 0.0195, 0.0203]  // spread ≈ 3.7 %: ±14 % predicted
        let baseline = (0..<30).map { 0.0200 + Double($0 % 5) * 0.00001 }
        let current = baseline.map { $0 * 1.03 }
        let result = MetricComparison.compare(benchmark: "b", metric: .wallTime, unit: .seconds, baseline: baseline,
                                              current: current, bootstrap: BootstrapOptions(resamples: 300),
                                              history: SessionNoise(means: history))
        #expect(result.verdict == .inconclusive, "\(result.verdict)")
        #expect(result.evidence?.contains("wider than the 5 % acceptable band") == true, "\(result.evidence ?? "")")
    }

    @Test func studentTQuantilesMatchTheTables() {
        for (p, nu, expected) in [(0.975, 4.0, 2.776), (0.995, 4.0, 4.604), (0.995, 9.0, 3.250), (0.995, 29.0, 2.756), (0.975, 9.0, 2.262)] {
            let value = StudentT.quantile(p, degreesOfFreedom: nu)
            #expect(abs(value - expected) / expected < 0.001, "t(\(p), \(nu)) = \(value), table \(expected)")
        }
        #expect(abs(StudentT.normalQuantile(0.975) - 1.959964) < 1e-6)
    }

    /// A/A between separate sessions: the within-run rule alone calls most of them; with eight
    /// stored sessions of history almost none are called, and a real +15 % still is.
    @Test func historyTellsSessionNoiseFromAChange() {
        var sessions = Sessions(rng: SplitMix64(seed: 2026), sessionEffect: 0.02, runNoise: 0.01)
        let trials = 200
        var withoutHistory = 0, withHistory = 0, detected = 0
        for _ in 0..<trials {
            let history = (0..<7).map { _ in mean(sessions.session(0.02)) }
            let baseline = sessions.session(0.02)
            let means = history + [mean(baseline)]
            let current = sessions.session(0.02)
            if called(verdict(baseline, current, history: nil)) { withoutHistory += 1 }
            if called(verdict(baseline, current, history: means)) { withHistory += 1 }
            if verdict(baseline, sessions.session(0.023), history: means) == .slower { detected += 1 }
        }
        #expect(withoutHistory > trials / 3, "the within-run rule called \(withoutHistory) of \(trials) A/A pairs")
        #expect(withHistory <= trials / 50, "\(withHistory) of \(trials) A/A pairs called with history")
        #expect(detected >= trials * 9 / 10, "+15 % found in \(detected) of \(trials)")
    }

    /// One stored baseline run: the spread is unknown, the 5 % floor applies, and the verdict says so.
    @Test func aSingleBaselineRunUsesTheNoiseFloorAndSaysSo() {
        var sessions = Sessions(rng: SplitMix64(seed: 7), sessionEffect: 0.015, runNoise: 0.01)
        let trials = 200
        var falseCalls = 0, detected = 0
        for _ in 0..<trials {
            let baseline = sessions.session(0.02)
            if called(verdict(baseline, sessions.session(0.02), history: [mean(baseline)])) { falseCalls += 1 }
            if verdict(baseline, sessions.session(0.022), history: [mean(baseline)]) == .slower { detected += 1 }
        }
        #expect(falseCalls <= trials / 20, "\(falseCalls) of \(trials) A/A pairs called")
        #expect(detected >= trials * 95 / 100, "+10 % found in \(detected) of \(trials)")
        let one = MetricComparison.compare(benchmark: "b", metric: .wallTime, unit: .seconds,
                                           baseline: sessions.session(0.02), current: sessions.session(0.02),
                                           history: SessionNoise(means: [0.02]))
        #expect(one.evidence?.contains("session-to-session noise not yet known (1 stored run") == true)
    }
}
