/// The wire a benchmark runs over, each against its own nginx port.
public enum BenchTransport: String, CaseIterable, Sendable, Codable {
    /// Plain HTTP/1.1.
    case plain
    /// HTTP/1.1 over TLS.
    case tls
    /// HTTP/2 over TLS.
    case h2

    /// The URL of nginx's small JSON answer on this transport.
    func url(_ ports: LocalNginx.Ports) -> String {
        switch self {
        case .plain: "http://127.0.0.1:\(ports.plain)/small"
        case .tls: "https://127.0.0.1:\(ports.tls)/small"
        case .h2: "https://127.0.0.1:\(ports.h2)/small"
        }
    }
}

/// How the benchmark's provider instances reach the server.
public enum BenchMode: String, CaseIterable, Sendable, Codable {
    /// All instances share one pool manager: what Tidepool does.
    case shared
    /// Each instance has its own pool manager (own thread, connection cache and TLS context):
    /// the seed's "before", one HTTP client per provider.
    case perInstance = "per_instance"
    /// Every request opens a new connection (`CURLOPT_FRESH_CONNECT` + `FORBID_REUSE`)
    /// through the shared manager: no connection reuse at all.
    case perRequest = "per_request"
    /// One raw libcurl easy handle reused in a tight loop: the practical floor.
    case raw
}
