import Foundation
import MetronCore
import MetronJSON
import MetronImport
import MetronExec

/// One file or folder of results as a run report, by its format (told from the content when
/// nil); every failure is a usage error naming the file and the place. Shared by `metron
/// import` and a suite's `import:` entries.
enum PeerImportReader {
    /// `since`: only results written at or after it (a suite's harness just ran); older files
    /// are left over from an earlier run and refused, or skipped inside a Criterion folder.
    static func read(_ file: String, format: PeerFormat?, machine: MachineInfo?, git: GitInfo?, since: Date? = nil) throws -> RunReport {
        let modifiedDate = try? FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date
        let modified = Timestamp(secondsSinceEpoch: (modifiedDate ?? Date()).timeIntervalSince1970)
        let context = ImportContext(file: file, machine: machine, git: git, modified: modified)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else { throw UsageFailure("'\(file)' does not exist") }
        if isDirectory.boolValue {
            // A folder is Criterion's target/criterion.
            guard format == nil || format == .criterion else {
                throw UsageFailure("'\(file)' is a folder: only Criterion's target/criterion is imported as one")
            }
            do {
                return try CriterionImport.convert(try files(under: file, since: since), context: context)
            } catch let failure as ImportFailure {
                throw UsageFailure(failure.description)
            }
        }
        if let since, let modifiedDate, modifiedDate < since {
            throw UsageFailure("'\(file)' was not written by this run (last written \(Timestamp(secondsSinceEpoch: modifiedDate.timeIntervalSince1970).iso8601)): "
                               + "it holds an earlier run's results")
        }
        guard let data = FileManager.default.contents(atPath: file) else { throw UsageFailure("cannot read '\(file)'") }
        guard let kind = format ?? PeerFormat.detect(data) else {
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
                    return try JSONExport.decode(data)
                } catch {
                    throw UsageFailure("'\(file)' is not a Metron run report: \(JSONExport.describe(error))")
                }
            case .hyperfine: return try HyperfineImport.convert(data, context: context)
            case .pytestBenchmark: return try PytestBenchmarkImport.convert(data, context: context)
            case .googleBenchmark: return try GoogleBenchmarkImport.convert(data, context: context)
            case .go: return try GoBenchImport.convert(data, context: context)
            case .jmh: return try JMHImport.convert(data, context: context)
            case .bmf: return try BMFImport.convert(data, context: context)
            case .customSmallerIsBetter: return try CustomBenchmarkImport.convert(data, context: context)
            case .customBiggerIsBetter: return try CustomBenchmarkImport.convert(data, context: context, polarity: .higherIsBetter)
            case .criterion: throw UsageFailure("'\(file)': Criterion results are a folder (target/criterion), not a file")
            }
        } catch let failure as ImportFailure {
            throw UsageFailure(failure.description)
        }
    }

    /// Every JSON file under `folder`, by its path relative to it. With `since`, a benchmark's
    /// `new/` folder counts only when its sample.json was written since then.
    static func files(under folder: String, since: Date? = nil) throws -> [(path: String, data: Data)] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { throw UsageFailure("cannot read '\(folder)'") }
        var files: [(path: String, data: Data)] = []
        var stale: Set<String> = []
        while let path = enumerator.nextObject() as? String {
            // Criterion's reports are HTML and SVG; only its JSON is read.
            guard path.hasSuffix(".json"), let data = FileManager.default.contents(atPath: folder + "/" + path) else { continue }
            if let since, path.hasSuffix("new/sample.json"),
               let written = try? FileManager.default.attributesOfItem(atPath: folder + "/" + path)[.modificationDate] as? Date, written < since {
                stale.insert(String(path.dropLast("sample.json".count)))
            }
            files.append((path, data))
        }
        return files.filter { file in !stale.contains { file.path.hasPrefix($0) } }
    }
}
