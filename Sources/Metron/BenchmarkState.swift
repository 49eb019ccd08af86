/// What a benchmark body receives: its parameter, counters, and the `measure` calls that run the
/// timed part. Everything the body does outside `measure` is untimed set-up (before) and
/// tear-down (after, or in a `defer`).
public final class BenchmarkState {
    public let name: String
    let parameterValue: Int?
    let configuration: ResolvedConfiguration
    /// Items one iteration processes (bytes parsed, elements sorted…). When set, results gain
    /// `operations_per_second` and `items_per_second`.
    public var itemsPerIteration: Int?
    var counters: [Counter] = []
    var ratios: [CounterRatio] = []
    var recording: Recording?
    let clockCost: Double
    /// Set when this process counts the body under callgrind (`--valgrind`) instead of timing it.
    var simulation: SimulatedBatches?

    init(name: String, parameterValue: Int?, configuration: ResolvedConfiguration, clockCost: Double) {
        self.name = name
        self.parameterValue = parameterValue
        self.configuration = configuration
        self.clockCost = clockCost
    }

    /// The parameter value this instance measures (benchmarks declared with `parameter:values:`).
    public var parameter: Int {
        guard let parameterValue else {
            preconditionFailure("Metron: benchmark '\(name)' reads state.parameter but was declared without parameter values")
        }
        return parameterValue
    }

    /// Runs untimed set-up and returns its result; reads better than bare code before `measure`.
    public func setup<T>(_ make: () throws -> T) rethrows -> T { try make() }

    /// Runs untimed asynchronous set-up.
    public func setup<T>(_ make: () async throws -> T) async rethrows -> T { try await make() }

    /// A counter reported per iteration (metric id = `name`), zeroed before every sample.
    public func counter(_ name: String) -> Counter {
        if let existing = counters.first(where: { $0.name == name }) { return existing }
        let counter = Counter(name: name)
        counters.append(counter)
        return counter
    }

    /// Reports `numerator / (sum of denominator)` per sample in percent, e.g.
    /// `state.ratio("hit_ratio", hits, of: hits, misses)`.
    public func ratio(_ id: String, _ numerator: Counter, of denominator: Counter...) {
        ratios.append(CounterRatio(id: id, numerator: numerator, denominator: denominator))
    }

    // MARK: Measuring

    /// Measures `body` per iteration: warm-up, calibration of the inner iteration count, then
    /// samples. Inlined into the caller, loop included, so `body` — a closure literal there — is
    /// inlined into the loop: an iteration costs the body and nothing else. (A loop inside
    /// Metron would call the closure indirectly, ~1.5 ns per iteration on this machine.) The
    /// sampling logic stays out of line in `_MeasureLoop`, called once per batch.
    @inlinable @inline(__always)
    public func measure(_ body: () throws -> Void) rethrows {
        let loop = _MeasureLoop(state: self)
        while let iterations = loop.next() {
            loop.start()
            for _ in 0..<iterations { try body() }
            loop.stop()
        }
    }

    /// Measures `body` on a fresh input per iteration; `prepare` is not timed. The inputs of one
    /// sample are prepared together before it (Criterion's `iter_batched`), so they must fit in
    /// memory `iterations` at a time.
    @inlinable @inline(__always)
    public func measure<Input>(prepare: () throws -> Input, _ body: (inout Input) throws -> Void) rethrows {
        var inputs: [Input] = []
        let loop = _MeasureLoop(state: self)
        while let iterations = loop.next() {
            inputs.removeAll(keepingCapacity: true)
            inputs.reserveCapacity(iterations)
            for _ in 0..<iterations { inputs.append(try prepare()) }
            loop.start()
            try inputs.withUnsafeMutableBufferPointer { buffer in
                for index in 0..<iterations { try body(&buffer[index]) }
            }
            loop.stop()
        }
    }

    /// Measures an asynchronous body.
    @inlinable
    public func measure(_ body: () async throws -> Void) async rethrows {
        try await _measureAsync(batch: { iterations in
            for _ in 0..<iterations { try await body() }
        })
    }

    @usableFromInline
    func _measureAsync(batch: (Int) async throws -> Void) async rethrows {
        precondition(recording == nil, "Metron: '\(name)' calls measure more than once")
        if let simulation {
            while let iterations = simulation.next() {
                simulation.start()
                try await batch(iterations)
                simulation.stop()
            }
            return
        }
        var plan = SamplingPlan(configuration, clockCost: clockCost)
        while plan.phase == .warmup {
            let start = monotonicSeconds()
            try await batch(plan.iterations)
            plan.recordWarmup(wall: monotonicSeconds() - start)
        }
        var recorder = Recorder(state: self)
        while plan.shouldTakeSample(now: monotonicSeconds()) {
            recorder.begin()
            let start = monotonicSeconds()
            try await batch(plan.iterations)
            let wall = monotonicSeconds() - start
            recorder.end(wall: wall, operations: plan.iterations)
        }
        recording = recorder.finish(plan: plan)
    }
}

/// The out-of-line half of `measure`: warm-up and calibration, then samples, with the probes
/// around each. The caller's inlined loop asks for a batch size (`next`), brackets the batch with
/// `start`/`stop` — whose clock reads are their last and first act — and repeats until `next`
/// says the measuring is over.
@usableFromInline
final class _MeasureLoop {
    let state: BenchmarkState
    var plan: SamplingPlan
    var recorder: Recorder?
    var warming = true
    var began = 0.0

    @usableFromInline
    init(state: BenchmarkState) {
        precondition(state.recording == nil, "Metron: '\(state.name)' calls measure more than once")
        self.state = state
        plan = SamplingPlan(state.configuration, clockCost: state.clockCost)
    }

    /// The iterations of the next batch, or nil when the measuring is done (the recording is then stored).
    @usableFromInline
    func next() -> Int? {
        if let simulation = state.simulation { return simulation.next() }
        if plan.phase == .warmup {
            warming = true
            return plan.iterations
        }
        warming = false
        if recorder == nil { recorder = Recorder(state: state) }
        guard plan.shouldTakeSample(now: monotonicSeconds()) else {
            state.recording = recorder!.finish(plan: plan)
            return nil
        }
        return plan.iterations
    }

    @usableFromInline
    func start() {
        if let simulation = state.simulation { return simulation.start() }
        if !warming { recorder!.begin() }
        began = monotonicSeconds()
    }

    @usableFromInline
    func stop() {
        if let simulation = state.simulation { return simulation.stop() }
        let wall = monotonicSeconds() - began
        if warming {
            plan.recordWarmup(wall: wall)
        } else {
            recorder!.end(wall: wall, operations: plan.iterations)
        }
    }
}
