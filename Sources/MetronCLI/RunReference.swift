import ArgumentParser
import Foundation
import MetronCore
import MetronJSON
import MetronExec
import MetronReport
import MetronRunner
import MetronStore
import MetronSuite

/// Resolves what a user names as a side of a comparison: a JSON file, a baseline name, a run id
/// (prefix), a git ref/commit, or "latest".
enum RunReference {
    static func resolve(_ text: String, store: any ResultStore) async throws -> RunReport {
        if let report = try file(text) { return report }
        if let run = try await store.run(reference: text) { return run }
        if let commit = GitRef.commit(for: text), let run = try await store.run(commit: commit) { return run }
        if let run = try await store.run(commit: text) { return run }
        throw UsageFailure("'\(text)' is neither a JSON file, a baseline, a stored run id nor a git ref with a stored run")
    }
}

extension RunReference {
    /// The run in the JSON file `text` names; nil when it names no file. A file is named by a
    /// path (`./main`, `runs/a`) or a `.json` name: a file that happens to be called `main` or
    /// `latest` in the working directory does not shadow the baseline or the latest run.
    static func file(_ text: String) throws -> RunReport? {
        guard text.hasSuffix(".json") || (text.contains("/") && FileManager.default.fileExists(atPath: text)) else { return nil }
        guard let data = FileManager.default.contents(atPath: text) else { throw UsageFailure("cannot read '\(text)'") }
        do {
            return try JSONExport.decode(data)
        } catch {
            throw UsageFailure("'\(text)' is not a Metron run report: \(JSONExport.describe(error))")
        }
    }

    /// Both sides from JSON files when no store exists yet: nothing is created for a comparison
    /// of two files, and there is no stored history to consult.
    static func files(_ baseline: String, _ current: String,
                      storeOptions: StoreOptions) throws -> (RunReport, RunReport, [String: [Double]])? {
        guard let base = try file(baseline), let now = try file(current) else { return nil }
        if case .sqlite(let path) = try storeOptions.location, FileManager.default.fileExists(atPath: path) { return nil }
        if case .postgres = try storeOptions.location { return nil }
        return (base, now, [:])
    }
}

enum GitRef {
    /// `git rev-parse --verify REF^{commit}`, nil when git or the ref is unknown.
    static func commit(for ref: String) -> String? {
        guard let output = ProcessCapture.run(["git", "rev-parse", "--verify", "--quiet", ref + "^{commit}"]),
              output.status == 0 else { return nil }
        let text = output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}
