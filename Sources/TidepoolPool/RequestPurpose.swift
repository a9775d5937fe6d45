/// Why a request is sent. Each pool counts its requests by purpose, so the connections a
/// discovery probe or a monitoring poll opens are counted under the origin like any other,
/// yet can be told apart from chats.
public enum RequestPurpose: String, Sendable, Hashable, CaseIterable, Comparable {
    /// A conversation with a model (and anything else a user asked for).
    case chat
    /// Finding servers and listing their models.
    case discovery
    /// Polling a server's own monitoring endpoint. Monitoring requests bypass the pool's
    /// concurrency limit: they must not queue behind the streams they watch.
    case monitor

    /// Orders purposes by name, so a listing is stable.
    public static func < (lhs: RequestPurpose, rhs: RequestPurpose) -> Bool { lhs.rawValue < rhs.rawValue }
}
