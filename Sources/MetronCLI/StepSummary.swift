import Foundation
import MetronExec

/// GitHub Actions' job summary: when GITHUB_STEP_SUMMARY names a file, Markdown appended to it
/// shows on the run's page.
enum StepSummary {
    static func append(_ markdown: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let path = environment["GITHUB_STEP_SUMMARY"], !path.isEmpty else { return }
        do {
            if !FileManager.default.fileExists(atPath: path) {
                guard FileManager.default.createFile(atPath: path, contents: nil) else {
                    throw CocoaError(.fileWriteNoPermission)
                }
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data((markdown + "\n").utf8))
        } catch {
            // The summary is a courtesy: the check's own result and exit status stand.
            printError("cannot append to GITHUB_STEP_SUMMARY (\(path)): \(error.localizedDescription)")
        }
    }
}
