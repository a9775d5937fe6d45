import TidepoolPool

/// What one chat request cost, for the pool panel and the latency histograms. Durations are
/// in seconds; network phases come from the transfer, token timings from the provider.
public struct ChatTimings: Sendable, Equatable {
    /// Waiting for a free connection in the pool.
    public var queue: Double
    /// DNS resolution.
    public var dns: Double
    /// TCP connect (zero on a reused connection).
    public var connect: Double
    /// TLS handshake (zero for plain HTTP or a reused connection).
    public var tls: Double
    /// From sending the request to the first response byte.
    public var firstByte: Double
    /// From the request starting to the first text or reasoning delta, or nil when none came.
    public var timeToFirstToken: Double?
    /// From the request starting (retries included) to the end of the stream.
    public var total: Double
    /// Generation speed: Ollama's exact `eval_count / eval_duration` when present, else output
    /// tokens over the time after the first token; nil when unknown (never NaN or infinite).
    public var tokensPerSecond: Double?
    /// Tokens generated, when the server reported them.
    public var outputTokens: Int?
    /// True when the request went over a connection that was already open.
    public var reusedConnection: Bool
    /// The negotiated protocol.
    public var httpVersion: HTTPVersion

    /// Creates timings.
    public init(
        queue: Double = 0, dns: Double = 0, connect: Double = 0, tls: Double = 0,
        firstByte: Double = 0, timeToFirstToken: Double? = nil, total: Double = 0,
        tokensPerSecond: Double? = nil, outputTokens: Int? = nil, reusedConnection: Bool = false,
        httpVersion: HTTPVersion = .unknown
    ) {
        self.queue = queue
        self.dns = dns
        self.connect = connect
        self.tls = tls
        self.firstByte = firstByte
        self.timeToFirstToken = timeToFirstToken
        self.total = total
        self.tokensPerSecond = tokensPerSecond
        self.outputTokens = outputTokens
        self.reusedConnection = reusedConnection
        self.httpVersion = httpVersion
    }

    /// Tokens per second as the type documents: the exact server figure wins; otherwise
    /// `outputTokens / (total - timeToFirstToken)`; nil whenever that is not a finite,
    /// positive number.
    static func tokensPerSecond(
        exact: Double?, outputTokens: Int?, total: Double, timeToFirstToken: Double?
    ) -> Double? {
        if let exact, exact.isFinite, exact > 0 { return exact }
        guard let outputTokens, outputTokens > 0, let timeToFirstToken else { return nil }
        let generating = total - timeToFirstToken
        guard generating > 0 else { return nil }
        let rate = Double(outputTokens) / generating
        return rate.isFinite ? rate : nil
    }
}
