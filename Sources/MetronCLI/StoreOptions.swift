import ArgumentParser
import Foundation
import MetronStore

/// `--store`, shared by every subcommand that reads or writes history.
struct StoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "History store: a SQLite file path (default .metron/metron.sqlite, or $METRON_STORE), sqlite:PATH, or postgres://user:pass@host:port/db.",
        valueName: "LOCATION"))
    var store: String?

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
