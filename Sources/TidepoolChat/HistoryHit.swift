/// One session found by a history search from the chat screen.
public struct HistoryHit: Sendable, Equatable {
    /// The stored session's id (`tidepool --resume ID` reopens it).
    public var sessionID: Int64
    /// Its title.
    public var title: String
    /// The matching text, matches in `[brackets]`.
    public var snippet: String

    /// Creates a hit.
    public init(sessionID: Int64, title: String, snippet: String) {
        self.sessionID = sessionID
        self.title = title
        self.snippet = snippet
    }
}
