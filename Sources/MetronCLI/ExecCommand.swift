import ArgumentParser
import FoundationEssentials
import Glibc
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

    @Option(name: [.customShort("S"), .long], help: "Shell for commands: none (default), sh, bash, a path or a shell with options (\"bash --norc\"); default is sh. Its spawn time is subtracted.")
    var shell: String?

    @Flag(name: [.customShort("N"), .customLong("no-shell")], help: "Same as --shell none.")
    var noShell = false

    @Flag(help: "Measure several commands one after another (hyperfine's order) instead of in interleaved rounds.")
    var sequential = false

    @Option(help: ArgumentHelp("Seed of the per-round shuffle of interleaved commands (default: random; recorded in the JSON).", valueName: "N"))
    var seed: UInt64?

    @Flag(name: [.short, .long], help: ArgumentHelp(
        "Keep measuring when a command exits non-zero, is killed or times out. --ignore-failure=1,2 ignores only those exit codes (--ignore-failure=all-non-zero: all, as without a value)."))
    var ignoreFailure = false

    /// `--ignore-failure=MODE`, rewritten to this by ArgumentPreprocessor.
    @Option(name: .customLong("ignore-failure-mode"), help: ArgumentHelp(visibility: .private))
    var ignoreFailureMode: String?

    @Flag(help: "Show the commands' stdout/stderr instead of discarding it (same as --output inherit).")
    var showOutput = false

    @Option(help: ArgumentHelp(
        "Where the commands' output goes: null (default), pipe (read and discarded; some programs write to /dev/null faster), inherit, or a FILE path with a '/'. Once for all commands or once per command.",
        valueName: "WHERE"))
    var output: [String] = []

    @Option(help: ArgumentHelp("What the commands read as stdin: null (default) or a FILE.", valueName: "WHERE"))
    var input: String?

    @Option(help: ArgumentHelp(
        "Order of the speed summary and the markup tables: auto (summary by time, tables as given), command, mean-time.",
        valueName: "METHOD"))
    var sort: String = "auto"

    @Option(name: [.customShort("u"), .long], help: ArgumentHelp(
        "Time unit of the terminal output and the markup exports: ns, us, ms, s (or hyperfine's microsecond, millisecond, second).",
        valueName: "UNIT"))
    var timeUnit: String?

    @Option(help: ArgumentHelp(
        "Output style: auto, basic (no colours, no progress bar), full, nocolor, color, none (nothing on stdout).",
        valueName: "TYPE"))
    var style: String = "auto"

    @Option(name: [.short, .long, .customLong("command-name")], help: "Display name of a command (once per command, in order; {NAME} substituted).")
    var name: [String] = []

    @Option(help: ArgumentHelp("Export results as JSON (Metron's schema, raw runs included).", valueName: "FILE"))
    var exportJson: String?

    @Option(help: ArgumentHelp("Export a summary row per command as CSV.", valueName: "FILE"))
    var exportCsv: String?

    @Option(help: ArgumentHelp("Export a Markdown table.", valueName: "FILE"))
    var exportMarkdown: String?

    @Option(help: ArgumentHelp("Export an AsciiDoc table.", valueName: "FILE"))
    var exportAsciidoc: String?

    @Option(help: ArgumentHelp("Export an Emacs org-mode table.", valueName: "FILE"))
    var exportOrgmode: String?

    @Option(help: ArgumentHelp(
        "Export in hyperfine's JSON schema (results[] with times, exit_codes, memory_usage_byte, parameters) for its scripts and tools.",
        valueName: "FILE"))
    var exportJsonHyperfine: String?

    @Flag(help: ArgumentHelp(
        "Also run each command once under Valgrind's cache simulation: instructions, cache misses and estimated cycles, deterministic counts (its time is not a measurement).",
        discussion: "The whole process tree is counted (children followed). Exit 2 when Valgrind cannot count a command; the other metrics are still measured and stored."))
    var valgrind = false

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
        var style: TerminalStyle.Style
        var timeUnit: TimeUnit?
        var order: ResultOrder
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
        if case .shell(let path) = settings.shell, (try? ShellCommand.launchSpec(for: "", shell: settings.shell, output: .discard)) == nil {
            throw ValidationError("shell not found: '\(path)'")
        }
        settings.ignoreFailure = ignoreFailure || ignoreFailureMode != nil
        if let mode = ignoreFailureMode, mode != "all-non-zero", !mode.isEmpty {
            let codes = mode.split(separator: ",", omittingEmptySubsequences: false).map { Int32($0.filter { !$0.isWhitespace }) }
            guard codes.allSatisfy({ $0 != nil }) else {
                throw ValidationError("--ignore-failure takes all-non-zero or a comma-separated list of exit codes, got '\(mode)'")
            }
            settings.ignoredExitCodes = Set(codes.compactMap { $0 })
        }
        if showOutput && !output.isEmpty { throw ValidationError("--show-output cannot be combined with --output (use --output inherit)") }
        settings.showOutput = showOutput
        let outputs = try output.map { text in
            guard var disposition = OutputDisposition(parsing: text) else {
                throw ValidationError("--output must be null, pipe, inherit or a file path containing '/', got '\(text)' (for a file here: ./\(text))")
            }
            if case .file(let path) = disposition {
                try ExportTargets.checkWritable(option: "--output", path: path)
                disposition = .file(Self.absolute(path))
            }
            return disposition
        }
        if let input, input != "null" {
            guard access(input, R_OK) == 0, !Self.isDirectory(input) else {
                throw ValidationError("--input: cannot read '\(input)' (null or a readable file)")
            }
            settings.input = Self.absolute(input)
        }
        guard let order = ResultOrder(rawValue: sort) else { throw ValidationError("--sort must be auto, command or mean-time, got '\(sort)'") }
        var unit: TimeUnit?
        if let timeUnit {
            guard let parsed = TimeUnit(parsing: timeUnit) else {
                throw ValidationError("--time-unit must be ns, us, ms or s (or nanosecond, microsecond, millisecond, second), got '\(timeUnit)'")
            }
            unit = parsed
        }
        guard let outputStyle = TerminalStyle.Style(rawValue: style) else {
            throw ValidationError("--style must be auto, basic, full, nocolor, color or none, got '\(style)'")
        }
        guard bootstrapResamples >= 0 else { throw ValidationError("--bootstrap-resamples must be 0 or more") }
        settings.bootstrap.resamples = bootstrapResamples
        if valgrind {
            do {
                settings.valgrind = try ValgrindSimulation.locate()
            } catch {
                throw ValidationError("\(error)")
            }
        }
        guard let colorMode = TerminalStyle.Mode(rawValue: color) else {
            throw ValidationError("--color must be auto, always or never")
        }

        let combinations = try expansion { try ParameterExpansion.combinations(axes) }
        // hyperfine's order: the commands vary fastest, then the first parameter, and so on.
        let benchmarks = combinations.flatMap { parameters in commands.indices.map { (template: $0, parameters: parameters) } }
        let hasReference = reference != nil
        let perCommand = PerCommandValues(commands: commands.count, benchmarks: benchmarks.count, reference: hasReference)
        for (option, values) in [("--prepare", prepare), ("--conclude", conclude), ("--setup", setup), ("--cleanup", cleanup),
                                 ("--output", output)] {
            try perCommand.check(option, values.count)
        }
        let names = PerCommandValues(commands: commands.count, benchmarks: benchmarks.count, reference: false)
        try names.check("--name", name.count)
        var specs: [CommandSpec] = []
        // The reference runs as given, with the options given once for all commands or first of
        // those given once per benchmark and the reference.
        if let reference {
            var spec = CommandSpec(name: referenceName ?? reference, command: reference, parameters: [],
                                   prepare: perCommand.reference(prepare), conclude: perCommand.reference(conclude),
                                   setup: perCommand.reference(setup), cleanup: perCommand.reference(cleanup))
            spec.output = perCommand.reference(outputs)
            specs.append(spec)
        }
        for (position, benchmark) in benchmarks.enumerated() {
            let parameters = benchmark.parameters
            func pick(_ values: [String]) -> String? {
                perCommand.value(values, template: benchmark.template, benchmark: position).map { ParameterExpansion.substitute($0, parameters) }
            }
            let command = ParameterExpansion.substitute(commands[benchmark.template], parameters)
            let display = names.value(name, template: benchmark.template, benchmark: position)
                .map { ParameterExpansion.substitute($0, parameters) } ?? command
            var spec = CommandSpec(name: display, command: command, parameters: parameters, prepare: pick(prepare),
                                   conclude: pick(conclude), setup: pick(setup), cleanup: pick(cleanup))
            spec.output = perCommand.value(outputs, template: benchmark.template, benchmark: position)
            specs.append(spec)
        }
        // Results are told apart by name: the same command twice gets "#2" after its name.
        var seen: [String: Int] = [:]
        for index in specs.indices {
            let key = BenchmarkKey.of(name: specs[index].name, parameters: specs[index].parameters)
            seen[key, default: 0] += 1
            if seen[key]! > 1 { specs[index].name += " #\(seen[key]!)" }
        }
        let exports = try ExportTargets(json: exportJson, csv: exportCsv, markdown: exportMarkdown, asciidoc: exportAsciidoc,
                                        orgmode: exportOrgmode, hyperfineJSON: exportJsonHyperfine, timeUnit: unit, order: order)
        if sequential && seed != nil { throw ValidationError("--seed orders interleaved rounds: it cannot be combined with --sequential") }
        // Alternatives (several commands, or a reference) run in rounds; the values of one
        // command's parameters are a scan, measured one after another as in hyperfine.
        let alternatives = commands.count + (reference == nil ? 0 : 1) >= 2
        let interleaveSeed = sequential || !alternatives ? nil : seed ?? UInt64.random(in: 0...UInt64.max)
        return Plan(specs: specs, settings: settings, exports: exports, colorMode: colorMode, style: outputStyle, timeUnit: unit,
                    order: order, interleaveSeed: interleaveSeed, reference: reference == nil ? nil : 0)
    }

    /// The plan's benchmarks, each checked to start (a usage error names the one that cannot).
    func validated(_ plan: Plan) throws -> [PlannedBenchmark] {
        let planned = plan.specs.map { PlannedBenchmark(spec: $0, settings: plan.settings) }
        do {
            try MeasurementSession.validate(planned)
        } catch let error as UsageFailure {
            throw ValidationError(error.description)
        }
        return planned
    }

    /// Measures the plan through `executor`: the real one, or a scripted one in tests of the
    /// order of runs.
    func measure(_ planned: [PlannedBenchmark], plan: Plan, executor: any Executor, style: TerminalStyle) throws -> RunReport {
        try MeasurementSession.measure(planned, executor: executor, style: style, tags: tags,
                                       interleaveSeed: plan.interleaveSeed, reference: plan.reference)
    }

    /// `path` from the current directory, so that it means the same in a command that starts
    /// elsewhere.
    static func absolute(_ path: String) -> String {
        guard !path.hasPrefix("/") else { return path }
        guard let directory = getcwd(nil, 0) else { return path }
        defer { free(directory) }
        return String(cString: directory) + "/" + path
    }

    static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
    }

    private func expansion<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as ParameterExpansion.ExpansionError {
            throw ValidationError(error.description)
        }
    }

    // MARK: - Running

    func run() async throws {
        let plan = try plan()
        var style = TerminalStyle.detect(color: plan.colorMode, style: plan.style, environment: ProcessInfo.processInfo.environment)
        style.timeUnit = plan.timeUnit
        style.order = plan.order
        style.activate()
        let storeOptions = StoreOptions(store: store)
        let commandOutputs = output.compactMap { value -> (option: String, path: String?)? in
            if case .file(let path) = OutputDisposition(parsing: value) { return ("--output", path) }
            return nil
        }
        try storeOptions.refuseOverwriting([("--export-json", exportJson), ("--export-csv", exportCsv), ("--export-markdown", exportMarkdown),
                                            ("--export-asciidoc", exportAsciidoc), ("--export-orgmode", exportOrgmode),
                                            ("--export-json-hyperfine", exportJsonHyperfine)] + commandOutputs)
        if save { try await storeOptions.checkUsable() }
        let planned = try validated(plan)
        let report = try measure(planned, plan: plan, executor: try MeasurementSession.processRunner(), style: style)
        var sideEffectsFailed = !plan.exports.write(report)
        if save { sideEffectsFailed = await !storeOptions.save(report) || sideEffectsFailed }
        let status = MeasurementSession.exitStatus(report, sideEffectsFailed: sideEffectsFailed)
        if status != 0 { throw ExitCode(status) }
    }
}

