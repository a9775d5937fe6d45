/// Why the history database could not be used. Every case names the file and what to do;
/// the caller can always carry on with history turned off.
public enum HistoryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file is not a SQLite database or is damaged.
    case corrupt(path: String)
    /// The database was written by a newer Tidepool (it has migrations this one does not know).
    case newerVersion(path: String, unknownMigrations: [String])
    /// Another process kept the database locked for longer than the busy timeout.
    case locked(path: String)
    /// The file or its directory cannot be opened or created.
    case cannotOpen(path: String, reason: String)
    /// A session or message id that does not exist.
    case notFound(what: String, id: Int64)
    /// Any other database failure during `operation`.
    case database(path: String, operation: String, reason: String)
    /// A vote that cannot stand: the prompt is not a broadcast, or the winner did not answer it.
    case invalidVote(reason: String)

    /// A message naming the file and the way out.
    public var description: String {
        switch self {
        case .corrupt(let path):
            "history database \(path) is damaged or not a database; move it aside "
                + "(mv \(path) \(path).broken) to start a new history, or run with --no-history"
        case .newerVersion(let path, let unknown):
            "history database \(path) was written by a newer tidepool (unknown schema "
                + "\(unknown.joined(separator: ", "))); upgrade tidepool, or run with --no-history"
        case .locked(let path):
            "history database \(path) is locked by another process; close the other tidepool "
                + "or run with --no-history"
        case .cannotOpen(let path, let reason):
            "cannot open history database \(path): \(reason); check the directory's permissions "
                + "or run with --no-history"
        case .notFound(let what, let id):
            "no \(what) with id \(id) in the history"
        case .database(let path, let operation, let reason):
            "history database \(path): \(operation) failed: \(reason)"
        case .invalidVote(let reason):
            "cannot store the vote: \(reason)"
        }
    }
}
