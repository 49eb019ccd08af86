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

    /// True when writing `path` would overwrite this store's database or one of SQLite's
    /// companion files (-wal, -shm, -journal): an export aimed there would destroy the history.
    /// Paths are compared after resolving symbolic links and `..`, so another spelling of the
    /// same file is found too.
    public func isStoreFile(_ path: String) -> Bool {
        guard case .sqlite(let storePath) = self else { return false }
        let target = Self.resolved(path)
        let store = Self.resolved(storePath)
        return ["", "-wal", "-shm", "-journal"].contains { store + $0 == target }
    }

    /// An absolute path with the directory's symbolic links resolved (the file itself may not exist yet).
    static func resolved(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let url = URL(fileURLWithPath: absolute).standardizedFileURL
        let directory = url.deletingLastPathComponent().resolvingSymlinksInPath().path
        let name = url.lastPathComponent
        let file = (directory as NSString).appendingPathComponent(name)
        // The file itself may be a link to the store.
        if let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: file) {
            return resolved(destination.hasPrefix("/") ? destination : (directory as NSString).appendingPathComponent(destination))
        }
        return file
    }

    public func open() async throws -> any ResultStore {
        switch self {
        case .sqlite(let path): return try SQLiteStore(path: path)
        case .postgres(let url): return try await PostgresStore(url: url)
        }
    }
}
