import ArgumentParser
import Foundation
import MetronCore
import MetronJSON
import MetronExec
import MetronReport
import MetronRunner
import MetronStore
import MetronSuite

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the suites of a suite file (metron.yml) and store the run.",
        discussion: """
            Environment overrides: METRON_RUNS, METRON_WARMUP, METRON_TIMEOUT (run settings), \
            METRON_OUTPUT_DIR (also write the run's JSON there), METRON_STORE (the store).
            """)

    @Option(name: [.short, .long], help: "The suite file.")
    var config: String = "metron.yml"

    @Option(name: .customLong("package"), help: ArgumentHelp(
        "Run the in-process Swift benchmarks of this SwiftPM package instead of a suite file: its executable targets under Benchmarks/, built in release mode.",
        valueName: "path"))
    var packagePath: String?

    @Option(name: .customLong("target"), help: "With --package: only this benchmark target (repeatable).")
    var targets: [String] = []

    @Option(name: .customLong("benchmark-executable"), help: ArgumentHelp(
        "Run this in-process benchmark executable, already built, as suite NAME (repeatable; `swift package metron` hands over what it built this way).",
        valueName: "NAME=PATH"))
    var builtExecutables: [String] = []

    @Argument(parsing: .postTerminator, help: ArgumentHelp(
        "With --package or --benchmark-executable: arguments for the benchmark executables (after --).", valueName: "arguments"))
    var executableArguments: [String] = []

    @Option(help: ArgumentHelp(
        "A/B: also measure every command benchmark in this baseline tree (another checkout or worktree, built by your own setup), interleaved round by round with this tree; both sides are stored and the baseline side is named by --against-baseline.",
        valueName: "DIR"))
    var against: String?

    @Option(help: ArgumentHelp("With --against: the baseline name given to the baseline tree's run (compare and check take it).", valueName: "NAME"))
    var againstBaseline: String = "against"

    @Option(name: [.short, .long], help: "Run only this suite (repeatable).")
    var suite: [String] = []

    @Option(name: [.short, .long], help: "Run only benchmarks whose 'suite/name' matches this regular expression.")
    var filter: String?

    @Flag(help: "Also run every command benchmark once under Valgrind's cache simulation: deterministic instructions, cache misses and estimated cycles (as valgrind: true in the suite file).")
    var valgrind = false

    @Flag(inversion: .prefixedNo, help: "Store the run in the history store.")
    var save = true

    @Option(name: .customLong("tag"), help: "A tag recorded with the run (repeatable).")
    var tags: [String] = []

    @Option(help: ArgumentHelp("Also export the run as JSON.", valueName: "FILE"))
    var exportJson: String?

    @Option(help: "Colours: auto, always, never.")
    var color: String = "auto"

    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        if let packagePath {
            guard against == nil else { throw ValidationError("--against measures suite files' command benchmarks; it cannot be combined with --package") }
            return try await runPackage(packagePath, environment: environment)
        }
        if !builtExecutables.isEmpty { return try await runBuilt() }
        guard executableArguments.isEmpty else {
            throw ValidationError("arguments after -- go to benchmark executables: use them with --package or --benchmark-executable")
        }
        let planned = try SuitePlanning.plan(config: config, suites: suite, filter: filter, environment: environment, valgrind: valgrind)
        guard let colorMode = TerminalStyle.Mode(rawValue: color) else {
            throw ValidationError("--color must be auto, always or never")
        }
        let outputDirectory = environment["METRON_OUTPUT_DIR"].flatMap { $0.isEmpty ? nil : $0 }
        let exports = try ExportTargets(json: exportJson, csv: nil, markdown: nil)
        try storeOptions.refuseOverwriting([("--export-json", exportJson)])
        if save { try await storeOptions.checkUsable() }

        let style = TerminalStyle.detect(color: colorMode, environment: environment)
        style.activate()
        let executor = try MeasurementSession.processRunner()
        if let against { return try await runAgainst(against, planned: planned, executor: executor, style: style, exports: exports) }
        let report = try MeasurementSession.measure(planned, executor: executor, style: style, tags: tags, relativeSummary: false)

        var sideEffectsFailed = !exports.write(report)
        if let outputDirectory {
            do {
                try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
                let path = (outputDirectory as NSString).appendingPathComponent("run-\(report.id).json")
                try JSONExport.render(report).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                printError("cannot write to METRON_OUTPUT_DIR '\(outputDirectory)': \(error.localizedDescription)")
                sideEffectsFailed = true
            }
        }
        if save { sideEffectsFailed = await !storeOptions.save(report) || sideEffectsFailed }
        let status = MeasurementSession.exitStatus(report, sideEffectsFailed: sideEffectsFailed)
        if status != 0 { throw ExitCode(status) }
    }

    /// `--package`: discover, build and run the package's benchmark executables; store and
    /// export like a suite run.
    func runPackage(_ path: String, environment: [String: String]) async throws {
        guard suite.isEmpty else { throw ValidationError("--suite applies to suite files; with --package use --target") }
        let exports = try ExportTargets(json: exportJson, csv: nil, markdown: nil)
        try storeOptions.refuseOverwriting([("--export-json", exportJson)])
        if save { try await storeOptions.checkUsable() }
        let targets = try SwiftBenchmarkTargets.discover(packagePath: path, only: self.targets)
        let report = try targets.run(filters: filter.map { [$0] } ?? [], arguments: executableArguments, tags: tags)
        try await finish(report, exports: exports)
    }

    /// `--benchmark-executable NAME=PATH`: run executables built elsewhere; store and export like
    /// a suite run.
    func runBuilt() async throws {
        guard suite.isEmpty, targets.isEmpty else {
            throw ValidationError("--suite and --target do not apply to --benchmark-executable")
        }
        let built = try builtExecutables.map { entry -> (name: String, path: String) in
            guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex,
                  entry.index(after: equals) != entry.endIndex else {
                throw ValidationError("--benchmark-executable '\(entry)' must be NAME=PATH")
            }
            let path = String(entry[entry.index(after: equals)...])
            guard FileManager.default.isExecutableFile(atPath: path) else {
                throw ValidationError("--benchmark-executable '\(entry)': no executable file at '\(path)'")
            }
            return (String(entry[..<equals]), path)
        }
        let exports = try ExportTargets(json: exportJson, csv: nil, markdown: nil)
        try storeOptions.refuseOverwriting([("--export-json", exportJson)])
        if save { try await storeOptions.checkUsable() }
        let report = try SwiftBenchmarkTargets.run(built: built, filters: filter.map { [$0] } ?? [],
                                                   arguments: executableArguments, tags: tags)
        try await finish(report, exports: exports)
    }

    /// `--against DIR`: both trees measured interleaved, benchmark by benchmark; the baseline
    /// tree's run is stored first and named, then this tree's.
    func runAgainst(_ directory: String, planned: [PlannedBenchmark], executor: any Executor, style: TerminalStyle,
                    exports: ExportTargets) async throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("--against '\(directory)' is not a directory (a checkout or worktree of the baseline)")
        }
        let absolute = URL(fileURLWithPath: directory).standardizedFileURL.path
        guard absolute != URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path else {
            throw ValidationError("--against names this very directory: give the baseline's checkout")
        }
        do {
            for item in planned where item.inProcess == nil {
                var baseline = item.spec
                baseline.directory = absolute
                try CommandBenchmark.validate(baseline, settings: item.settings)
            }
        } catch {
            throw ValidationError("in the baseline tree \(absolute): \(error)")
        }
        let outcome = try AgainstSession.measure(planned, against: absolute, executor: executor, style: style, tags: tags,
                                                 seed: UInt64.random(in: 0...UInt64.max))
        if !outcome.skipped.isEmpty {
            print("Not measured against the baseline tree (in-process targets): \(outcome.skipped.joined(separator: ", "))")
        }
        var sideEffectsFailed = !exports.write(outcome.current)
        if save {
            sideEffectsFailed = await !storeOptions.save(outcome.baseline) || sideEffectsFailed
            sideEffectsFailed = await !storeOptions.save(outcome.current) || sideEffectsFailed
            if !sideEffectsFailed {
                do {
                    try await storeOptions.withStore { store in
                        try await store.saveBaseline(name: againstBaseline, runID: outcome.baseline.id)
                    }
                    print("The baseline tree's run is baseline '\(againstBaseline)'; judge the pair with: "
                          + "metron compare --baseline \(againstBaseline)  ·  metron check --baseline \(againstBaseline)")
                } catch {
                    printError("cannot name the baseline '\(againstBaseline)': \(error)")
                    sideEffectsFailed = true
                }
            }
        }
        let status = max(MeasurementSession.exitStatus(outcome.baseline, sideEffectsFailed: sideEffectsFailed),
                         MeasurementSession.exitStatus(outcome.current, sideEffectsFailed: sideEffectsFailed))
        if status != 0 { throw ExitCode(status) }
    }

    private func finish(_ report: RunReport, exports: ExportTargets) async throws {
        var sideEffectsFailed = !exports.write(report)
        if save { sideEffectsFailed = await !storeOptions.save(report) || sideEffectsFailed }
        let status = MeasurementSession.exitStatus(report, sideEffectsFailed: sideEffectsFailed)
        if status != 0 { throw ExitCode(status) }
    }
}
