/// Why a request through the pool failed. Every case carries what a person needs to act on it
/// (which host, which timeout) and never a credential.
public enum PoolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The URL is not an absolute `http` or `https` URL.
    case invalidURL(String)
    /// The pool (or the whole manager) was closed before or while the request ran.
    case poolClosed(String)
    /// Nothing accepts connections at that host and port.
    case connectionRefused(host: String, port: Int)
    /// The host name could not be resolved.
    case hostNotFound(String)
    /// One of the request's clocks ran out; `after` is the limit in seconds.
    case timedOut(TimeoutKind, after: Double, origin: String)
    /// The TLS handshake or certificate check failed.
    case tls(origin: String, message: String)
    /// The connection broke while sending or receiving.
    case connectionLost(origin: String, message: String)
    /// The request was cancelled by its caller.
    case cancelled
    /// Any other transport failure, with libcurl's code and message.
    case transport(origin: String, code: Int, message: String)

    /// Which clock ran out.
    public enum TimeoutKind: String, Sendable, Equatable {
        case queue = "waiting for a free connection"
        case connect = "connecting"
        case firstByte = "waiting for the first byte"
        case idle = "waiting for more data (the stream went silent)"
        case total = "for the whole request"
    }

    /// A short kind name, used as the key of the error counters in stats.
    public var kind: String {
        switch self {
        case .invalidURL: "invalid_url"
        case .poolClosed: "pool_closed"
        case .connectionRefused: "refused"
        case .hostNotFound: "dns"
        case .timedOut(let kind, _, _):
            switch kind {
            case .queue: "timeout_queue"
            case .connect: "timeout_connect"
            case .firstByte: "timeout_first_byte"
            case .idle: "timeout_idle"
            case .total: "timeout_total"
            }
        case .tls: "tls"
        case .connectionLost: "connection_lost"
        case .cancelled: "cancelled"
        case .transport: "transport"
        }
    }

    /// A sentence a person can act on.
    public var description: String {
        switch self {
        case .invalidURL(let url):
            "'\(url)' is not an absolute http:// or https:// URL"
        case .poolClosed(let pool):
            "the connection pool for \(pool) is closed; no more requests can be sent through it"
        case .connectionRefused(let host, let port):
            "no server at \(host.contains(":") ? "[\(host)]" : host):\(port) (connection refused)"
        case .hostNotFound(let host):
            "cannot resolve host '\(host)'; check the URL and your network"
        case .timedOut(let kind, let after, let origin):
            "timed out after \(Self.format(after)) \(kind.rawValue) (\(origin))"
        case .tls(let origin, let message):
            "TLS failed with \(origin): \(message)"
        case .connectionLost(let origin, let message):
            "connection to \(origin) lost: \(message)"
        case .cancelled:
            "cancelled"
        case .transport(let origin, let code, let message):
            "request to \(origin) failed: \(message) (curl error \(code))"
        }
    }

    private static func format(_ seconds: Double) -> String {
        if seconds < 1 { return "\(Int((seconds * 1000).rounded())) ms" }
        if seconds == seconds.rounded() { return "\(Int(seconds)) s" }
        return "\((seconds * 10).rounded() / 10) s"
    }
}
