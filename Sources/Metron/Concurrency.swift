#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// Long-lived threads that run `body` `iterations` times each on command, so a sample times the
/// work and not thread creation. Each batch wakes the first `active` workers and waits for all
/// of them; the wake-up cost is amortised by concurrent samples lasting at least 10 ms.
final class WorkerPool: @unchecked Sendable {
    private let body: @Sendable () -> Void
    private let starts: [DispatchSemaphore]
    private let done = DispatchSemaphore(value: 0)
    // Written by the coordinating thread before it signals `starts`, read by workers after
    // they wait on it: the semaphore orders the accesses.
    private var iterations = 0
    private var stopping = false
    private var threads: [pthread_t] = []

    init(workers: Int, body: @escaping @Sendable () -> Void) {
        self.body = body
        starts = (0..<workers).map { _ in DispatchSemaphore(value: 0) }
        for index in 0..<workers {
            let context = Unmanaged.passRetained(WorkerContext(pool: self, index: index)).toOpaque()
            var thread = pthread_t()
            let result = pthread_create(&thread, nil, { raw in
                let context = Unmanaged<WorkerContext>.fromOpaque(raw!).takeRetainedValue()
                context.pool.work(index: context.index)
                return nil
            }, context)
            precondition(result == 0, "Metron: pthread_create failed (\(result))")
            threads.append(thread)
        }
    }

    private func work(index: Int) {
        while true {
            starts[index].wait()
            if stopping { return }
            for _ in 0..<iterations { body() }
            done.signal()
        }
    }

    /// Runs one batch on the first `active` workers; returns its wall time in seconds.
    func run(active: Int, iterations: Int) -> Double {
        self.iterations = iterations
        let start = monotonicSeconds()
        for index in 0..<active { starts[index].signal() }
        for _ in 0..<active { done.wait() }
        return monotonicSeconds() - start
    }

    func shutdown() {
        stopping = true
        for start in starts { start.signal() }
        for thread in threads { pthread_join(thread, nil) }
        threads = []
    }
}

private final class WorkerContext {
    let pool: WorkerPool
    let index: Int
    init(pool: WorkerPool, index: Int) {
        self.pool = pool
        self.index = index
    }
}

extension BenchmarkState {
    /// The least time a concurrent sample lasts, so waking up to ~50 workers is noise.
    static let concurrentSampleTime = 0.010

    /// The parallelism this machine can give: more workers than cores cannot run faster than
    /// this many at once.
    static var availableCores: Int { max(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), 1) }

    /// Speedup over one worker alone, as a percentage of the speedup the machine can give:
    /// (`workers` × t₁ / t) / min(`workers`, cores). 100 % is perfect scaling; 50 workers on a
    /// 2-core machine that run 1.9 × as fast as one are at 95 %, not 3.8 %.
    static func scalingEfficiency(single: Double, all: Double, workers: Int) -> Double {
        single / all * Double(workers) / Double(min(workers, availableCores)) * 100
    }

    /// Measures `body` running on `threads` threads at once. Reports aggregate time per
    /// iteration (`wall_time` = sample time / (threads × iterations)), `operations_per_second`
    /// across all threads, and `scaling_efficiency` (`scalingEfficiency`): each sample's
    /// throughput against one thread's alone, measured right after it with the same per-thread
    /// iteration count (paired, so drifting machine load cancels out), relative to the
    /// parallelism the machine can give.
    public func measureConcurrently(threads: Int, _ body: @escaping @Sendable () -> Void) {
        precondition(threads >= 1, "Metron: measureConcurrently needs at least one thread")
        precondition(recording == nil, "Metron: '\(name)' calls measure more than once")
        // The recorder opens the hardware counters before the workers exist, so they inherit them.
        var recorder = Recorder(state: self)
        let pool = WorkerPool(workers: threads, body: body)
        defer { pool.shutdown() }
        var plan = SamplingPlan(configuration, clockCost: clockCost, minimumSampleTime: Self.concurrentSampleTime)
        while plan.phase == .warmup {
            plan.recordWarmup(wall: pool.run(active: threads, iterations: plan.iterations))
        }
        var efficiencies: [Double] = []
        while plan.shouldTakeSample(now: monotonicSeconds()) {
            recorder.begin()
            let wall = pool.run(active: threads, iterations: plan.iterations)
            recorder.end(wall: wall, operations: plan.iterations * threads)
            efficiencies.append(Self.scalingEfficiency(single: pool.run(active: 1, iterations: plan.iterations), all: wall,
                                                       workers: threads))
        }
        recording = recorder.finish(plan: plan, workers: threads, efficiencies: efficiencies)
    }

    /// Measures `body` in `tasks` child tasks at once (Swift concurrency's cooperative pool, so
    /// at most one task per core runs at a time); reported like `measureConcurrently(threads:)`.
    public func measureConcurrently(tasks: Int, _ body: @escaping @Sendable () async -> Void) async {
        precondition(tasks >= 1, "Metron: measureConcurrently needs at least one task")
        precondition(recording == nil, "Metron: '\(name)' calls measure more than once")
        func batch(_ workers: Int, _ iterations: Int) async -> Double {
            let start = monotonicSeconds()
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<workers {
                    group.addTask { for _ in 0..<iterations { await body() } }
                }
            }
            return monotonicSeconds() - start
        }
        var plan = SamplingPlan(configuration, clockCost: clockCost, minimumSampleTime: Self.concurrentSampleTime)
        while plan.phase == .warmup { plan.recordWarmup(wall: await batch(tasks, plan.iterations)) }
        var recorder = Recorder(state: self)
        var efficiencies: [Double] = []
        while plan.shouldTakeSample(now: monotonicSeconds()) {
            recorder.begin()
            let wall = await batch(tasks, plan.iterations)
            recorder.end(wall: wall, operations: plan.iterations * tasks)
            efficiencies.append(Self.scalingEfficiency(single: await batch(1, plan.iterations), all: wall, workers: tasks))
        }
        recording = recorder.finish(plan: plan, workers: tasks, efficiencies: efficiencies)
    }
}
