// swift-tools-version: 6.1
import PackageDescription

// The layout follows Metron's pipeline: define → run → measure → analyse → store → report/gate.
// MetronCore stays free of package dependencies so its tests build and run in seconds.
let package = Package(
    name: "Metron",
    platforms: [.macOS(.v14)],
    products: [
        // One binary with every command.
        .executable(name: "metron", targets: ["MetronCLI"]),
        .executable(name: "metron-spawner", targets: ["metron-spawner"]),
        .library(name: "MetronCore", targets: ["MetronCore"]),
        .library(name: "MetronRunner", targets: ["MetronRunner"]),
        .library(name: "MetronReport", targets: ["MetronReport"]),
        // What users import to declare in-process benchmarks (docs/inprocess.md).
        .library(name: "Metron", targets: ["Metron"]),
        // `swift package metron`: build and run a package's Benchmarks/ executables, optionally store them.
        .plugin(name: "MetronPlugin", targets: ["MetronCommandPlugin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/onevcat/Rainbow", from: "4.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/ordo-one/malloc-interposer", from: "1.6.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // Result model, statistics, comparison. Pure: standard library only.
        .target(name: "MetronCore"),

        // Thin C shim for the few Linux calls Swift cannot reach directly
        // (pidfd_open, prctl, an async-signal-safe signal handler).
        .target(name: "CMetronSys"),

        // Spawning, timing, rusage, /proc sampling, timeouts, process groups.
        .target(name: "MetronRunner", dependencies: ["MetronCore", "CMetronSys"]),

        // Metron's one JSON convention (docs/schema.md): the encoder and decoder every export, the
        // store's structured columns, the server and the in-process library use.
        .target(name: "MetronJSON", dependencies: ["MetronCore"]),

        // History: one store protocol, SQLite (default, embedded) and PostgreSQL (teams).
        .target(name: "MetronStore", dependencies: [
            "MetronCore", "MetronJSON",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Suite files (metron.yml): suites of benchmarks, defaults, budgets, regression bands.
        .target(name: "MetronSuite", dependencies: [
            "MetronCore", "MetronImport",
            .product(name: "Yams", package: "Yams"),
        ]),

        // Terminal tables and progress, JSON/CSV/Markdown exports; reports (HTML, Markdown, CSV,
        // JUnit) rendered from values (callers load the history from the store).
        .target(name: "MetronReport", dependencies: [
            "MetronCore", "MetronJSON",
            .product(name: "Rainbow", package: "Rainbow"),
        ]),

        // `metron serve`: the live dashboard, a JSON API and run uploads over HTTP (Hummingbird).
        .target(name: "MetronServer", dependencies: [
            "MetronCore", "MetronJSON", "MetronStore", "MetronReport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),

        // The measuring session `exec`, `run` and `monitor` share (plan → executor → raw results →
        // analysis → terminal output), with the command-line plumbing (exit statuses, one-line
        // usage errors).
        // Converts the output of other harnesses (hyperfine, pytest-benchmark, Google Benchmark,
        // go test -bench, Criterion.rs) into run reports for `metron import`.
        .target(name: "MetronImport", dependencies: ["MetronCore", "MetronJSON"]),
        .target(name: "MetronExec", dependencies: [
            "MetronCore", "MetronJSON", "MetronRunner", "MetronReport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // `metron`, the whole command line: one file per subcommand.
        .executableTarget(name: "MetronCLI", dependencies: [
            "MetronCore", "MetronJSON", "MetronExec", "MetronRunner", "MetronReport", "MetronStore", "MetronSuite", "MetronServer",
            "MetronImport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .plugin(name: "MetronCommandPlugin",
                capability: .command(intent: .custom(verb: "metron", description: "Run the package's Metron benchmarks (Benchmarks/)")),
                dependencies: ["MetronCLI"],
                path: "Plugins/MetronCommandPlugin"),

        // The small fork server measured commands are started from (see its main.c for why).
        .executableTarget(name: "metron-spawner", dependencies: ["CMetronSys"]),

        // Workloads whose cost is known exactly; the tests measure them.
        .executableTarget(name: "metron-workload"),

        // Fuzz targets (scripts/fuzz.sh builds them with libFuzzer); built plainly, it replays
        // saved inputs, as FuzzCorpusTests does with the committed corpus.
        .executableTarget(name: "metron-fuzz", dependencies: ["MetronSuite", "MetronImport", "MetronJSON", "MetronCore"]),

        // Benchmarks of Metron itself (run by hand; figures in docs/performance.md).
        .executableTarget(name: "metron-store-bench", dependencies: ["MetronStore", "MetronJSON", "MetronCore",
                                                                   .product(name: "GRDB", package: "GRDB.swift")],
                          path: "Benchmarks/StoreScale"),

        // In-process benchmarks: the declaration API, the measuring loop and the runner that
        // isolates each benchmark in a child process. Its terminal text and JSON are MetronReport's
        // and MetronJSON's; it stays off MetronStore so a user's benchmark executable does not link
        // SQLite and PostgreSQL clients.
        .target(name: "CMetronProbe"),
        .target(name: "Metron", dependencies: [
            "MetronCore", "MetronJSON", "MetronReport", "MetronRunner", "CMetronProbe",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Rainbow", package: "Rainbow"),
            .product(name: "MallocInterposerSwift", package: "malloc-interposer"),
        ]),
        // In-process benchmarks with known cost (and ones that crash or throw); MetronTests runs it.
        .executableTarget(name: "metron-inprocess-fixture", dependencies: ["Metron"]),

        .testTarget(name: "MetronTests", dependencies: ["Metron", "MetronCore", "metron-inprocess-fixture"]),
        .testTarget(name: "MetronCoreTests", dependencies: ["MetronCore"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "MetronRunnerTests", dependencies: ["MetronRunner", "MetronCore", "metron-workload", "metron-spawner"]),
        .testTarget(name: "MetronStoreTests", dependencies: ["MetronStore", "MetronJSON", "MetronCore"]),
        .testTarget(name: "MetronSuiteTests", dependencies: ["MetronSuite", "MetronCore"]),
        .testTarget(name: "MetronReportTests", dependencies: ["MetronReport", "MetronJSON", "MetronCore",
                                                             .product(name: "Rainbow", package: "Rainbow")],
                    exclude: ["Golden"]),
        .testTarget(name: "MetronCLITests", dependencies: ["MetronCore", "MetronExec", "MetronCLI", "metron-workload", "metron-spawner",
                                                                  "metron-fuzz"]),
        // Reads Tests/Fixtures/peer-formats, the files written by the peer tools.
        .testTarget(name: "MetronImportTests", dependencies: ["MetronImport", "MetronCore", "MetronJSON"]),
    ]
)
