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
            let modified = (try? FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date)
                .map { Timestamp(secondsSinceEpoch: $0.timeIntervalSince1970) } ?? Timestamp(secondsSinceEpoch: Date().timeIntervalSince1970)
            let context = ImportContext(file: file, machine: machine, git: git, modified: modified)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), isDirectory.boolValue {
                // A folder is Criterion's target/criterion.
                guard format == "auto" || format == PeerFormat.criterion.rawValue else {
                    throw UsageFailure("'\(file)' is a folder: only Criterion's target/criterion is imported as one")
                }
                do {
                    reports.append(try CriterionImport.convert(try Self.files(under: file), context: context))
                } catch let failure as ImportFailure {
                    throw UsageFailure(failure.description)
                }
                continue
            }
            guard let data = FileManager.default.contents(atPath: file) else { throw UsageFailure("cannot read '\(file)'") }
            guard let kind = PeerFormat(rawValue: format) ?? PeerFormat.detect(data) else {
                if data.first(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }).map({ $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "[") }) == true {
                    do { _ = try JSONExport.decode(data) } catch {
                        let reason = JSONExport.describe(error)
                        if reason.hasPrefix("malformed JSON") { throw UsageFailure("'\(file)': \(reason)") }
                    }
                }
                throw UsageFailure("'\(file)': cannot tell its format (Metron, hyperfine, pytest-benchmark, Google Benchmark, "
                                   + "go test -bench, JMH, BMF or github-action-benchmark's custom JSON); name it with --format")
            }
            do {
                switch kind {
                case .metron:
                    do {
                        reports.append(try JSONExport.decode(data))
                    } catch {
                        throw UsageFailure("'\(file)' is not a Metron run report: \(JSONExport.describe(error))")
                    }
                case .hyperfine: reports.append(try HyperfineImport.convert(data, context: context))
                case .pytestBenchmark: reports.append(try PytestBenchmarkImport.convert(data, context: context))
                case .googleBenchmark: reports.append(try GoogleBenchmarkImport.convert(data, context: context))
                case .go: reports.append(try GoBenchImport.convert(data, context: context))
                case .jmh: reports.append(try JMHImport.convert(data, context: context))
                case .bmf: reports.append(try BMFImport.convert(data, context: context))
                case .customSmallerIsBetter: reports.append(try CustomBenchmarkImport.convert(data, context: context))
                case .customBiggerIsBetter:
                    reports.append(try CustomBenchmarkImport.convert(data, context: context, polarity: .higherIsBetter))
                case .criterion: throw UsageFailure("'\(file)': Criterion results are a folder (target/criterion), not a file")
                }
            } catch let failure as ImportFailure {
                throw UsageFailure(failure.description)
            }
        }
        var seen: [String: String] = [:]
        for (file, report) in zip(files, reports) {
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
                print("Stored run \(report.id.prefix(8)) (\(report.benchmarks.count) benchmarks) in \(location).")
            }
        }
    }

    /// Every regular file under `folder`, by its path relative to it.
    static func files(under folder: String) throws -> [(path: String, data: Data)] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { throw UsageFailure("cannot read '\(folder)'") }
        var files: [(path: String, data: Data)] = []
        while let path = enumerator.nextObject() as? String {
            // Criterion's reports are HTML and SVG; only its JSON is read.
            guard path.hasSuffix(".json"), let data = FileManager.default.contents(atPath: folder + "/" + path) else { continue }
            files.append((path, data))
        }
        return files
    }
}
