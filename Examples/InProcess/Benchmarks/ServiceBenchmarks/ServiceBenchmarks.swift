import Metron
import ServiceKit

@main
struct ServiceBenchmarks: BenchmarkSuite {
    static func register(_ benchmarks: inout Benchmarks) {
        benchmarks.suite = "service-kit"
        // Short enough for a demo; override with METRON_MAX_DURATION and friends.
        benchmarks.defaults = BenchmarkConfiguration(warmup: .milliseconds(50), maxDuration: .milliseconds(500))

        // Building a registry of n containers: grows linearly with n.
        benchmarks.add("registry build", parameter: "containers", values: [10, 50, 100, 500, 1000], tags: ["registry"]) { state in
            let count = state.parameter
            state.itemsPerIteration = count
            state.measure { blackHole(ContainerRegistry.sample(count: count)) }
        }

        // Looking one container up: a hash lookup, constant in the registry's size.
        benchmarks.add("registry lookup", parameter: "containers", values: [10, 50, 100, 500, 1000], tags: ["registry"]) { state in
            let registry = state.setup { ContainerRegistry.sample(count: state.parameter) }
            let ids = (0..<1024).map { "container-\($0 % state.parameter)" }
            var next = 0
            state.measure {
                blackHole(registry.container(id: ids[next & 1023]))
                next &+= 1
            }
        }

        // A 100-entry status cache in front of 400 services, most requests for a few of them.
        benchmarks.add("status cache", tags: ["cache"]) { state in
            let hits = state.counter("cache_hits")
            let misses = state.counter("cache_misses")
            state.ratio("hit_ratio", hits, of: hits, misses)
            let registry = state.setup { ContainerRegistry.sample(count: 400) }
            var cache = StatusCache<String, ServiceStatus>(capacity: 100)
            // Skewed popularity: a squared uniform variate favours low service numbers.
            var generator = SystemRandomNumberGenerator()
            let requests = (0..<4096).map { _ -> String in
                let u = Double.random(in: 0..<1, using: &generator)
                return "image-\(Int(u * u * 400))"
            }
            var next = 0
            state.measure {
                let service = requests[next & 4095]
                next &+= 1
                if let cached = cache.value(for: service) {
                    hits.increment()
                    blackHole(cached)
                } else {
                    misses.increment()
                    let fresh = status(of: registry, service: service)
                    cache.insert(fresh, for: service)
                    blackHole(fresh)
                }
            }
        }

        // The bare status call and the same call through the instrumentation decorator.
        benchmarks.add("get_status", tags: ["overhead"]) { state in
            let registry = state.setup { ContainerRegistry.sample(count: 100) }
            state.measure { blackHole(status(of: registry, service: "image-3")) }
        }
        benchmarks.add("get_status instrumented", tags: ["overhead"], baseline: "get_status") { state in
            let registry = state.setup { ContainerRegistry.sample(count: 100) }
            let metrics = OperationMetrics()
            state.measure { blackHole(instrumented(metrics) { status(of: registry, service: "image-3") }) }
        }

        // A lock-protected request counter under 5, 10, 25 and 50 concurrent workers.
        benchmarks.add("request counter", parameter: "workers", values: [5, 10, 25, 50], tags: ["concurrency"]) { state in
            let counter = RequestCounter()
            state.measureConcurrently(threads: state.parameter) { counter.record() }
        }
    }
}
