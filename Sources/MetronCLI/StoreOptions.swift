import ArgumentParser
import Foundation
import MetronCore
import MetronExec
import MetronJSON
import MetronStore

/// `--store`, shared by every subcommand that reads or writes history.
struct StoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "History store: a SQLite file path (default .metron/metron.sqlite, or $METRON_STORE), sqlite:PATH, or postgres://user:pass@host:port/db.",
        valueName: "LOCATION"))
    var store: String?

    init() {}

    init(store: String?) {
        self.store = store
    }

    var location: StoreLocation {
        get throws {
            do {
                return try StoreLocation(store ?? ProcessInfo.processInfo.environment["METRON_STORE"])
            } catch let error as StoreError {
                throw UsageFailure(error.description)
            }
        }
    }

    func open() async throws -> any ResultStore {
        try await location.open()
    }
}

extension StoreOptions {
    /// Opens the store, runs `body`, and closes it whatever happens. `creating` false (commands
    /// that only read): a SQLite store whose folder does not exist is a usage error, so a
    /// mistyped `--store` leaves no folders behind.
    func withStore<T>(creating: Bool = true, _ body: (any ResultStore) async throws -> T) async throws -> T {
        if !creating, case .sqlite(let path) = try location, !FileManager.default.fileExists(atPath: path) {
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
                throw UsageFailure("no store at \(path): the folder '\(folder)' does not exist (metron run and exec --save create the store; check --store)")
            }
        }
        let store = try await open()
        do {
            let result = try await body(store)
            try? await store.close()
            return result
        } catch {
            try? await store.close()
            throw error
        }
    }
}

extension StoreOptions {
    /// Refuses, before anything runs, an output that would overwrite the store (`--export-json
    /// .metron/metron.sqlite` would leave a JSON file where the history was).
    func refuseOverwriting(_ outputs: [(option: String, path: String?)]) throws {
        let location = try location
        for (option, path) in outputs {
            guard let path, location.isStoreFile(path) else { continue }
            throw UsageFailure("\(option) '\(path)' is the history store (\(location)): writing there would destroy it; choose another file")
        }
    }

    /// Opens the store and closes it again, before anything is measured: a store that cannot be
    /// used (a directory, a foreign or read-only file, an unreachable server) is a usage error
    /// now, not a lost run later.
    func checkUsable() async throws {
        let location = try location
        if case .sqlite(let path) = location, !FileManager.default.fileExists(atPath: path) {
            // A new store is created when the run is saved: its nearest existing folder must
            // take it. Nothing is created now, so a run refused later leaves nothing behind.
            var folder = (path as NSString).deletingLastPathComponent
            if folder.isEmpty { folder = "." }
            while !FileManager.default.fileExists(atPath: folder) { folder = (folder as NSString).deletingLastPathComponent.isEmpty ? "." : (folder as NSString).deletingLastPathComponent }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue,
                  FileManager.default.isWritableFile(atPath: folder) else {
                throw UsageFailure("cannot use the store \(location): '\(folder)' is not a writable folder; nothing was measured")
            }
            return
        }
        do {
            let store = try await location.open()
            try? await store.close()
        } catch {
            throw UsageFailure("cannot use the store \(location): \(Self.reason(error)); nothing was measured")
        }
    }

    static func reason(_ error: any Error) -> String {
        (error as? StoreError)?.description ?? (error as NSError).localizedDescription
    }

    /// Saves the report; a failure to save is reported, and the run is written to a file that
    /// `metron import` stores later, so nothing measured is lost.
    func save(_ report: RunReport) async -> Bool {
        do {
            let store = try await open()
            do {
                try await store.save(report)
            } catch {
                try? await store.close()
                throw error
            }
            try await store.close()
            print("Saved run \(report.id.prefix(8)) to \(try location).")
            return true
        } catch {
            printError("cannot save the run: \(Self.reason(error))")
            if let kept = Self.keep(report) {
                printError("the run is kept in \(kept); store it with: metron import \(kept)")
            }
            return false
        }
    }

    /// Writes an unsaved run to .metron/unsaved/ (else the temporary directory); nil when
    /// neither can be written.
    static func keep(_ report: RunReport) -> String? {
        guard let data = try? JSONExport.render(report) else { return nil }
        for directory in [".metron/unsaved", NSTemporaryDirectory() + "metron-unsaved"] {
            let path = directory + "/run-\(report.id).json"
            if (try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)) != nil,
               (try? data.write(to: URL(fileURLWithPath: path), options: .atomic)) != nil {
                return path
            }
        }
        return nil
    }
}
