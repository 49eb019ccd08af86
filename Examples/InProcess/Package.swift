// swift-tools-version: 6.1
import PackageDescription

// In-process benchmarks of a small service toolkit (the kind of code seeds 000, 001 and 004
// benchmark): run them with `swift run -c release --package-path Examples/InProcess`.
let package = Package(
    name: "InProcessExamples",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Metron", path: "../.."),
    ],
    targets: [
        // The code under test.
        .target(name: "ServiceKit"),
        // Its benchmarks: an executable that imports Metron.
        .executableTarget(
            name: "ServiceBenchmarks",
            dependencies: ["ServiceKit", .product(name: "Metron", package: "Metron")],
            path: "Benchmarks/ServiceBenchmarks"),
    ]
)
