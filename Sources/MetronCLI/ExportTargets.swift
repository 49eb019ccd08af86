import ArgumentParser
import Foundation
import MetronCore
import MetronReport

/// The files `--export-*` asked for. Paths are checked before anything runs, so a typo in a
/// directory name does not throw away a long benchmark at the end.
struct ExportTargets {
    var json: String?
    var csv: String?
    var markdown: String?

    init(json: String?, csv: String?, markdown: String?) throws {
        self.json = json
        self.csv = csv
        self.markdown = markdown
        for (option, path) in [("--export-json", json), ("--export-csv", csv), ("--export-markdown", markdown)] {
            guard let path else { continue }
            try Self.checkWritable(option: option, path: path)
        }
    }

    /// The directory `path` goes into exists and is writable.
    static func checkWritable(option: String, path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let parent = directory.isEmpty ? "." : directory
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("\(option): directory '\(parent)' does not exist")
        }
        guard FileManager.default.isWritableFile(atPath: parent) else {
            throw ValidationError("\(option): directory '\(parent)' is not writable")
        }
    }

    /// Writes every requested export; reports each failure and returns false if any failed.
    func write(_ report: RunReport) -> Bool {
        var ok = true
        func save(_ path: String?, _ render: () throws -> Data) {
            guard let path else { return }
            do {
                try render().write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                printError("cannot write \(path): \(error.localizedDescription)")
                ok = false
            }
        }
        save(json) { try JSONExport.render(report) }
        save(csv) { Data(CSVExport.render(report).utf8) }
        save(markdown) { Data(MarkdownExport.render(report).utf8) }
        return ok
    }
}
