import ArgumentParser
import Foundation
import MetronCore
import MetronJSON
import MetronExec
import MetronStore

struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List stored runs, or one benchmark's results over time.")

    @Argument(help: "A benchmark name; without it, the stored runs are listed.")
    var benchmark: String?

    @Option(name: [.short, .long], help: "How many entries (most recent).")
    var limit: Int = 20

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be positive") }
    }

    func run() async throws {
        try await storeOptions.withStore(creating: false) { store in
        if let benchmark {
            let entries = try await store.history(benchmark: benchmark, limit: limit)
            guard !entries.isEmpty else {
                let known = try await store.benchmarkNames()
                throw UsageFailure("no stored results for benchmark '\(benchmark)'"
                                   + (known.isEmpty ? " (the store is empty)" : "; known: \(known.prefix(10).joined(separator: ", "))"))
            }
            if json { return try printJSON(entries) }
            var table = TextTable(header: ["run", "started (UTC)", "commit", "params", "status", "runs", "mean", "median", "p95", "σ"])
            for entry in entries {
                table.add([String(entry.runID.prefix(8)), String(entry.startedAt.iso8601.prefix(19)),
                           entry.gitCommit.map { String($0.prefix(10)) } ?? "-", entry.parametersKey.isEmpty ? "-" : entry.parametersKey,
                           entry.status.rawValue, String(entry.count),
                           entry.mean.map(Formatting.duration) ?? "-", entry.median.map(Formatting.duration) ?? "-",
                           entry.p95.map(Formatting.duration) ?? "-", entry.stddev.map(Formatting.duration) ?? "-"])
            }
            print(table.render())
        } else {
            let runs = try await store.runs(limit: limit)
            if json { return try printJSON(runs) }
            guard !runs.isEmpty else {
                print("No runs stored in \(try storeOptions.location) yet (metron exec --save, metron run).")
                return
            }
            var table = TextTable(header: ["run", "started (UTC)", "status", "commit", "branch", "benchmarks"])
            for run in runs {
                table.add([String(run.id.prefix(8)), String(run.startedAt.iso8601.prefix(19)), run.status.rawValue,
                           (run.gitCommit.map { String($0.prefix(10)) } ?? "-") + (run.gitDirty ? "+dirty" : ""),
                           run.gitBranch ?? "-", String(run.benchmarkCount)])
            }
            print(table.render())
        }
        }
    }
}

func printJSON<T: Encodable>(_ value: T) throws {
    print(String(decoding: try JSONExport.encoder().encode(value), as: UTF8.self))
}

/// A plain aligned text table (the first column left-aligned, the others right-aligned).
struct TextTable {
    var header: [String]
    var rows: [[String]] = []

    mutating func add(_ row: [String]) { rows.append(row) }

    func render() -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
        func line(_ row: [String]) -> String {
            row.enumerated().map { column, text in
                let pad = String(repeating: " ", count: max(0, widths[column] - text.count))
                return column == 0 ? text + pad : pad + text
            }.joined(separator: "  ")
        }
        return ([line(header), widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")] + rows.map(line))
            .joined(separator: "\n")
    }
}
