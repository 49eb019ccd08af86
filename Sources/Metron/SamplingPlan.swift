/// Decides how many inner iterations each batch runs: warm-up batches that also calibrate, then
/// measured samples. Criterion-style: the inner count grows until one batch lasts at least the
/// sample time, so the clock's resolution and read cost are negligible against a sample; the
/// samples then repeat that count until `maxSamples` or `maxDuration`.
///
/// The drivers (sync, async, threads, tasks) only run batches and report their wall time.
struct SamplingPlan {
    enum Phase: Equatable { case warmup, measure }

    let configuration: ResolvedConfiguration
    /// At least 1000 clock reads, so reading the clock costs under 0.1 % of a sample.
    let sampleTime: Double
    private(set) var phase: Phase
    private(set) var iterations: Int
    private(set) var warmupIterations = 0
    private(set) var warmupTime = 0.0
    /// Seconds per iteration in the last warm-up batch.
    private(set) var estimate: Double?
    private(set) var samplesTaken = 0
    private var measureStart: Double?
    private var startedAt: Double?

    init(_ configuration: ResolvedConfiguration, clockCost: Double, minimumSampleTime: Double = 0) {
        self.configuration = configuration
        sampleTime = max(configuration.sampleTime, 1000 * clockCost, minimumSampleTime)
        iterations = configuration.iterations ?? 1
        // Fixed iterations without warm-up: nothing to calibrate, measure at once.
        phase = configuration.iterations != nil && configuration.warmup == 0 ? .measure : .warmup
    }

    static let maximumIterations = 1 << 32

    private var calibrating: Bool { configuration.iterations == nil }

    /// Records a warm-up batch of `iterations` that took `wall` seconds. The warm-up ends once
    /// its elapsed time (untimed per-iteration preparation included) reaches `warmup` and a batch
    /// lasts the sample time; calibration gives up at `warmup + maxDuration`.
    mutating func recordWarmup(wall: Double, now: Double = monotonicSeconds()) {
        if startedAt == nil { startedAt = now - wall }
        warmupIterations += iterations
        warmupTime += wall
        estimate = wall / Double(iterations)
        let elapsed = now - startedAt!
        let overTime = elapsed >= configuration.warmup + configuration.maxDuration
        // An empty body the optimiser deleted never gets slower with more iterations.
        let atCap = iterations >= Self.maximumIterations
        if calibrating && wall < sampleTime && !overTime && !atCap {
            // Grow towards the target, at most tenfold per step so one cold first call cannot
            // make us overshoot by orders of magnitude.
            let wanted = Int((sampleTime / max(wall / Double(iterations), 1e-12) * 1.1).rounded(.up))
            iterations = min(Self.maximumIterations, iterations * 10, max(iterations * 2, wanted))
            return
        }
        // At the cap the body costs next to nothing: there is nothing to warm up.
        guard elapsed >= configuration.warmup || overTime || (calibrating && atCap) else { return }
        if calibrating, let estimate {
            iterations = min(Self.maximumIterations, max(1, Int((sampleTime / max(estimate, 1e-12)).rounded(.up))))
        }
        phase = .measure
    }

    /// Called before each measured sample; false when sampling is over.
    mutating func shouldTakeSample(now: Double) -> Bool {
        if measureStart == nil { measureStart = now }
        if samplesTaken >= configuration.maxSamples { return false }
        if samplesTaken > 0, now - measureStart! >= configuration.maxDuration { return false }
        samplesTaken += 1
        return true
    }
}
