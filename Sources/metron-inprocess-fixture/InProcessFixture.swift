// In-process benchmarks whose cost is known, plus ones that crash or throw. Tests/MetronTests
// runs this executable and checks what Metron measured against the known truth.
#if canImport(Glibc)
import Glibc
#endif
import Metron

/// `steps` iterations of a 64-bit LCG: a serial dependency chain the optimiser cannot shorten
/// or vectorise, so its cost is proportional to `steps`.
@inline(never)
func lcg(_ steps: Int, seed: UInt64 = 42) -> UInt64 {
    var x = identity(seed)
    for _ in 0..<steps { x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407 }
    return x
}

func sleep(seconds: Double) {
    var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
}

/// Stays a size the tests know: exactly one malloc of `byteCount` per allocate.
let allocationSize = 1000
let allocationsPerIteration = 10
let leakBlockSize = 64 * 1024

@main
struct InProcessFixture: BenchmarkSuite {
    static func register(_ benchmarks: inout Benchmarks) {
        benchmarks.suite = "fixture"

        benchmarks.add("sleep 2ms", tags: ["timing"]) { state in
            state.measure { sleep(seconds: 0.002) }
        }

        benchmarks.add("lcg", parameter: "steps", values: [10_000, 100_000, 1_000_000, 3_000_000], tags: ["timing"]) { state in
            let steps = state.parameter
            state.measure { blackHole(lcg(steps)) }
        }

        benchmarks.add("allocations", tags: ["memory"]) { state in
            state.measure {
                for _ in 0..<allocationsPerIteration {
                    let buffer = UnsafeMutableRawPointer.allocate(byteCount: allocationSize, alignment: 8)
                    blackHole(buffer)
                    buffer.deallocate()
                }
            }
        }

        benchmarks.add("no allocations", tags: ["memory"]) { state in
            state.measure { blackHole(lcg(100)) }
        }

        // Keeps 64 KiB (touched, so resident) per iteration: 10 iterations per sample, 5 samples.
        benchmarks.add("leak", tags: ["memory"],
                       configuration: BenchmarkConfiguration(warmup: .zero, maxSamples: 5, iterations: 10)) { state in
            var kept: [UnsafeMutableRawPointer] = []
            state.measure {
                let block = UnsafeMutableRawPointer.allocate(byteCount: leakBlockSize, alignment: 16)
                block.initializeMemory(as: UInt8.self, repeating: 1, count: leakBlockSize)
                kept.append(block)
            }
            for block in kept { block.deallocate() }
        }

        benchmarks.add("setup excluded", tags: ["timing"]) { state in
            let value = state.setup { () -> Int in
                sleep(seconds: 0.2)
                return 7
            }
            state.measure { blackHole(value) }
            sleep(seconds: 0.05)  // tear-down, also untimed
        }

        benchmarks.add("prepare excluded", tags: ["timing"]) { state in
            state.measure(prepare: { () -> [Int] in
                sleep(seconds: 0.001)
                return [3, 1, 2]
            }) { input in
                input.sort()
                blackHole(input)
            }
        }

        benchmarks.add("linear scan", parameter: "n", values: [10, 50, 100, 500, 1000], tags: ["complexity"]) { state in
            let n = state.parameter
            state.measure { blackHole(lcg(n * 1000)) }
        }

        benchmarks.add("quadratic scan", parameter: "n", values: [10, 50, 100, 500, 1000], tags: ["complexity"]) { state in
            let n = state.parameter
            state.measure { blackHole(lcg(n * n)) }
        }

        benchmarks.add("cache counters", tags: ["counters"]) { state in
            let hits = state.counter("hits")
            let misses = state.counter("misses")
            state.ratio("hit_ratio", hits, of: hits, misses)
            var i = 0
            state.measure {
                // Every fourth lookup misses: a 75 % hit ratio.
                i &+= 1
                if i % 4 == 0 { misses.increment() } else { hits.increment() }
                blackHole(i)
            }
        }

        benchmarks.add("throughput", tags: ["throughput"]) { state in
            state.itemsPerIteration = 100
            state.measure { blackHole(lcg(1000)) }
        }

        benchmarks.add("bare", tags: ["overhead"]) { state in
            state.measure { blackHole(lcg(20_000)) }
        }

        benchmarks.add("doubled", tags: ["overhead"], baseline: "bare") { state in
            state.measure { blackHole(lcg(40_000)) }
        }

        benchmarks.add("threads", parameter: "workers", values: [1, 2], tags: ["concurrency"]) { state in
            state.measureConcurrently(threads: state.parameter) { blackHole(lcg(10_000)) }
        }
        // Twice as many CPU-bound workers as cores: they cannot run faster than the cores allow.
        benchmarks.add("threads oversubscribed", tags: ["concurrency"]) { state in
            state.measureConcurrently(threads: 2 * Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) { blackHole(lcg(10_000)) }
        }

        benchmarks.add("async yield", tags: ["async"]) { state in
            await state.measure { await Task.yield() }
        }

        benchmarks.add("tasks", parameter: "tasks", values: [2], tags: ["async", "concurrency"]) { state in
            await state.measureConcurrently(tasks: state.parameter) { blackHole(lcg(10_000)) }
        }

        // The harness's own cost per iteration (docs/performance.md).
        benchmarks.add("empty body", tags: ["harness"]) { state in
            state.measure {}
        }

        benchmarks.add("tiny body", tags: ["harness"]) { state in
            var x = 0
            state.measure { x &+= identity(1) }
            blackHole(x)
        }

        benchmarks.add("crash fatalError", tags: ["failure"]) { state in
            state.measure {
                if identity(true) { fatalError("boom in the benchmark") }
            }
        }

        benchmarks.add("crash SIGSEGV", tags: ["failure"]) { state in
            state.measure {
                let pointer = UnsafeMutablePointer<Int>(bitPattern: identity(8))!
                pointer.pointee = 1
            }
        }

        benchmarks.add("throws", tags: ["failure"]) { state in
            if identity(true) { throw FixtureError(description: "the disk is on fire") }
            state.measure {}
        }

        benchmarks.add("never measures", tags: ["failure"]) { _ in }

        benchmarks.add("hang", tags: ["failure"]) { state in
            state.measure { sleep(seconds: 3600) }
        }
    }
}
