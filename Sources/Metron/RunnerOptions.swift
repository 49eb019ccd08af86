import ArgumentParser

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

/// The command line of a benchmark executable. A command only for its help text: the runner
/// parses it and acts itself.
struct RunnerOptions: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: CommandLine.arguments.first.map { String($0.split(separator: "/").last ?? "benchmarks") },
            abstract: "Runs this executable's Metron benchmarks, each in its own child process.",
        discussion: """
            Environment: METRON_WARMUP, METRON_MAX_DURATION, METRON_SAMPLE_TIME (durations such as \
            0.5, 200ms, 2s), METRON_SAMPLES, METRON_ITERATIONS (whole numbers) override every \
            benchmark's configuration.
            """)
    }

    @Option(name: .customLong("filter"), help: ArgumentHelp(
        "Run only benchmarks whose name matches this regular expression (parameters included, as in 'sort [size=100]'). Repeatable.",
        valueName: "regex"))
    var filters: [String] = []

    @Option(name: .customLong("skip"), help: ArgumentHelp("Skip benchmarks whose name matches this regular expression. Repeatable.",
                                                          valueName: "regex"))
    var skips: [String] = []

    @Option(help: "What to print on standard output: table or json (a Metron RunReport).")
    var format: OutputFormat = .table

    @Option(help: ArgumentHelp("Also write the JSON RunReport to this file.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Fail a benchmark whose process runs longer than this many seconds (it is killed; the run goes on).",
                               valueName: "seconds"))
    var timeout: Double?

    @Flag(help: "List the benchmarks (one per parameter value) and exit.")
    var list = false

    @Flag(help: "Run every benchmark in this process instead of a child process each (for debuggers; a crash ends the run).")
    var noIsolation = false

    @Flag(help: "Also count each benchmark's body under Valgrind's callgrind: instructions, cache misses and estimated cycles per iteration, deterministic (one counted run each; its time is not a measurement).")
    var valgrind = false

    /// The counted child's flag: its process starts differently (`Benchmarks.main`).
    static let simulateFlag = "--metron-simulate"

    @Option(name: .customLong("metron-simulate"), help: .hidden)
    var simulateIterations: Int?

    @Option(name: .customLong("metron-child"), help: .hidden)
    var childIndex: Int?

    @Option(name: .customLong("metron-result"), help: .hidden)
    var childResultPath: String?
}
