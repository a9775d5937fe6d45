/// Why the terminal could not be taken over.
public enum CursesError: Error, Hashable, Sendable, CustomStringConvertible {
    /// `newterm`/`initscr` failed: usually TERM names a terminal without a terminfo entry.
    case cannotInitialize(term: String)
    /// The wake-up pipe could not be created (errno).
    case pipeFailed(errno: Int32)
    /// `openpty` failed (tests only).
    case ptyFailed(errno: Int32)

    /// A message a user can act on.
    public var description: String {
        switch self {
        case .cannotInitialize(let term):
            return "cannot start the terminal UI for TERM=\(term); try TERM=xterm-256color, or use 'tidepool ask'"
        case .pipeFailed(let e): return "cannot create the UI wake-up pipe (errno \(e))"
        case .ptyFailed(let e): return "cannot open a pseudo-terminal (errno \(e))"
        }
    }
}
