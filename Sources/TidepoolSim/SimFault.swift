/// A failure the simulator injects instead of (or in the middle of) a normal answer, so clients
/// and the pool can be tested against the ways real servers and networks misbehave.
public enum SimFault: String, Sendable, Hashable, CaseIterable {
    /// Sends about half of the stream, then closes the TCP connection (no final chunk).
    case drop
    /// Sends about half of the stream, then sends nothing more while keeping the connection open
    /// (until the client gives up or the server stops): exercises read timeouts.
    case stall
    /// Answers `429 Too Many Requests` with `Retry-After: 1` and a rate-limit error body.
    case tooManyRequests
    /// Answers `500 Internal Server Error` with a JSON error body in the format's own shape.
    case serverError
    /// Streams normally but puts one truncated, unparseable line in the middle.
    case malformed
    /// Reads the request, then closes the connection without sending any response bytes.
    case refuse
}
