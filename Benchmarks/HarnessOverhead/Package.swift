// swift-tools-version: 6.1
import PackageDescription

// Harness overhead per iteration, Metron next to package-benchmark (ordo-one/benchmark 1.38.1),
// on the same two bodies: an empty one and a tiny one (an opaque add). Run by run.sh; figures in
// docs/performance.md. A separate package so Metron's own build does not carry package-benchmark.
let package = Package(
    name: "HarnessOverhead",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Metron", path: "../.."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(name: "MetronHarness", dependencies: [.product(name: "Metron", package: "Metron")],
                          path: "Benchmarks/MetronHarness"),
        .executableTarget(name: "PackageBenchmarkHarness", dependencies: [.product(name: "Benchmark", package: "benchmark")],
                          path: "Benchmarks/PackageBenchmarkHarness",
                          plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
    ]
)
