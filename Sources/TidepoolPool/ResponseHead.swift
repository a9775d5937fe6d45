/// The status line and header fields of a response.
public struct ResponseHead: Sendable, Equatable {
    /// The status code (200, 404, ...).
    public let status: Int
    /// Header fields in the order received.
    public let headers: [HTTPHeader]
    /// The HTTP version the response came over.
    public let httpVersion: HTTPVersion

    /// Creates a response head.
    public init(status: Int, headers: [HTTPHeader], httpVersion: HTTPVersion) {
        self.status = status
        self.headers = headers
        self.httpVersion = httpVersion
    }
}

/// An HTTP protocol version as negotiated with the server.
public enum HTTPVersion: String, Sendable, Hashable, Codable {
    case http1_0 = "HTTP/1.0"
    case http1_1 = "HTTP/1.1"
    case http2 = "HTTP/2"
    case http3 = "HTTP/3"
    case unknown = "?"
}
