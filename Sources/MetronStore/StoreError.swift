/// Store failures, each with a message a user can act on.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    case notADatabase(String)
    case foreignDatabase(String)
    case newerSchema(String, found: Int, supported: Int)
    case invalidLocation(String)
    case unknownRun(String)
    case ambiguousRun(String)
    case connectionFailed(String, reason: String)
    case corruptRecord(String)
    /// Another process stored a run with this id first (two imports or uploads of one run).
    case alreadyStored(String)

    public var description: String {
        switch self {
        case .notADatabase(let path):
            return "'\(path)' is not a SQLite database (corrupt or another kind of file); move it away or choose another store with --store"
        case .foreignDatabase(let path):
            return "'\(path)' is a SQLite database of another application, not a Metron store; choose another path with --store"
        case .newerSchema(let location, let found, let supported):
            return "the store at \(location) has schema version \(found), newer than this metron supports (\(supported)); upgrade metron"
        case .invalidLocation(let text):
            return "invalid store location '\(text)': expected a file path, sqlite:PATH or postgres://user[:password]@host[:port]/database"
        case .unknownRun(let id):
            return "no stored run matches '\(id)'"
        case .ambiguousRun(let id):
            return "'\(id)' matches several stored runs; give more characters of the id"
        case .connectionFailed(let location, let reason):
            return "cannot reach the store at \(location): \(reason)"
        case .corruptRecord(let detail):
            return "a stored record cannot be read: \(detail)"
        case .alreadyStored(let id):
            return "run \(id) is already stored; nothing was added"
        }
    }
}