/// Options given once for all commands or once per command: `--prepare`, `--conclude`, `--setup`,
/// `--cleanup`, `--output` and `--name`. Accepted counts: once; once per command as written
/// (parameters substituted into each value); or, as hyperfine counts, once per benchmark after
/// parameter expansion, with the reference first when there is one.
struct PerCommandValues {
    var commands: Int
    var benchmarks: Int
    var reference: Bool

    func check(_ option: String, _ count: Int) throws {
        guard count > 1, count != commands, count != benchmarks + (reference ? 1 : 0) else { return }
        var forms = ["once", "once per command (\(commands))"]
        if benchmarks != commands || reference {
            forms.append("once per benchmark\(reference ? " with the reference first" : "") (\(benchmarks + (reference ? 1 : 0)))")
        }
        throw ValidationError("\(option) is given \(count) times: give it " + forms.joined(separator: ", or "))
    }

    /// The reference's value: the one given once, or the first of one per benchmark and reference.
    func reference<T>(_ values: [T]) -> T? {
        if values.count == 1 { return values[0] }
        return reference && values.count == benchmarks + 1 && values.count != commands ? values[0] : nil
    }

    /// The value of benchmark number `benchmark`, expanded from command number `template`.
    func value<T>(_ values: [T], template: Int, benchmark: Int) -> T? {
        switch values.count {
        case 0: return nil
        case 1: return values[0]
        case commands: return values[template]
        case benchmarks + (reference ? 1 : 0): return values[benchmark + (reference ? 1 : 0)]
        default: return nil
        }
    }
}
