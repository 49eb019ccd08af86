import ArgumentParser
import Foundation
import MetronCore
import MetronExec
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
    /// Opens the store, runs `body`, and closes it whatever happens.
    func withStore<T>(_ body: (any ResultStore) async throws -> T) async throws -> T {
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
    /// Saves the report; a failure to save is reported but the exports are already written.
    func save(_ report: RunReport) async -> Bool {
        do {
            let store = try await open()
            try await store.save(report)
            try await store.close()
            print("Saved run \(report.id.prefix(8)) to \(try location).")
            return true
        } catch {
            printError("cannot save the run: \(error)")
            return false
        }
    }
}
