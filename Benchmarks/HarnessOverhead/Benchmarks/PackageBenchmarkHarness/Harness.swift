import Benchmark

// The same two bodies in package-benchmark's idiom: scaledIterations with a mega scaling factor,
// so each reported figure is the time of one scaled iteration, as its documentation advises for
// micro-benchmarks.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput], scalingFactor: .mega,
                                           maxDuration: .seconds(1), maxIterations: 1_000)
    Benchmark("empty") { benchmark in
        for _ in benchmark.scaledIterations {}
    }
    Benchmark("tiny") { benchmark in
        let one = identity(1)
        for _ in benchmark.scaledIterations { blackHole(one &+ 1) }
    }
}
