import Foundation
import Synchronization
import Testing

/// The history cannot be measured again: outputs aimed at the store are refused before anything
/// runs, a foreign database is never written to, an unusable store is found before measuring,
/// and a run whose save fails at the end is kept in a file that `metron import` stores.
@Suite(.serialized)
struct StoreSafetyTests {
    func directory(_ name: String) throws -> String {
        let path = Binaries.temporaryPath(name)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A store holding one run, and how many runs `history` lists in it.
    func storeWithOneRun(_ work: String) throws -> String {
        let store = work + "/s.sqlite"
        let exec = try metron(["exec", "--runs", "2", "--warmup", "0", "--save", "--store", store, Binaries.workload("noop")])
        try #require(exec.status == 0, "\(exec.stderr)")
        return store
    }

    func runCount(_ store: String) throws -> Int {
        let history = try metron(["history", "--store", store, "--json"])
        return (try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [Any])?.count ?? -1
    }

    @Test func outputsAimedAtTheStoreAreRefused() throws {
        let work = try directory("store-outputs")
        let store = try storeWithOneRun(work)
        try FileManager.default.createDirectory(atPath: work + "/sub", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: work + "/link.sqlite", withDestinationPath: store)
        let marker = work + "/ran"
        for (option, path) in [("--export-json", store), ("--export-csv", store + "-wal"), ("--export-markdown", work + "/sub/../s.sqlite"),
                               ("--export-json-hyperfine", work + "/link.sqlite"), ("--output", store)] {
            let exec = try metron(["exec", "--runs", "1", "--save", "--store", store, option, path, "--shell", "sh", "touch \(marker)"])
            #expect(exec.status == 2 && exec.stderr.contains("is the history store"), "\(option) \(path): \(exec.stderr)")
            #expect(!FileManager.default.fileExists(atPath: marker), "refused before anything ran")
        }
        let report = try metron(["report", "--format", "csv", "--output", store, "--store", store])
        #expect(report.status == 2 && report.stderr.contains("is the history store"), "\(report.stderr)")
        // The default store, without --store or --save.
        let local = try directory("store-default")
        let first = try metron(["exec", "--runs", "1", "--save", Binaries.workload("noop")], directory: local)
        try #require(first.status == 0, "\(first.stderr)")
        let plain = try metron(["exec", "--runs", "1", "--export-json", ".metron/metron.sqlite", Binaries.workload("noop")], directory: local)
        #expect(plain.status == 2, "\(plain.stderr)")
        #expect(try runCount(store) == 1 && runCount(local + "/.metron/metron.sqlite") == 1, "both histories intact")
        let suite = try metron(["run", "--export-json", "s.sqlite", "--store", "s.sqlite", "--config", "none.yml"], directory: work)
        #expect(suite.status == 2, "\(suite.stderr)")
    }

    @Test func aForeignDatabaseIsNeverWritten() throws {
        let work = try directory("store-foreign")
        let other = work + "/other.db"
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sqlite.arguments = ["sqlite3", other, "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('mine');"]
        try sqlite.run()
        sqlite.waitUntilExit()
        try #require(sqlite.terminationStatus == 0, "sqlite3 is needed")
        let before = try Data(contentsOf: URL(fileURLWithPath: other))
        for arguments in [["history"], ["report", "--format", "json"], ["import", Binaries.temporaryPath("none.json")]] {
            let read = try metron(arguments + ["--store", other])
            #expect(read.status != 0)
        }
        let history = try metron(["history", "--store", other])
        #expect(history.status == 2 && history.stderr.contains("another application"), "\(history.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: other)) == before, "not a byte changed (journal mode, schema version, pages)")
        #expect(!FileManager.default.fileExists(atPath: other + "-wal") && !FileManager.default.fileExists(atPath: other + "-shm"))
    }

    @Test func anUnusableStoreIsFoundBeforeMeasuring() throws {
        let work = try directory("store-unusable")
        let marker = work + "/ran"
        try "just text\n".write(toFile: work + "/text.sqlite", atomically: true, encoding: .utf8)
        for store in [work, work + "/text.sqlite", "postgres://metron@127.0.0.1:1/none"] {
            let exec = try metron(["exec", "--runs", "1", "--save", "--store", store, "--shell", "sh", "touch \(marker)"])
            #expect(exec.status == 2 && exec.stderr.contains("cannot use the store") && exec.stderr.contains("nothing was measured"),
                    "\(store): \(exec.stderr)")
            #expect(!FileManager.default.fileExists(atPath: marker), "\(store): the command must not have run")
        }
    }

