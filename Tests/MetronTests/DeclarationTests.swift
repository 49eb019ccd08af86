@testable import Metron
import MetronCore
import Testing

/// The declaration API: what a `Benchmarks` value expands to, and a body run in-process.
struct DeclarationTests {
    @Test func parametersExpandToOneInstanceEach() {
        let benchmarks = Benchmarks { b in
            b.defaults = BenchmarkConfiguration(maxSamples: 5)
            b.add("plain", tags: ["a"]) { state in state.measure {} }
            b.add("scan", parameter: "size", values: [10, 100], baseline: "plain") { state in
                state.measure { blackHole(state.parameter) }
            }
            b.add("async") { state in await state.measure { await Task.yield() } }
        }
        #expect(benchmarks.instances.map(\.key) == ["plain", "scan [size=10]", "scan [size=100]", "async"])
        #expect(benchmarks.instances[1].parameters == [Parameter(name: "size", value: "10")])
        #expect(benchmarks.declarations[1].baseline == "plain")
        #expect(benchmarks.defaults.maxSamples == 5)
    }

    @Test func aBodyRunInProcessYieldsAResult() async {
        let benchmarks = Benchmarks { b in
            b.add("sum", parameter: "n", values: [100], tags: ["t"]) { state in
                let n = state.parameter
                state.itemsPerIteration = n
                let calls = state.counter("calls")
                state.measure {
                    calls.increment()
                    blackHole((0..<identity(n)).reduce(0, &+))
                }
            }
        }
        let instance = benchmarks.instances[0]
        let configuration = BenchmarkConfiguration(warmup: .milliseconds(5), maxDuration: .milliseconds(50), maxSamples: 10)
        let result = await InstanceExecution.run(instance, configuration: configuration, suite: "unit", clockCost: 2e-8)
        #expect(result.status == .ok)
        #expect(result.kind == .inProcess)
        #expect(result.suite == "unit")
        #expect(result.tags == ["t"])
        #expect(result.parameters == [Parameter(name: "n", value: "100")])
        #expect((1...10).contains(result.wallTime?.count ?? 0))
        // One counted call per iteration, in every sample.
        #expect(result.metric("calls")?.samples.allSatisfy { $0 == 1 } == true)
        let ops = result.metric(.operationsPerSecond)?.samples ?? []
        let items = result.metric(.itemsPerSecond)?.samples ?? []
        #expect(!ops.isEmpty && zip(ops, items).allSatisfy { abs($1 / $0 - 100) < 1e-9 })
    }

    @Test func aThrowingBodyFailsWithItsError() async {
        struct Broken: Error, CustomStringConvertible { var description: String { "no input" } }
        let benchmarks = Benchmarks { b in
            b.add("broken") { _ in throw Broken() }
        }
        let result = await InstanceExecution.run(benchmarks.instances[0], configuration: BenchmarkConfiguration(),
                                                 suite: nil, clockCost: 2e-8)
        #expect(result.status == .failed)
        #expect(result.message == "threw Broken: no input")
        #expect(result.metrics.isEmpty)
    }
}
