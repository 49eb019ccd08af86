import Foundation
import MetronCore
import Testing

/// `metron import`: runs written elsewhere enter the history whole, and a bad or repeated file
/// is one clear line, exit 2, with nothing stored.
@Suite(.serialized)
struct ImportTests {
    func exported(_ directory: String, _ name: String) throws -> String {
        let path = directory + "/\(name).json"
        let result = try metron(["exec", "--runs", "3", "--name", name, "--export-json", path, Binaries.workload("noop")])
        try #require(result.status == 0, "\(result.stderr)")
        return path
    }

    func storedRuns(_ store: String) throws -> Int {
        let history = try metron(["history", "--store", store, "--json"])
        guard history.status == 0 else { return 0 }
        return (try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])?.count ?? 0
    }

    @Test func importedRunsAreStoredWithTheirResults() throws {
        let directory = Binaries.temporaryPath("import")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = directory + "/s.sqlite"
        let a = try exported(directory, "first"), b = try exported(directory, "second")
        let result = try metron(["import", a, b, "--store", store])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Stored run "))
        #expect(try storedRuns(store) == 2)
        let history = try metron(["history", "second", "--store", store, "--json"])
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
        #expect(entries.count == 1 && (entries[0]["mean"] as? Double ?? 0) > 0)
    }

    @Test func badOrRepeatedFilesStoreNothing() throws {
        let directory = Binaries.temporaryPath("import-bad")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = directory + "/s.sqlite"
        let good = try exported(directory, "good")
        // A number where a number belongs, spelled as text: the path of the field is named.
        let text = try String(contentsOfFile: good, encoding: .utf8)
        let wrongType = directory + "/wrong.json"
        let pattern = try NSRegularExpression(pattern: #""wallTime" : [0-9.e-]+"#)
        let replaced = pattern.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text),
                                                        withTemplate: #""wallTime" : "slow""#)
        try #require(replaced != text)
        try replaced.write(toFile: wrongType, atomically: true, encoding: .utf8)
        let truncated = directory + "/truncated.json"
        try String(text.prefix(text.count / 2)).write(toFile: truncated, atomically: true, encoding: .utf8)

        let typed = try metron(["import", good, wrongType, "--store", store])
        #expect(typed.status == 2)
        #expect(typed.stderr.contains("wrong.json"), "\(typed.stderr)")
        #expect(typed.stderr.contains("benchmarks[0].runs[0].wallTime"), "\(typed.stderr)")
        #expect(typed.stderr.split(separator: "\n").count == 1, "one line: \(typed.stderr)")
        let cut = try metron(["import", truncated, "--store", store])
        #expect(cut.status == 2)
        #expect(cut.stderr.contains("truncated.json") && cut.stderr.contains("malformed JSON"), "\(cut.stderr)")
        #expect(try storedRuns(store) == 0, "the good file is not stored beside a bad one")

        let twice = try metron(["import", good, good, "--store", store])
        #expect(twice.status == 2)
        #expect(twice.stderr.contains("import it once"), "\(twice.stderr)")
        #expect(try storedRuns(store) == 0)

        #expect(try metron(["import", good, "--store", store]).status == 0)
        let again = try metron(["import", try exported(directory, "new"), good, "--store", store])
        #expect(again.status == 2)
        #expect(again.stderr.contains("already stored"), "\(again.stderr)")
        #expect(try storedRuns(store) == 1, "the new run is not stored beside the repeated one")
    }
}
