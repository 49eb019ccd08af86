import ArgumentParser
import FoundationEssentials
import MetronCore
import MetronReport
import MetronExec
import MetronRunner
import MetronStore

struct ExecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Benchmark one or more commands and compare them.",
        discussion: """
            Each command runs without a shell unless --shell is given: the line is split into words \
            like a shell would and the program is executed directly. Use {NAME} in commands for \
            parameter scans and lists.

            Exit status: 0 when every benchmark completed, 1 when one failed or timed out, 2 for \
            usage errors, 130/143 when interrupted by SIGINT/SIGTERM (results so far are printed \
            and exported).
            """)

    @Argument(help: "The commands to benchmark.")
    var commands: [String] = []

    @Option(help: ArgumentHelp(
        "A reference command, measured first in every round; each other command is compared with it (its speed relative to the reference and a paired verdict: slower, faster, no change or inconclusive).",
        valueName: "CMD"))
    var reference: String?

    @Option(help: ArgumentHelp("Display name of the reference command.", valueName: "NAME"))
    var referenceName: String?

    @Option(name: [.short, .long], help: "Warm-up runs before measuring each command.")
    var warmup: Int = 0

    @Option(name: [.short, .long], help: "Exact number of measured runs (default: automatic, about 3 s and at least --min-runs).")
    var runs: Int?

    @Option(name: [.short, .customLong("min-runs")], help: "Minimum measured runs in automatic mode.")
    var minRuns: Int?

    @Option(name: [.customShort("M"), .customLong("max-runs")], help: "Maximum measured runs in automatic mode.")
    var maxRuns: Int?

    @Option(help: ArgumentHelp("In automatic mode, measure each command for about this long (default 3).", valueName: "SECONDS"))
    var minBenchmarkingTime: Double?

    @Option(name: [.short, .long], help: "Command run before every run (warm-up and measured); not timed. Once for all commands or once per command.")
    var prepare: [String] = []

    @Option(name: [.customShort("C"), .long], help: "Command run after every run (warm-up and measured); not timed. Once for all commands or once per command.")
    var conclude: [String] = []

    @Option(name: [.short, .long], help: "Command run once before each benchmarked command. Once for all or once per command.")
    var setup: [String] = []

    @Option(name: [.short, .long], help: "Command run once after each benchmarked command. Once for all or once per command.")
    var cleanup: [String] = []

    @Option(name: [.short, .long], help: "Per-run timeout in seconds; the whole process tree is killed and the run recorded as timed out.")
    var timeout: Double?

    @Option(name: [.customShort("P"), .customLong("parameter-scan")],
            help: ArgumentHelp("Scan a parameter: NAME LO HI, substituted for {NAME} in commands. May be repeated.", valueName: "NAME LO HI"))
    var parameterScan: [String] = []

    @Option(name: [.customShort("D"), .long, .customLong("parameter-step-size")], help: "Step of --parameter-scan (default 1; decimals allowed).")
    var step: Double?

    @Option(name: [.customShort("L"), .customLong("parameter-list")],
            help: ArgumentHelp("A parameter over a list: NAME a,b,c. May be repeated (all combinations run).", valueName: "NAME VALUES"))
    var parameterList: [String] = []

    @Option(name: [.customShort("S"), .long], help: "Shell for commands: none (default), sh, bash or a path. Its spawn time is subtracted.")
    var shell: String?

    @Flag(name: [.customShort("N"), .customLong("no-shell")], help: "Same as --shell none.")
    var noShell = false

    @Flag(help: "Measure several commands one after another (hyperfine's order) instead of in interleaved rounds.")
    var sequential = false

    @Option(help: ArgumentHelp("Seed of the per-round shuffle of interleaved commands (default: random; recorded in the JSON).", valueName: "N"))
    var seed: UInt64?

    @Flag(name: [.short, .long], help: "Keep measuring when a command exits non-zero or times out.")
    var ignoreFailure = false

    @Flag(help: "Show the commands' stdout/stderr instead of discarding it.")
    var showOutput = false

    @Option(name: [.short, .long, .customLong("command-name")], help: "Display name of a command (once per command, in order; {NAME} substituted).")
    var name: [String] = []

    @Option(help: ArgumentHelp("Export results as JSON (Metron's schema, raw runs included).", valueName: "FILE"))
    var exportJson: String?

    @Option(help: ArgumentHelp("Export a summary row per command as CSV.", valueName: "FILE"))
    var exportCsv: String?

    @Option(help: ArgumentHelp("Export a Markdown table.", valueName: "FILE"))
    var exportMarkdown: String?

    @Flag(help: "Save the run to the history store (see --store).")
    var save = false

    @Option(name: .customLong("tag"), help: "A tag recorded with the run (repeatable).")
    var tags: [String] = []

    @Option(help: ArgumentHelp(
        "History store: a SQLite file path (default .metron/metron.sqlite, or $METRON_STORE), sqlite:PATH, or postgres://user:pass@host:port/db.",
        valueName: "LOCATION"))
    var store: String?

    @Option(help: "Colours: auto (terminal and no NO_COLOR), always, never.")
    var color: String = "auto"

    @Option(help: ArgumentHelp("Bootstrap resamples for confidence intervals.", visibility: .hidden))
    var bootstrapResamples: Int = 10_000

    init() {}

    // MARK: - Validation (usage errors: exit 2 before anything runs)

    struct Plan {
        var specs: [CommandSpec]
        var settings: ExecSettings
        var exports: ExportTargets
        var colorMode: TerminalStyle.Mode
        /// Set when the commands are measured in interleaved rounds.
        var interleaveSeed: UInt64?
        /// The index in `specs` of the reference command.
        var reference: Int?
    }

    func plan() throws -> Plan {
        let commands = self.commands
        var axes: [ParameterExpansion.Axis] = []
        for joined in parameterScan {
            let values = ArgumentPreprocessor.split(joined)
            guard values.count == 3 else { throw ValidationError("--parameter-scan needs NAME LO HI") }
            guard let lower = Double(values[1]), let upper = Double(values[2]) else {
                throw ValidationError("--parameter-scan bounds must be numbers, got '\(values[1])' and '\(values[2])'")
            }
            axes.append(try expansion { try ParameterExpansion.scan(name: values[0], lower: lower, upper: upper, step: step ?? 1) })
        }
        if step != nil && parameterScan.isEmpty { throw ValidationError("--step needs --parameter-scan") }
        for joined in parameterList {
            let values = ArgumentPreprocessor.split(joined)
            guard values.count == 2 else { throw ValidationError("--parameter-list needs NAME VALUES (comma-separated)") }
            axes.append(try expansion { try ParameterExpansion.list(name: values[0], commaSeparated: values[1]) })
        }
        guard !commands.isEmpty else {
            throw ValidationError(reference == nil ? "no command to benchmark (try: metron exec 'sleep 0.1')"
                                                   : "--reference needs at least one command to compare with it")
        }
        if referenceName != nil && reference == nil { throw ValidationError("--reference-name needs --reference") }
        for command in commands + (reference.map { [$0] } ?? []) where command.allSatisfy({ $0.isWhitespace && !$0.isNewline }) {
            throw ValidationError("empty command")
        }
        for (option, values) in [("--prepare", prepare), ("--conclude", conclude), ("--setup", setup), ("--cleanup", cleanup), ("--name", name)]
        where values.count > 1 && values.count != commands.count {
            throw ValidationError("\(option) is given \(values.count) times for \(commands.count) commands: give it once or once per command")
        }
        if name.count == 1 && commands.count > 1 {
            throw ValidationError("--name is given once for \(commands.count) commands: give it once per command")
        }

        var settings = ExecSettings()
        guard warmup >= 0 else { throw ValidationError("--warmup must be 0 or more") }
        settings.warmup = warmup
        if let runs {
            guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
            guard minRuns == nil, maxRuns == nil else { throw ValidationError("--runs cannot be combined with --min-runs/--max-runs") }
            settings.runs = runs
        }
        if let minRuns {
            guard minRuns >= 1 else { throw ValidationError("--min-runs must be at least 1") }
            settings.minRuns = minRuns
        }
        if let maxRuns {
            guard maxRuns >= 1 else { throw ValidationError("--max-runs must be at least 1") }
            guard maxRuns >= (minRuns ?? 1) else { throw ValidationError("--max-runs (\(maxRuns)) is below --min-runs (\(minRuns ?? 1))") }
            settings.maxRuns = maxRuns
            if minRuns == nil { settings.minRuns = min(settings.minRuns, maxRuns) }
        }
        if let minBenchmarkingTime {
            guard minBenchmarkingTime.isFinite, minBenchmarkingTime > 0, minBenchmarkingTime <= ExecSettings.maximumTimeout else {
                throw ValidationError("--min-benchmarking-time must be a positive number of seconds (at most a year)")
            }
            guard runs == nil else { throw ValidationError("--min-benchmarking-time applies to automatic mode: it cannot be combined with --runs") }
            settings.targetTime = minBenchmarkingTime
        }
        if let timeout {
            if let problem = ExecSettings.timeoutProblem(timeout) { throw ValidationError("--timeout \(problem)") }
            settings.timeout = timeout
        }
        settings.shell = noShell ? .none : ShellChoice(parsing: shell ?? "none")
        // hyperfine runs commands through a shell; Metron does not unless asked. Say so when a
        // command needs one, unless no shell was asked for explicitly (-N, --shell none).
        if settings.shell == .none && shell == nil && !noShell {
            for command in (reference.map { [$0] } ?? []) + commands {
                if let token = ShellSyntax.firstToken(in: command) {
                    writeStandardError("metron: warning: '\(command)' contains '\(token)', which only a shell understands; without one "
                                       + "it reaches the program as a plain argument. Use --shell sh to run it through a shell "
                                       + "(its start-up is subtracted), or -N / --shell none to silence this warning.\n")
                }
            }
        }
        if case .shell(let path) = settings.shell, ExecutableLookup.resolve(path) == nil {
            throw ValidationError("shell not found: '\(path)'")
        }
        settings.ignoreFailure = ignoreFailure
        settings.showOutput = showOutput
        guard bootstrapResamples >= 0 else { throw ValidationError("--bootstrap-resamples must be 0 or more") }
        settings.bootstrap.resamples = bootstrapResamples
        guard let colorMode = TerminalStyle.Mode(rawValue: color) else {
            throw ValidationError("--color must be auto, always or never")
        }

        let combinations = try expansion { try ParameterExpansion.combinations(axes) }
        var specs: [CommandSpec] = []
        // The reference runs as given, with the options given once for all commands.
        if let reference {
            func shared(_ values: [String]) -> String? { values.count == 1 ? values[0] : nil }
            specs.append(CommandSpec(name: referenceName ?? reference, command: reference, parameters: [],
                                     prepare: shared(prepare), conclude: shared(conclude), setup: shared(setup), cleanup: shared(cleanup)))
        }
        for (index, template) in commands.enumerated() {
            func pick(_ values: [String]) -> String? {
                values.isEmpty ? nil : values.count == 1 ? values[0] : values[index]
            }
            for parameters in combinations {
                let command = ParameterExpansion.substitute(template, parameters)
                let display = pick(name).map { ParameterExpansion.substitute($0, parameters) } ?? command
                specs.append(CommandSpec(
                    name: display, command: command, parameters: parameters,
                    prepare: pick(prepare).map { ParameterExpansion.substitute($0, parameters) },
                    conclude: pick(conclude).map { ParameterExpansion.substitute($0, parameters) },
                    setup: pick(setup).map { ParameterExpansion.substitute($0, parameters) },
                    cleanup: pick(cleanup).map { ParameterExpansion.substitute($0, parameters) }))
            }
        }
        // Results are told apart by name: the same command twice gets "#2" after its name.
        var seen: [String: Int] = [:]
        for index in specs.indices {
            let key = BenchmarkKey.of(name: specs[index].name, parameters: specs[index].parameters)
            seen[key, default: 0] += 1
            if seen[key]! > 1 { specs[index].name += " #\(seen[key]!)" }
        }
        let exports = try ExportTargets(json: exportJson, csv: exportCsv, markdown: exportMarkdown)
        if sequential && seed != nil { throw ValidationError("--seed orders interleaved rounds: it cannot be combined with --sequential") }
        let interleaveSeed = sequential || specs.count < 2 ? nil : seed ?? UInt64.random(in: 0...UInt64.max)
        return Plan(specs: specs, settings: settings, exports: exports, colorMode: colorMode, interleaveSeed: interleaveSeed,
                    reference: reference == nil ? nil : 0)
    }

    private func expansion<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as ParameterExpansion.ExpansionError {
            throw ValidationError(error.description)
        }
    }

    // MARK: - Running

    func run() async throws {
        let plan = try plan()
        let style = TerminalStyle.detect(color: plan.colorMode, environment: ProcessInfo.processInfo.environment)
        style.activate()
        let storeOptions = StoreOptions(store: store)
        if save { _ = try storeOptions.location }
        let planned = plan.specs.map { PlannedBenchmark(spec: $0, settings: plan.settings) }
        do {
            try MeasurementSession.validate(planned)
        } catch let error as UsageFailure {
            throw ValidationError(error.description)
        }
        let executor = try MeasurementSession.processRunner()
        let report = try MeasurementSession.measure(planned, executor: executor, style: style, tags: tags,
                                                    interleaveSeed: plan.interleaveSeed, reference: plan.reference)
        var sideEffectsFailed = !plan.exports.write(report)
        if save { sideEffectsFailed = await !storeOptions.save(report) || sideEffectsFailed }
        let status = MeasurementSession.exitStatus(report, sideEffectsFailed: sideEffectsFailed)
        if status != 0 { throw ExitCode(status) }
    }
}
