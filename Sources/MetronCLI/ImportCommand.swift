import ArgumentParser
import Foundation
import MetronCore
import MetronJSON
import MetronExec
import MetronReport
import MetronStore

/// `metron import`: stores run reports written elsewhere — by `--export-json`, by a benchmark
/// executable's `--output`, on another machine — in the history.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Store run reports (Metron JSON) in the history.",
        discussion: "Each file is checked whole before anything is stored; a run already stored (same id) is an error.")

    @Argument(help: "Run report files (the JSON of --export-json or of a benchmark executable's --output).")
    var files: [String]

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one JSON file") }
    }

    func run() async throws {
        var reports: [RunReport] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { throw UsageFailure("cannot read '\(file)'") }
            do {
                reports.append(try JSONExport.decode(data))
            } catch {
                throw UsageFailure("'\(file)' is not a Metron run report: \(JSONExport.describe(error))")
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
}
