/// Why a server's monitoring endpoint gave no numbers. The panel shows "no data" for such a
/// server; the message says what to check.
public enum ServerMonitorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The body is longer than the parser accepts (a wrong endpoint, or a hostile server).
    case bodyTooLarge(endpoint: String, bytes: Int, limit: Int)
    /// The body is not the JSON document the endpoint is known to send.
    case notJSON(endpoint: String)
    /// The JSON is well formed but not in the endpoint's known shape; `detail` says what was
    /// expected.
    case unexpectedShape(endpoint: String, detail: String)

    public var description: String {
        switch self {
        case .bodyTooLarge(let endpoint, let bytes, let limit):
            return "\(endpoint) answered \(bytes) bytes, more than the \(limit) read for monitoring;"
                + " is this really the server's monitoring endpoint?"
        case .notJSON(let endpoint):
            return "\(endpoint) did not answer JSON; is this server the product its preset names?"
        case .unexpectedShape(let endpoint, let detail):
            return "\(endpoint) answered JSON of an unknown shape (\(detail)); the server's version may be"
                + " newer or older than the ones Tidepool reads"
        }
    }
}
