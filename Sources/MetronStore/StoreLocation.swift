import Foundation

/// Where the history lives: `--store`, else $METRON_STORE, else `.metron/metron.sqlite` in the
/// current directory.
public enum StoreLocation: Equatable, Sendable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    public static let defaultPath = ".metron/metron.sqlite"

    public init(_ text: String?) throws {
        guard let text, !text.isEmpty else {
            self = .sqlite(path: Self.defaultPath)
            return
        }
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(url: text)
        } else if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw StoreError.invalidLocation(text) }
            self = .sqlite(path: path)
        } else if text.contains("://") {
            throw StoreError.invalidLocation(text)
        } else {
            self = .sqlite(path: text)
        }
    }

    public var description: String {
        switch self {
        case .sqlite(let path): return path
        case .postgres(let url): return PostgresStore.redacted(url)
        }
    }

    public func open() async throws -> any ResultStore {
        switch self {
        case .sqlite(let path): return try SQLiteStore(path: path)
        case .postgres(let url): return try await PostgresStore(url: url)
        }
    }
}
