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
    /// The pool manager cannot work at all: the system or libcurl refused something it needs
    /// (an epoll instance, an eventfd, a curl share handle), or its event loop failed. The text
    /// says which call failed and why, e.g. "epoll_create1 failed: Too many open files".
    case unavailable(String)

    /// Which clock ran out.
    public enum TimeoutKind: String, Sendable, Equatable {
        case queue = "waiting for a free connection"
        case connect = "connecting"
        case firstByte = "waiting for the first byte"
        case idle = "waiting for more data (the stream went silent)"
        case total = "for the whole request"

        /// The failure kind of this clock running out (the stats' key, and `error_type` in
        /// the metrics).
        public var errorKind: Kind {
            switch self {
            case .queue: .timeoutQueue
            case .connect: .timeoutConnect
            case .firstByte: .timeoutFirstByte
            case .idle: .timeoutIdle
            case .total: .timeoutTotal
            }
        }
    }

    /// What kind of failure this is: the key of the error counters in stats.
    public var kind: Kind {
        switch self {
        case .invalidURL: .invalidURL
        case .poolClosed: .poolClosed
        case .connectionRefused: .refused
        case .hostNotFound: .dns
        case .timedOut(let kind, _, _): kind.errorKind
        case .tls: .tls
        case .connectionLost: .connectionLost
        case .cancelled: .cancelled
        case .transport: .transport
        case .unavailable: .unavailable
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
        case .unavailable(let reason):
            "the connection pool cannot run: \(reason)"
        }
    }

    /// A duration for a message. The value may come from a config file, so it is checked
    /// before any conversion to `Int` (which traps on NaN, infinity and beyond `Int.max`).
    static func format(_ seconds: Double) -> String {
        guard seconds.isFinite else { return seconds.isNaN ? "an invalid time" : "forever" }
        if seconds < 1 { return "\(Int((seconds * 1000).rounded())) ms" }
        if seconds >= 1e15 { return "\(seconds) s" }
        if seconds == seconds.rounded() { return "\(Int(seconds)) s" }
        return "\((seconds * 10).rounded() / 10) s"
    }
}