    @Test func aRunWhoseSaveFailsIsKeptAndImportable() throws {
        let work = try directory("store-lost")
        let store = work + "/s.sqlite"
        // The store is fine when checked, then replaced by a text file while the command runs.
        let exec = try metron(["exec", "--runs", "1", "--warmup", "0", "--save", "--store", store, "--shell", "sh",
                               "rm -f \(store) \(store)-wal \(store)-shm; echo junk > \(store)"], directory: work)
        #expect(exec.status == 1, "\(exec.stderr)")
        let line = try #require(exec.stderr.split(separator: "\n").first { $0.contains("metron import") }, "\(exec.stderr)")
        let kept = String(try #require(line.split(separator: " ").last))
        let path = kept.hasPrefix("/") ? kept : work + "/" + kept
        #expect(FileManager.default.fileExists(atPath: path))
        let fresh = work + "/fresh.sqlite"
        let imported = try metron(["import", path, "--store", fresh])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try runCount(fresh) == 1, "nothing measured is lost")
    }

    @Test func importsAreCheckedLikeUploads() throws {
        let work = try directory("store-admission")
        let store = work + "/s.sqlite"
        let good = try Data(contentsOf: URL(fileURLWithPath: try storeWithOneRunExport(work)))
        var object = try #require(try JSONSerialization.jsonObject(with: good) as? [String: Any])
        for (key, value, expected) in [("startedAt", "2099-01-01T00:00:00Z", "more than a day"), ("id", "../../etc/passwd", "run id")] {
            var bad = object
            bad[key] = value
            try JSONSerialization.data(withJSONObject: bad).write(to: URL(fileURLWithPath: work + "/bad.json"))
            let imported = try metron(["import", work + "/good.json", work + "/bad.json", "--store", store])
            #expect(imported.status == 2 && imported.stderr.contains(expected) && imported.stderr.contains("bad.json"), "\(imported.stderr)")
            #expect(try runCount(store) == 0, "nothing of either file is stored")
        }
        object["id"] = "fine-id"
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: work + "/fine.json"))
        #expect(try metron(["import", work + "/fine.json", "--store", store]).status == 0)
    }

    /// A run exported to good.json in `work` (not stored).
    func storeWithOneRunExport(_ work: String) throws -> String {
        let path = work + "/good.json"
        let exec = try metron(["exec", "--runs", "2", "--warmup", "0", "--export-json", path, Binaries.workload("noop")])
        try #require(exec.status == 0, "\(exec.stderr)")
        return path
    }

    @Test func runReferencesMeanOneThingEverywhere() throws {
        let work = try directory("references")
        let store = work + "/s.sqlite"
        for run in 0..<2 {
            let exec = try metron(["exec", "--runs", "2", "--save", "--store", store, Binaries.workload("noop")])
            try #require(exec.status == 0, "\(exec.stderr)")
            if run == 0 {
                let first = try metron(["baseline", "save", "main", "--store", store])
                try #require(first.status == 0, "\(first.stderr)")
            }
        }
        // A file called main and a folder called latest in the working directory change nothing.
        try "not a run".write(toFile: work + "/main", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: work + "/latest", withIntermediateDirectories: true)
        let compare = try metron(["compare", "--store", store], directory: work)
        #expect(compare.status == 0 && compare.stdout.contains("Performance Comparison Report"), "\(compare.stdout)\(compare.stderr)")
        // A path still names a file.
        let file = try metron(["compare", "--baseline", "./main", "--store", store], directory: work)
        #expect(file.status == 2 && file.stderr.contains("is not a Metron run report"), "\(file.stderr)")
        // "latest" can never be a baseline's name.
        let latest = try metron(["baseline", "save", "latest", "--store", store])
        #expect(latest.status == 2 && latest.stderr.contains("'latest' names the newest run"), "\(latest.stderr)")
    }

    @Test func concurrentImportsOfOneRunStoreItOnce() throws {
        let work = try directory("concurrent-imports")
        let file = work + "/run.json"
        let exec = try metron(["exec", "--runs", "2", "--export-json", file, Binaries.workload("noop")])
        try #require(exec.status == 0, "\(exec.stderr)")
        let store = work + "/s.sqlite"
        let results = Mutex<[MetronInvocation]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            if let result = try? metron(["import", file, "--store", store]) { results.withLock { $0.append(result) } }
        }
        let all = results.withLock { $0 }
        #expect(all.count == 4)
        #expect(all.filter { $0.status == 0 }.count == 1, "\(all.map(\.stderr))")
        let refused = all.filter { $0.status != 0 }
        #expect(refused.allSatisfy { $0.status == 2 && $0.stderr.contains("already stored") && !$0.stderr.contains("UNIQUE") },
                "\(refused.map(\.stderr))")
        #expect(try runCount(store) == 1)
    }

    @Test func readingCommandsCreateNothingForAMistypedStore() throws {
        let work = try directory("mistyped")
        for command in [["history"], ["compare"], ["check"], ["trend", "x"], ["recommend"], ["report", "--format", "json"]] {
            let result = try metron(command + ["--store", "typo/dir/s.sqlite"], directory: work)
            #expect(result.status == 2 && result.stderr.contains("the folder 'typo/dir' does not exist"), "\(command): \(result.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: work).isEmpty, "no folder or file was created")
    }
}
