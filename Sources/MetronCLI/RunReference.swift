import ArgumentParser
import Foundation
import MetronCore
import MetronReport
import MetronStore
import MetronSuite

/// Resolves what a user names as a side of a comparison: a JSON file, a baseline name, a run id
/// (prefix), a git ref/commit, or "latest".
enum RunReference {
    static func resolve(_ text: String, store: any ResultStore) async throws -> RunReport {
        if text.hasSuffix(".json") || FileManager.default.fileExists(atPath: text) {
            guard let data = FileManager.default.contents(atPath: text) else { throw UsageFailure("cannot read '\(text)'") }
            do {
                return try JSONExport.decode(data)
            } catch {
                throw UsageFailure("'\(text)' is not a Metron run report: \(error)")
            }
        }
        if text == "latest", let run = try await store.latestRun(suite: nil) { return run }
        if let baseline = try await store.baseline(name: text), let run = try await store.run(id: baseline.runID) { return run }
        if let run = try await store.run(id: text) { return run }
        if let commit = GitRef.commit(for: text), let run = try await store.run(commit: commit) { return run }
        if let run = try await store.run(commit: text) { return run }
        throw UsageFailure("'\(text)' is neither a JSON file, a baseline, a stored run id nor a git ref with a stored run")
    }
}

enum GitRef {
    /// `git rev-parse --verify REF^{commit}`, nil when git or the ref is unknown.
    static func commit(for ref: String) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "rev-parse", "--verify", "--quiet", ref + "^{commit}"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}
