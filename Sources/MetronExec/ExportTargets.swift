import ArgumentParser
import Glibc
import MetronCore
import MetronJSON
import MetronReport

/// The files `--export-*` asked for. Paths are checked before anything runs, so a typo in a
/// directory name does not throw away a long benchmark at the end.
public struct ExportTargets {
    var json: String?
    var csv: String?
    var markdown: String?
    var asciidoc: String?
    var orgmode: String?
    /// hyperfine's JSON schema (`--export-json-hyperfine`).
    var hyperfineJSON: String?
    /// The time unit and row order of the markup tables (`--time-unit`, `--sort`).
    var timeUnit: TimeUnit?
    var order: ResultOrder

    public init(json: String?, csv: String?, markdown: String?, asciidoc: String? = nil, orgmode: String? = nil,
                hyperfineJSON: String? = nil, timeUnit: TimeUnit? = nil, order: ResultOrder = .auto) throws {
        self.json = json
        self.csv = csv
        self.markdown = markdown
        self.asciidoc = asciidoc
        self.orgmode = orgmode
        self.hyperfineJSON = hyperfineJSON
        self.timeUnit = timeUnit
        self.order = order
        for (option, path) in [("--export-json", json), ("--export-csv", csv), ("--export-markdown", markdown),
                               ("--export-asciidoc", asciidoc), ("--export-orgmode", orgmode),
                               ("--export-json-hyperfine", hyperfineJSON)] {
            guard let path else { continue }
            try Self.checkWritable(option: option, path: path)
        }
    }

    /// The directory `path` goes into exists and is writable.
    public static func checkWritable(option: String, path: String) throws {
        let parent = path.lastIndex(of: "/").map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        var status = stat()
        guard stat(parent, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
            throw ValidationError("\(option): directory '\(parent)' does not exist")
        }
        guard access(parent, W_OK) == 0 else {
            throw ValidationError("\(option): directory '\(parent)' is not writable")
        }
    }

    /// Writes every requested export; reports each failure and returns false if any failed.
    public func write(_ report: RunReport) -> Bool {
        var ok = true
        func save(_ path: String?, _ render: () throws -> [UInt8]) {
            guard let path else { return }
            do {
                try AtomicFile.write(render(), to: path)
            } catch {
                printError("cannot write \(path): \(error)")
                ok = false
            }
        }
        save(json) { try JSONExport.bytes(report) }
        save(csv) { Array(CSVExport.render(report).utf8) }
        // hyperfine's `auto` keeps markup tables in the order given.
        let rows: ResultOrder = order == .meanTime ? .meanTime : .command
        save(markdown) { Array(MarkupExport.render(report, syntax: .markdown, timeUnit: timeUnit, order: rows).utf8) }
        save(asciidoc) { Array(MarkupExport.render(report, syntax: .asciidoc, timeUnit: timeUnit, order: rows).utf8) }
        save(orgmode) { Array(MarkupExport.render(report, syntax: .orgmode, timeUnit: timeUnit, order: rows).utf8) }
        save(hyperfineJSON) { try HyperfineJSON.bytes(report) }
        return ok
    }
}
