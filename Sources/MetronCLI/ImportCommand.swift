import ArgumentParser
import Foundation
import MetronCore
import MetronJSON
import MetronExec
import MetronImport
import MetronReport
import MetronRunner
import MetronStore

/// `metron import`: stores run reports written elsewhere — by `--export-json`, by a benchmark
/// executable's `--output`, on another machine — and the results of other harnesses (hyperfine,
/// pytest-benchmark, `go test -bench`) in the history.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Store run reports (Metron JSON) and other harnesses' results in the history.",
        discussion: """
            Formats: metron (--export-json), hyperfine (--export-json), pytest-benchmark (--benchmark-json), \
            google-benchmark (--benchmark_format=json), go (the text of go test -bench), criterion (the folder \
            target/criterion), jmh (JMH JSON; package-benchmark --format jmh), bmf (Bencher Metric Format), \
            custom-smaller-is-better and custom-bigger-is-better (github-action-benchmark's custom JSON; \
            package-benchmark --format jsonSmallerIsBetter). Formats that keep one figure per metric (bmf, the custom \
            formats, pytest-benchmark saved without data) are stored as summaries: compared without a significance test. Each file's format is told from its content unless --format names it. \
            Every file is checked whole before anything is stored; a run already stored (same id; an imported \
            file's id comes from its content) is an error.
            """)

    @Argument(help: "Files to store: Metron run reports or results of hyperfine, pytest-benchmark, Google Benchmark, go test -bench, JMH and package-benchmark, Bencher (BMF), github-action-benchmark; Criterion's target/criterion folder.")
    var files: [String]

    @Option(help: ArgumentHelp("The files' format: auto (told from the content), " + PeerFormat.allCases.map(\.rawValue).joined(separator: ", ") + ".",
                               valueName: "FORMAT"))
    var format: String = "auto"

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one file") }
        guard format == "auto" || PeerFormat(rawValue: format) != nil else {
            throw ValidationError("--format must be auto, " + PeerFormat.allCases.map(\.rawValue).joined(separator: ", ") + ", got '\(format)'")
        }
    }

    func run() async throws {
        var reports: [RunReport] = []
        // This machine and checkout stand in for facts a harness does not record.
        lazy var machine = MachineInfoCollector.collect()
        lazy var git = GitInfoCollector.collect()
        for file in files {
            reports.append(try PeerImportReader.read(file, format: PeerFormat(rawValue: format), machine: machine, git: git))
        }
        var seen: [String: String] = [:]
        let now = Timestamp(secondsSinceEpoch: Date().timeIntervalSince1970)
        for (file, report) in zip(files, reports) {
            if let problem = RunAdmission.problem(with: report, now: now) { throw UsageFailure("'\(file)': \(problem); nothing was imported") }
            if let first = seen[report.id] { throw UsageFailure("'\(file)' holds run \(report.id), as '\(first)' does: import it once") }
            seen[report.id] = file
        }
        let location = try storeOptions.location
        try await storeOptions.withStore { store in
            for (file, report) in zip(files, reports) {
                if try await store.containsRun(id: report.id) {
                    throw UsageFailure("'\(file)': run \(report.id) is already stored in \(location); nothing was imported")
                }
            }
            for report in reports {
                try await store.save(report)
                print("Stored run \(report.id.prefix(8)) (\(Formatting.counted(report.benchmarks.count, "benchmark"))) in \(location).")
            }
        }
    }
}
